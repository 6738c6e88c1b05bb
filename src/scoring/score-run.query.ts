import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelParams } from './model-v1';

export interface Statement {
  name: string;
  sql: string;
  /** Named parameters in $n order. */
  params: string[];
}

/** Numeric literals for the {{placeholders}}: only finite numbers ever reach the SQL text. */
function modelLiterals(p: ModelParams): Record<string, number> {
  return {
    windowDays: p.windowDays,
    postLookbackDays: 2 * p.windowDays,
    botDailyVolume: p.botDailyVolume,
    podMinReactions: p.podMinReactions,
    slowBotDailyVolume: p.slowBotDailyVolume,
    slowBotDays: p.slowBotDays,
    ringMaxLength: p.ringMaxLength,
    followersFromMinimum: p.followersFromMinimum ? 1 : 0,
    decay30: -Math.LN2 / p.halfLifeDays,
    decay90: -Math.LN2 / p.reachHalfLifeDays,
    wLike: p.typeWeight.like,
    wReply: p.typeWeight.reply,
    wReshare: p.typeWeight.reshare,
    wClick: p.typeWeight.click,
    pairCap: p.pairCap,
    priorPosts: p.priorPosts,
    mu: p.mu,
    wReach: p.weights.reach,
    wAmplification: p.weights.amplification,
    wNetwork: p.weights.network,
    wAudience: p.weights.audience,
    a: p.a,
    b: p.b,
    topicDamping: p.topicDamping,
    minTopicReactors: p.minTopicReactors,
    topicCapOverOverall: p.topicCapOverOverall,
    stepDown: p.stepDown,
    stepUp: p.stepUp,
    fraudBotShare: p.fraudBotShare,
    fraudMinBotReactions: p.fraudMinBotReactions,
  };
}

function literal(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`model constant is not finite: ${n}`);
  // Always a float8 literal, so integer constants never turn a division into integer division.
  return `(${n.toPrecision(17)})::float8`;
}

let cached: string | null = null;

/** Loaded once; split on `-- name:` markers; constants inlined; `:name` turned into `$n` per statement. */
export function scoreRunStatements(p: ModelParams): Statement[] {
  cached ??= readFileSync(join(__dirname, 'queries', 'score-run.sql'), 'utf8');
  const lits = modelLiterals(p);
  const parts = cached.split(/^-- name: /m).slice(1);
  return parts.map((part) => {
    const nl = part.indexOf('\n');
    const name = part.slice(0, nl).trim();
    let sql = part
      .slice(nl + 1)
      .replace(/^\s*--.*$/gm, '')
      .trim()
      .replace(/;\s*$/, '');
    sql = sql.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
      if (!(k in lits)) throw new Error(`unknown model constant {{${k}}} in ${name}`);
      return literal(lits[k]);
    });
    const params: string[] = [];
    sql = sql.replace(/(?<![:\w]):([a-z_]+)\b/g, (_, k: string) => {
      let i = params.indexOf(k);
      if (i < 0) i = params.push(k) - 1;
      return `$${i + 1}`;
    });
    return { name, sql, params };
  });
}
