import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { searchPath } from '../src/database/contexts';
import { MatchingJob, OffersJob } from '../src/matching/matching.queue';
import { MODEL_VERSION } from '../src/scoring/model-v1';
import { ScoringJob } from '../src/scoring/scoring.queue';
import { connect } from './lib';
import {
  BENCH_ADMIN_TOKEN,
  BENCH_JWT_SECRET,
  REDIS_URL,
  arg,
  createBenchDb,
  databaseExists,
  databaseUrl,
  deleteRedisPrefix,
  dropBenchDb,
  quoteIdent,
  withAdmin,
} from './lib/bench-db';
import { emitRows, load1 } from './lib/verdict';
import { load as loadMembers } from './matching';

/**
 * `npm run bench:worker-memory [-- --sizes 10000,100000] [--db-prefix NAME] [--json FILE]`
 *
 * Target: the worker's memory stays flat as the population grows: nothing loads a population into Node. For each
 * size it builds a database (members × 5 topic scores + overall, 20 reactions per member for a score run, four
 * active campaigns of 5,000 units, a fifth of the members holding a pending offer that is past its expiry), starts
 * the real worker (`ROLE=worker`, src/main.ts, as production runs it) and drives it through a score run, a wave for
 * every active campaign and the offer expiry, one after the other, sampling the worker's RSS from /proc every
 * 100 ms. Reported: peak RSS per size, and the peak at the largest size beside the peak at the smallest (same run):
 * target ≤ 1.3× for a 10× population (proportional would be 10×).
 * `--db-prefix NAME` keeps each size's database as NAME_<size> and reuses it when it already holds that population.
 */
const ROOT = join(__dirname, '..');
const sizes = arg('sizes', '10000,100000').split(',').map(Number);
const dbPrefix = arg('db-prefix', '');
const INVENTORY = 5_000;
const REACTIONS_PER_MEMBER = 20;
const GROWTH_TARGET = 1.3;

async function load(url: string, members: number): Promise<void> {
  const c = new Client({ connectionString: url, options: `-c search_path=${searchPath()}` });
  await c.connect();
  try {
    const t0 = performance.now();
    // The same members and skewed scores as the matching bench (bench/matching.ts), then what a worker acts on.
    const topics = await loadMembers(c, members);
    // Signals for the score run: two posts per member over the last 20 days, reactions from a pool of actors.
    await c.query(
      `INSERT INTO signal_posts (network, post_id, occurred_at, influencer_id, account_hash, topic_ids)
       SELECT 'twitter', i.id || ':' || p, now() - make_interval(days => 1 + p * 7), i.id,
              sha256(convert_to(i.id::text, 'UTF8')), ARRAY[($1::int[])[1 + (p % 5)]]
       FROM influencers i CROSS JOIN generate_series(0, 1) p`,
      [topics],
    );
    await c.query(
      `INSERT INTO signal_reactions (event_key, occurred_at, influencer_id, network, post_id, kind, actor_hash)
       SELECT sha256(convert_to(i.id || ':' || r, 'UTF8')), now() - make_interval(days => 1 + (r % 2) * 7, mins => r),
              i.id, 'twitter', i.id || ':' || (r % 2), 'like',
              sha256(convert_to('actor' || floor(random() * 50000)::int, 'UTF8'))
       FROM influencers i CROSS JOIN generate_series(1, $1::int) r`,
      [REACTIONS_PER_MEMBER],
    );
    const [{ id: brandId }] = (
      await c.query<{ id: string }>(
        `INSERT INTO brands (name, email) VALUES ('Bench brand', 'bench@brand.example') RETURNING id`,
      )
    ).rows;
    const campaigns: string[] = [];
    for (const [k, spec] of [
      { topics: 1, match: 'any', countries: null },
      { topics: 3, match: 'any', countries: null },
      { topics: 2, match: 'all', countries: null },
      { topics: 3, match: 'any', countries: ['GB'] },
    ].entries()) {
      const {
        rows: [{ id }],
      } = await c.query<{ id: string }>(
        `INSERT INTO campaigns (brand_id, name, status, perk_title, perk_description, perk_kind, unit_cost_cents,
                                currency, inventory, remaining, funded_cents, platform_fee_bps, match, countries,
                                landing_url)
         VALUES ($1, 'Bench ' || $5::int, 'active', 'A perk', 'For the bench', 'discount', 1000, 'usd', $2, $2,
                 $2 * 1100, 1000, $3, $4, 'https://shop.example/bench') RETURNING id`,
        [brandId, INVENTORY, spec.match, spec.countries, k],
      );
      await c.query(
        `INSERT INTO campaign_topics (campaign_id, topic_id, min_score) SELECT $1, t, 40 FROM unnest($2::int[]) t`,
        [id, topics.slice(k % 3, (k % 3) + spec.topics)],
      );
      campaigns.push(id);
    }
    // A fifth of the members hold an offer of the first campaign that expired an hour ago: the expiry's work.
    await c.query(
      `INSERT INTO offers (campaign_id, influencer_id, status, match_score, expires_at, created_at)
       SELECT $1, id, 'pending', 50, now() - interval '1 hour', now() - interval '3 days'
       FROM influencers ORDER BY id LIMIT $2`,
      [campaigns[0], Math.floor(members / 5)],
    );
    for (const t of ['signal_posts', 'signal_reactions', 'offers']) await c.query(`VACUUM ANALYZE ${t}`);
    console.error(`loaded ${members} members in ${Math.round(performance.now() - t0)} ms`);
  } finally {
    await c.end();
  }
}

async function population(url: string): Promise<number> {
  const c = new Client({ connectionString: url, options: `-c search_path=${searchPath()}` });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM influencers`);
    return rows[0].n;
  } catch {
    return -1;
  } finally {
    await c.end();
  }
}

/** A database per size: a fresh one (dropped after), or NAME_<size> kept and reused when already loaded. */
async function database(size: number): Promise<{ name: string; url: string; drop: boolean }> {
  if (!dbPrefix) {
    const db = await createBenchDb(`worker_memory_${size}`);
    await withScoringPartitions(db.url, () => load(db.url, size));
    return { ...db, drop: true };
  }
  const name = `${dbPrefix}_${size}`;
  const url = databaseUrl(name);
  if ((await databaseExists(name)) && (await population(url)) === size) {
    console.error(`reusing ${name}`);
    return { name, url, drop: false };
  }
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${quoteIdent(name)}`);
  });
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/database/migrate.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await withScoringPartitions(url, () => load(url, size));
  return { name, url, drop: false };
}

async function withScoringPartitions(url: string, fn: () => Promise<void>): Promise<void> {
  const { ds, repo } = await connect(url);
  const now = new Date();
  await repo.ensurePartitions(
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 4, 1)),
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1)),
  );
  await ds.destroy();
  await fn();
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function startWorker(url: string, prefix: string): ChildProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ROLE: 'worker',
      DATABASE_URL: url,
      REDIS_URL,
      ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
      JWT_SECRET: BENCH_JWT_SECRET,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      PUBLIC_BASE_URL: 'https://sway.bench',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') console.error(`worker exited: code ${code}, signal ${signal}`);
  });
  return child;
}

interface SizeResult {
  members: number;
  idleMb: number;
  peakMb: number;
  phases: Record<string, { peakMb: number; ms: number }>;
}

async function measure(size: number): Promise<SizeResult> {
  const db = await database(size);
  const prefix = `{bench-batch-wm-${process.pid}-${size}}`;
  const queues = Object.fromEntries(
    ['scoring', 'matching', 'offers', 'notifications', 'webhooks', 'campaigns'].map((q) => [
      q,
      new Queue(q, { connection: { url: REDIS_URL }, prefix }),
    ]),
  );
  const child = startWorker(db.url, prefix);
  let peak = 0;
  const sampler = setInterval(() => {
    if (child.pid && child.exitCode === null) peak = Math.max(peak, rssMb(child.pid));
  }, 100);
  const idle = async (what: string): Promise<void> => {
    for (let quiet = 0, deadline = Date.now() + 30 * 60_000; quiet < 20;) {
      if (child.exitCode !== null) throw new Error(`worker exited during ${what}`);
      if (Date.now() > deadline) throw new Error(`${what} did not finish within 30 min`);
      let busy = 0;
      for (const q of Object.values(queues)) {
        // Not 'delayed': the schedules' next repeatable jobs wait there for good.
        const c = await q.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
        busy += Object.values(c).reduce((s, v) => s + v, 0);
      }
      quiet = busy ? 0 : quiet + 1;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    for (const deadline = Date.now() + 120_000; (await queues.scoring.getWorkersCount()) === 0;) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error('worker did not start');
      await new Promise((r) => setTimeout(r, 250));
    }
    await idle('start-up');
    await new Promise((r) => setTimeout(r, 2_000));
    const idleMb = rssMb(child.pid as number);
    const phases: SizeResult['phases'] = {};
    const phase = async (name: string, enqueue: () => Promise<unknown>): Promise<void> => {
      peak = 0;
      const t0 = performance.now();
      await enqueue();
      await idle(name);
      phases[name] = { peakMb: Math.round(peak), ms: Math.round(performance.now() - t0) };
      console.error(`${size} members, ${name}: peak ${Math.round(peak)} MB in ${phases[name].ms} ms`);
    };
    const { ds } = await connect(db.url);
    try {
      await phase('score run', async () => {
        const [{ id }] = await ds.query(
          `INSERT INTO score_runs (trigger, model_version, as_of, status) VALUES ('manual', $1, NULL, 'queued') RETURNING id`,
          [MODEL_VERSION],
        );
        await queues.scoring.add(ScoringJob.Run, { runId: id }, { jobId: `bench-run-${id}` });
      });
      const [run] = await ds.query(
        `SELECT status, scored FROM score_runs WHERE trigger = 'manual' ORDER BY created_at DESC LIMIT 1`,
      );
      if (run?.status !== 'succeeded') throw new Error(`score run ended ${run?.status}`);
      await phase('waves', () => queues.matching.add(MatchingJob.MatchActiveCampaigns, {}, { jobId: 'bench-waves' }));
      await phase('expiry', () => queues.offers.add(OffersJob.ExpireOffers, {}, { jobId: 'bench-expiry' }));
      const [{ offers }] = await ds.query(`SELECT count(*)::int AS offers FROM offers WHERE status = 'pending'`);
      console.error(`${size} members: ${run.scored} scored, ${offers} pending offers after the waves`);
    } finally {
      await ds.destroy();
    }
    return {
      members: size,
      idleMb: Math.round(idleMb),
      peakMb: Math.max(...Object.values(phases).map((p) => p.peakMb)),
      phases,
    };
  } finally {
    clearInterval(sampler);
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    for (const q of Object.values(queues)) await q.close();
    await deleteRedisPrefix(prefix);
    if (db.drop) await dropBenchDb(db.name);
  }
}

async function main(): Promise<void> {
  const results: SizeResult[] = [];
  const loadBefore = load1();
  for (const size of sizes) results.push(await measure(size));
  console.log(JSON.stringify({ loadBefore, loadAfter: load1(), results }, null, 1));
  const [small] = results;
  const rows = results.slice(1).map((r) => {
    const ratio = r.peakMb / small.peakMb;
    const scale = r.members / small.members;
    return {
      path: `worker peak RSS, ${r.members.toLocaleString('en-US')} members (${scale}× population)`,
      baseline: `peak at ${small.members.toLocaleString('en-US')} members`,
      baselineValue: small.peakMb,
      product: r.peakMb,
      unit: 'MB',
      ratio,
      target: `≤ ${GROWTH_TARGET}× (proportional: ${scale}×)`,
      met: ratio <= GROWTH_TARGET,
      note: results.map((x) => `${x.members}: idle ${x.idleMb} MB, peak ${x.peakMb} MB`).join('; '),
    };
  });
  emitRows(rows);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
