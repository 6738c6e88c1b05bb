import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_V1, ModelParams } from '../../src/scoring/model-v1';
import { accountHash, reactionEventKey } from '../../src/scoring/keyed-hash';
import { arg, connect, kendall, quantile, scoreRun, spearman, topOverlap } from '../lib';
import { DAY } from '../synth/generator';
import { hashSecretFromEnv } from '../synth/writer';

/**
 * `npm run eval:scoring -- --db URL --truth bench/.out/truth-s2-n10000.json --end 2025-06-01`
 * over data from `npm run synth -- --members 10000 --seed 2 --days 120 --end 2025-06-01`. Scores as of 30 days
 * before the end (the last 30 days are the holdout), runs seven daily runs for stability, then injects bot
 * likes on 50 members. Prints the tables of docs/scoring.md and writes them to bench/.out/eval.md.
 * `--only gaming` runs just the labelled-gaming comparison (three runs: no gaming guards, v1's, today's), which
 * is what docs/scoring.md's "Gaming guards" table comes from (a small population is enough: 3,000 members).
 */
interface Truth {
  members: {
    id: string;
    externalId: string;
    followers: number;
    quality: number;
    bought: boolean;
    botCustomer: boolean;
    pod: number | null;
    slowBotCustomer?: boolean;
    ring?: number | null;
  }[];
}

type Member = Truth['members'][number];

/** The gaming guards switched off (bot, slow-bot, pod and ring rules), and as v1 shipped them before issue 17. */
const NO_GUARDS: ModelParams = {
  ...MODEL_V1,
  botDailyVolume: 1e9,
  slowBotDays: 1e9,
  podMinReactions: 1e9,
  ringMaxLength: 2,
  followersFromMinimum: false,
};
const V1_GUARDS: ModelParams = { ...MODEL_V1, slowBotDays: 1e9, ringMaxLength: 2, followersFromMinimum: false };

/**
 * Labelled gaming, measured against each gamer's own counterfactual: every configuration (guards off, v1's,
 * today's) scores the data twice — as generated, and with the labelled gaming reactions removed (bot and slow-bot
 * accounts, pod and ring partners on each other's posts). A gamer's gain is the difference, less what honest
 * members "gain" between the same two worlds (farm likes on their posts); the percentile lift is the same
 * difference in their standing among honest members of their cohort (same quintile of real followers).
 * Target: a member at the honest median who games ends at or below the 60th percentile (lift ≤ 10).
 */
async function gamingEval(
  ds: Awaited<ReturnType<typeof connect>>['ds'],
  repo: Awaited<ReturnType<typeof connect>>['repo'],
  truth: Truth,
  asOf: Date,
  say: (s?: string) => void,
): Promise<void> {
  const configs: [string, ModelParams][] = [
    ['no guards', NO_GUARDS],
    ['v1 guards', V1_GUARDS],
    ['today', MODEL_V1],
  ];
  const secret = hashSecretFromEnv();
  const n = truth.members.length;
  const farm = [
    ...Array.from({ length: Math.max(3, Math.floor(n / 5000)) }, (_, i) => `b${i}`),
    ...Array.from({ length: Math.max(30, Math.floor(n / 100)) }, (_, i) => `s${i}`),
  ].map((a) => accountHash(secret, 'twitter', a));
  const authors: string[] = [];
  const actors: Buffer[] = [];
  for (const key of ['pod', 'ring'] as const) {
    const groups = new Map<number, Member[]>();
    for (const m of truth.members) {
      const g = m[key] ?? null;
      if (g !== null) groups.set(g, [...(groups.get(g) ?? []), m]);
    }
    for (const g of groups.values())
      for (const a of g)
        for (const b of g)
          if (a !== b) {
            authors.push(a.id);
            actors.push(accountHash(secret, 'twitter', b.externalId));
          }
  }
  const gamingPredicate = `(actor_hash = ANY($1::bytea[]) OR (influencer_id, actor_hash) IN (
      SELECT * FROM unnest($2::uuid[], $3::bytea[])))`;
  type Run = { score: Map<string, number>; fraud: Set<string> };
  const runAll = async (): Promise<Run[]> => {
    const out: Run[] = [];
    for (const [, params] of configs) {
      await ds.query(`TRUNCATE scores, score_history, score_runs`);
      await scoreRun(ds, repo, asOf, 'manual', params);
      const rows: { id: string; target: number; gamed: number; all: number }[] = await ds.query(
        `SELECT influencer_id AS id, target,
                coalesce((factors->>'botReactions')::int, 0) + coalesce((factors->>'podReactions')::int, 0) AS gamed,
                coalesce((factors->>'reactions')::int, 0) AS "all"
         FROM scores WHERE topic_id = 0`,
      );
      out.push({
        score: new Map(rows.map((r) => [r.id, r.target])),
        // The fraud rule as the run applies it (a first score's history says first_score, not fraud).
        fraud: new Set(
          rows
            .filter((r) => r.gamed >= params.fraudMinBotReactions && r.gamed >= params.fraudBotShare * r.all)
            .map((r) => r.id),
        ),
      });
    }
    return out;
  };
  const gamed = await runAll();
  // Moving ~half a million rows takes longer than the pool's 30 s statement timeout: these statements go
  // without it, each in its own transaction.
  const bulk = (sql: string, params: unknown[] = []): Promise<unknown> =>
    ds.transaction(async (m) => {
      await m.query(`SET LOCAL statement_timeout = 0`);
      return m.query(sql, params);
    });
  await bulk(`DROP TABLE IF EXISTS eval_gaming_reactions`);
  await bulk(`CREATE TABLE eval_gaming_reactions AS SELECT * FROM signal_reactions WHERE ${gamingPredicate}`, [
    farm,
    authors,
    actors,
  ]);
  let clean: Run[];
  try {
    await bulk(`DELETE FROM signal_reactions WHERE ${gamingPredicate}`, [farm, authors, actors]);
    clean = await runAll();
  } finally {
    await bulk(`INSERT INTO signal_reactions SELECT * FROM eval_gaming_reactions ON CONFLICT DO NOTHING`);
    await bulk(`DROP TABLE eval_gaming_reactions`);
  }

  const members = truth.members.filter((m) => gamed[0].score.has(m.id) && clean[0].score.has(m.id));
  const real = (m: Member): number => (m.bought ? m.followers / 10 : m.followers);
  const honest = members.filter(
    (m) => !m.bought && !m.botCustomer && m.pod === null && !m.slowBotCustomer && (m.ring ?? null) === null,
  );
  const quintile = new Map(
    [...members]
      .sort((a, b) => real(a) - real(b) || (a.id < b.id ? -1 : 1))
      .map((m, i) => [m.id, Math.floor((5 * i) / members.length)]),
  );
  const med = (xs: number[]): number =>
    xs.length
      ? quantile(
          [...xs].sort((a, b) => a - b),
          0.5,
        )
      : NaN;
  const pctIn = (scores: number[], s: number): number =>
    (100 * (scores.filter((x) => x < s).length + 0.5 * scores.filter((x) => x === s).length)) / scores.length;
  const patterns: [string, Member[]][] = [
    ['bought followers (×10, a jump in the snapshots, no engagement)', members.filter((m) => m.bought)],
    ['bought bot likes (over the daily bot volume)', members.filter((m) => m.botCustomer)],
    ['slow bots (40–150 reactions a day, under the daily volume)', members.filter((m) => m.slowBotCustomer)],
    ['engagement pods (mutual reshares and replies)', members.filter((m) => m.pod !== null)],
    ['like rings (8–12 members, each reacts to the next three)', members.filter((m) => (m.ring ?? null) !== null)],
  ];
  const stats = (group: Member[], i: number): { gain: number; lift: number } => {
    const g = gamed[i];
    const c = clean[i];
    const honestGain = med(honest.map((h) => g.score.get(h.id)! - c.score.get(h.id)!));
    const cohort = (world: Run, q: number): number[] =>
      honest.filter((h) => quintile.get(h.id) === q).map((h) => world.score.get(h.id)!);
    const lifts = group.map(
      (m) =>
        pctIn(cohort(g, quintile.get(m.id)!), g.score.get(m.id)!) -
        pctIn(cohort(c, quintile.get(m.id)!), c.score.get(m.id)!),
    );
    return { gain: med(group.map((m) => g.score.get(m.id)! - c.score.get(m.id)!)) - honestGain, lift: med(lifts) };
  };
  const sign = (x: number, d = 1): string => (x >= 0 ? '+' : '') + x.toFixed(d);
  say(
    `## Gaming guards on labelled gaming (${members.length.toLocaleString('en-US')} members, ${honest.length.toLocaleString('en-US')} honest, as of ${asOf.toISOString().slice(0, 10)})`,
  );
  say();
  say(
    'Each gamer against their own counterfactual (the same data without the labelled gaming reactions): median gain in points over what honest members gain between the two worlds, and median lift in percentile points among honest members of their real-follower quintile. Target: lift ≤ 10, i.e. a gamer who would sit at the honest median ends at or below the 60th percentile.',
  );
  say();
  say(
    `| pattern | gamers | ${configs.map(([c]) => `gain, ${c}`).join(' | ')} | ${configs.map(([c]) => `percentile lift, ${c}`).join(' | ')} | flagged by the fraud rule, today |`,
  );
  say(`|---|---|${configs.map(() => '---|').join('')}${configs.map(() => '---|').join('')}---|`);
  for (const [name, group] of patterns) {
    const st = configs.map((_, i) => stats(group, i));
    say(
      `| ${name} | ${group.length} | ${st.map((x) => sign(x.gain)).join(' | ')} | ${st.map((x) => sign(x.lift, 0)).join(' | ')} | ${group.filter((m) => gamed[2].fraud.has(m.id)).length} |`,
    );
  }
  const moved = honest.map((h) => Math.abs(gamed[2].score.get(h.id)! - gamed[1].score.get(h.id)!));
  say();
  say(
    `Honest members flagged by the fraud rule: ${configs.map(([c], i) => `${honest.filter((h) => gamed[i].fraud.has(h.id)).length} (${c})`).join(', ')}. Today's guards changed the target of ${moved.filter((x) => x > 0).length} of ${honest.length} honest members against v1's (median |Δ| ${med(moved)}, max ${Math.max(...moved)}).`,
  );
  say();
}

async function main(): Promise<void> {
  const { ds, repo } = await connect(arg('db', process.env.DATABASE_URL));
  const truth = JSON.parse(readFileSync(arg('truth'), 'utf8')) as Truth;
  const end = Date.parse(`${arg('end', '2025-06-01')}T00:00:00Z`);
  const asOf = new Date(end - 30 * DAY);
  const out: string[] = [];
  const say = (s = ''): void => {
    out.push(s);
    console.log(s);
  };

  // Rerunnable: start from no scores and remove a previous run's injected bot likes (this is a bench database).
  await ds.query(`TRUNCATE scores, score_history, score_runs`);
  await ds.query(`DELETE FROM signal_reactions WHERE post_id LIKE 'inj-%'`);
  if (process.argv.includes('gaming')) {
    await gamingEval(ds, repo, truth, asOf, say);
    writeFileSync(join(__dirname, '..', '.out', 'eval-gaming.md'), out.join('\n') + '\n');
    await ds.destroy();
    return;
  }

  // Seven daily runs ending at asOf: the first sets first scores, the next six are smoothed daily steps.
  const days: Map<string, number>[] = [];
  const times: number[] = [];
  for (let d = 6; d >= 0; d--) {
    const r = await scoreRun(ds, repo, new Date(asOf.getTime() - d * DAY));
    times.push(r.ms);
    const rows: { id: string; score: number }[] = await ds.query(
      `SELECT influencer_id AS id, score FROM scores WHERE topic_id = 0`,
    );
    days.push(new Map(rows.map((x) => [x.id, x.score])));
  }
  const scores: { id: string; score: number; target: number; raw: number }[] = await ds.query(
    `SELECT influencer_id AS id, score, target, (factors->>'raw')::float8 AS raw FROM scores WHERE topic_id = 0`,
  );
  const byId = new Map(scores.map((s) => [s.id, s]));

  const counts = async (from: Date, to: Date): Promise<Map<string, { reshares: number; posts: number }>> => {
    const rows: { id: string; reshares: number }[] = await ds.query(
      `SELECT influencer_id AS id, count(*) FILTER (WHERE kind = 'reshare')::int AS reshares FROM signal_reactions
       WHERE occurred_at > $1 AND occurred_at <= $2 GROUP BY 1`,
      [from, to],
    );
    const posts: { id: string; n: number }[] = await ds.query(
      `SELECT influencer_id AS id, count(*)::int AS n FROM signal_posts WHERE occurred_at > $1 AND occurred_at <= $2 GROUP BY 1`,
      [from, to],
    );
    const m = new Map<string, { reshares: number; posts: number }>();
    for (const r of rows) m.set(r.id, { reshares: r.reshares, posts: 0 });
    for (const p of posts) m.set(p.id, { reshares: m.get(p.id)?.reshares ?? 0, posts: p.n });
    return m;
  };
  const window = await counts(new Date(asOf.getTime() - 90 * DAY), asOf);
  const holdout = await counts(asOf, new Date(end));
  const members = truth.members.filter((m) => byId.has(m.id));

  // (b1) Cha et al. 2010: follower rank vs reshare rank.
  const followers = members.map((m) => m.followers);
  const reshares = members.map((m) => window.get(m.id)?.reshares ?? 0);
  const score = members.map((m) => byId.get(m.id)!.raw);
  say(
    `## Paper reproduction on synthetic data (${members.length.toLocaleString('en-US')} members, scored as of ${asOf.toISOString().slice(0, 10)})`,
  );
  say();
  say('| measure | Spearman ρ | top-100 overlap |');
  say('|---|---|---|');
  say(
    `| followers vs reshares received (Cha et al.: ρ ≈ 0.5, little overlap) | ${spearman(followers, reshares).toFixed(3)} | ${topOverlap(followers, reshares)} / 100 |`,
  );
  say(
    `| Sway score vs reshares received | ${spearman(score, reshares).toFixed(3)} | ${topOverlap(score, reshares)} / 100 |`,
  );
  say(`| followers vs Sway score | ${spearman(followers, score).toFixed(3)} | ${topOverlap(followers, score)} / 100 |`);
  say();

  // (b2) Holdout: do higher score deciles drive more reshares in the next 30 days?
  const ranked = [...members].sort((a, b) => byId.get(a.id)!.raw - byId.get(b.id)!.raw);
  say(
    '| score decile (as of the cut) | mean score | reshares per member, next 30 days | reshares per post, next 30 days | followers (median) |',
  );
  say('|---|---|---|---|---|');
  let monotone = true;
  let prev = -1;
  for (let d = 0; d < 10; d++) {
    const part = ranked.slice(Math.floor((d * ranked.length) / 10), Math.floor(((d + 1) * ranked.length) / 10));
    const rs = part.reduce((s, m) => s + (holdout.get(m.id)?.reshares ?? 0), 0);
    const ps = part.reduce((s, m) => s + (holdout.get(m.id)?.posts ?? 0), 0);
    const perPost = ps ? rs / ps : 0;
    if (perPost < prev) monotone = false;
    prev = perPost;
    const fs = part.map((m) => m.followers).sort((a, b) => a - b);
    const ms = part.reduce((s, m) => s + byId.get(m.id)!.score, 0) / part.length;
    say(
      `| ${d + 1} | ${ms.toFixed(1)} | ${(rs / part.length).toFixed(2)} | ${perPost.toFixed(3)} | ${quantile(fs, 0.5)} |`,
    );
  }
  say();
  say(`Reshares per post rise monotonically across deciles: **${monotone ? 'yes' : 'no'}**.`);
  const holdoutRs = members.map((m) => holdout.get(m.id)?.reshares ?? 0);
  say(
    `Spearman(score, holdout reshares) = ${spearman(score, holdoutRs).toFixed(3)}; Spearman(followers, holdout reshares) = ${spearman(followers, holdoutRs).toFixed(3)}.`,
  );
  // Pairwise accuracy against the latent quality, vs the follower-count baseline.
  let agreeScore = 0;
  let agreeFollowers = 0;
  let pairs = 0;
  for (let i = 0; i < members.length; i += 7) {
    for (let j = i + 3; j < members.length; j += 997) {
      const q = Math.sign(members[i].quality - members[j].quality);
      const s = Math.sign(byId.get(members[i].id)!.raw - byId.get(members[j].id)!.raw);
      const f = Math.sign(members[i].followers - members[j].followers);
      if (q === 0) continue;
      pairs++;
      if (s === q) agreeScore++;
      if (f === q) agreeFollowers++;
    }
  }
  say(
    `Pairwise accuracy against latent influence (${pairs.toLocaleString('en-US')} pairs): score ${(agreeScore / pairs).toFixed(3)}, follower count ${(agreeFollowers / pairs).toFixed(3)}.`,
  );
  say();

  // (c) Stability over the six smoothed daily steps.
  const deltas: number[] = [];
  const rhos: number[] = [];
  const taus: number[] = [];
  for (let d = 1; d < days.length; d++) {
    const ids = [...days[d].keys()].filter((id) => days[d - 1].has(id));
    const a = ids.map((id) => days[d - 1].get(id)!);
    const b = ids.map((id) => days[d].get(id)!);
    for (let i = 0; i < ids.length; i++) deltas.push(Math.abs(b[i] - a[i]));
    rhos.push(spearman(a, b));
    taus.push(kendall(a, b));
  }
  deltas.sort((a, b) => a - b);
  say('## Stability (six daily runs after the first)');
  say();
  say('| p50 |Δ| | p99 |Δ| | max |Δ| | day-over-day Spearman (min) | day-over-day Kendall τ-b (min) |');
  say('|---|---|---|---|---|');
  say(
    `| ${quantile(deltas, 0.5)} | ${quantile(deltas, 0.99)} | ${deltas[deltas.length - 1]} | ${Math.min(...rhos).toFixed(4)} | ${Math.min(...taus).toFixed(4)} |`,
  );
  say();

  // Labelled gaming in the generated data.
  const fraud: { id: string }[] = await ds.query(
    `SELECT DISTINCT influencer_id AS id FROM score_history WHERE reason = 'fraud'`,
  );
  const flagged = new Set(fraud.map((f) => f.id));
  const customers = members.filter((m) => m.botCustomer);
  const others = members.filter((m) => !m.botCustomer);
  const medianScore = (ms: typeof members): number =>
    quantile(
      ms.map((m) => byId.get(m.id)!.score).sort((a, b) => a - b),
      0.5,
    );
  say('## Labelled gaming in the synthetic data');
  say();
  say('| group | members | median score | flagged by the fraud rule |');
  say('|---|---|---|---|');
  say(
    `| bought bot likes | ${customers.length} | ${medianScore(customers)} | ${customers.filter((m) => flagged.has(m.id)).length} |`,
  );
  const pods = members.filter((m) => m.pod !== null);
  say(`| reaction pods | ${pods.length} | ${medianScore(pods)} | ${pods.filter((m) => flagged.has(m.id)).length} |`);
  const bought = members.filter((m) => m.bought);
  say(
    `| bought followers (×10) | ${bought.length} | ${medianScore(bought)} | ${bought.filter((m) => flagged.has(m.id)).length} |`,
  );
  say(
    `| everyone else | ${others.length - pods.length - bought.length} | ${medianScore(others.filter((m) => m.pod === null && !m.bought))} | ${others.filter((m) => m.pod === null && !m.bought && flagged.has(m.id)).length} |`,
  );
  say();

  // (a, on SQL) Bot injection: 5 new bot likers, 300 likes a day each, 30 of them on each of 50 members' posts.
  const secret = hashSecretFromEnv();
  const targets = others
    .filter((m) => m.pod === null && !m.bought)
    .filter((_, i) => i % 97 === 0)
    .slice(0, 50);
  const before = new Map(scores.map((s) => [s.id, s.target]));
  const day = asOf.getTime() - DAY;
  const rows = { k: [] as Buffer[], at: [] as Date[], id: [] as string[], pid: [] as string[], a: [] as Buffer[] };
  for (let b = 0; b < 5; b++) {
    const actor = accountHash(secret, 'twitter', `injected-bot-${b}`);
    for (let i = 0; i < 300; i++) {
      const target = i < targets.length * 6 ? targets[i % targets.length] : members[(i * 31 + b) % members.length];
      const pid = `inj-${b}-${i}`;
      rows.k.push(reactionEventKey('twitter', pid, 'like', actor));
      rows.at.push(new Date(day + i * 60_000));
      rows.id.push(target.id);
      rows.pid.push(pid);
      rows.a.push(actor);
    }
  }
  await ds.query(
    `INSERT INTO signal_reactions (event_key, occurred_at, influencer_id, network, post_id, kind, actor_hash)
     SELECT k, at, id, 'twitter', pid, 'like', a FROM unnest($1::bytea[], $2::timestamptz[], $3::uuid[], $4::text[], $5::bytea[]) AS t(k, at, id, pid, a)`,
    [rows.k, rows.at, rows.id, rows.pid, rows.a],
  );
  await scoreRun(ds, repo, asOf);
  const afterRows: { id: string; target: number }[] = await ds.query(
    `SELECT influencer_id AS id, target FROM scores WHERE topic_id = 0 AND influencer_id = ANY($1)`,
    [targets.map((t) => t.id)],
  );
  const moves = afterRows.map((r) => Math.abs(r.target - before.get(r.id)!)).sort((a, b) => a - b);
  say('## Bot injection (through the SQL pipeline)');
  say();
  say(
    `5 bot likers × 300 likes in one day, ${targets.length} targets × 30 bot likes each: |Δ target| max ${moves[moves.length - 1]}, mean ${(moves.reduce((s, v) => s + v, 0) / moves.length).toFixed(2)} (bound: ≤ 2).`,
  );
  say();
  say(
    `Run times (ms) of the seven daily runs: ${times.map((t) => Math.round(t)).join(', ')}. Model ${MODEL_V1.a}/${MODEL_V1.b}.`,
  );
  writeFileSync(join(__dirname, '..', '.out', 'eval.md'), out.join('\n') + '\n');
  await ds.destroy();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
