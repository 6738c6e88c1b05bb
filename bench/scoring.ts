import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { databaseExists, databaseUrl, quoteIdent, withAdmin } from './lib/bench-db';
import { BenchRow, emitRows, load1 } from './lib/verdict';
import { arg, connect, scoreRun } from './lib';

const ROOT = join(__dirname, '..');
const BASE_MEMBERS = 10_000;
const AS_OF = '2025-06-01';
const TARGET_S = 60;
const TARGET_GROWTH = 12;

/**
 * `npm run bench:scoring -- [--members 100000] [--db NAME] [--rate 50] [--rebuild] [--scale-to 1000000] [--scale-db NAME]
 *   [--drop] [--json FILE]`
 *
 * Builds (or reuses) a scoring population of `--members` (10k synthetic members, seed 1, 90 days ending
 * 2025-06-01, `--rate` reactions per member per 90 days, default 50 so 100k members give the issue's ≈ 10M
 * reactions; replicated inside PostgreSQL by bench/replicate.ts), then times a first run (every score new) and
 * a steady run (upserts, smoothing, history) beside the raw aggregate baseline over the same reactions.
 * `--scale-to M` also copies the population to M members in a second cached database and times the same two runs
 * there, for the growth row. A database is reused when its `public.bench_population` marker names the same size,
 * so the final quiet run need not rebuild; `--drop` removes the databases at the end.
 */
async function main(): Promise<void> {
  const members = Number(arg('members', '100000'));
  const name = arg('db', dbName(members));
  const rebuild = process.argv.includes('--rebuild');
  console.log(`load average (1 min) before: ${load1()}`);
  await ensurePopulation(name, members, rebuild, null);
  const small = await measure(name, members);
  const rows = rowsFor(small);
  let scaledName: string | null = null;
  if (process.argv.includes('--scale-to')) {
    const big = Number(arg('scale-to'));
    scaledName = arg('scale-db', dbName(big));
    await ensurePopulation(scaledName, big, rebuild, name);
    const large = await measure(scaledName, big);
    rows.push(...rowsFor(large));
    for (const [kind, a, b] of [
      ['first', small.first, large.first],
      ['steady', small.second, large.second],
    ] as const) {
      const growth = b / a;
      rows.push({
        path: `scoring ${label(big)} / ${label(members)} (${kind} run)`,
        baseline: `${label(members)} ${kind} run`,
        baselineValue: a / 1000,
        product: b / 1000,
        unit: 's',
        ratio: growth,
        target: `≤ ${TARGET_GROWTH}× for ${big / members}× the members`,
        met: growth <= TARGET_GROWTH,
        note: `raw aggregate grew ${(large.raw / small.raw).toFixed(1)}×`,
      });
    }
  }
  console.log(`load average (1 min) after: ${load1()}`);
  emitRows(rows);
  if (process.argv.includes('--drop')) {
    for (const n of [name, scaledName])
      if (n) await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(n)} WITH (FORCE)`));
  }
}

interface Measured {
  members: number;
  reactions: number;
  topicRows: number;
  raw: number;
  first: number;
  second: number;
  load: [number, number];
}

function rowsFor(m: Measured): BenchRow[] {
  const note = `${m.reactions.toLocaleString('en-US')} reactions, ${m.topicRows.toLocaleString('en-US')} topic rows; load ${m.load[0]} → ${m.load[1]}`;
  return (
    [
      ['first', m.first],
      ['steady', m.second],
    ] as const
  ).map(([kind, ms]) => ({
    path: `scoring ${label(m.members)} ${kind} run`,
    baseline: 'raw aggregate',
    baselineValue: m.raw / 1000,
    product: ms / 1000,
    unit: 's',
    ratio: ms / m.raw,
    target: `≤ ${TARGET_S} s`,
    met: ms / 1000 <= TARGET_S,
    note,
  }));
}

async function measure(name: string, expected: number): Promise<Measured> {
  const { ds, repo } = await connect(databaseUrl(name));
  const asOf = new Date(`${arg('as-of', AS_OF)}T00:00:00Z`);
  const load0 = load1();
  // A reused database holds the previous bench's scores: start from none, so the first run is a first run.
  await ds.query(`TRUNCATE scoring.scores, scoring.score_history, scoring.score_runs CASCADE`);
  const [{ members }] = await ds.query(`SELECT count(*)::int AS members FROM influencers.active_members`);
  if (members !== expected) throw new Error(`${name} has ${members} active members, expected ${expected}`);
  const [{ reactions }] = await ds.query(
    `SELECT count(*)::int AS reactions FROM scoring.signal_reactions WHERE occurred_at > $1::timestamptz - interval '90 days' AND occurred_at <= $1`,
    [asOf],
  );
  // Warm the cache the same way for both: one scan.
  await ds.query(`SELECT count(*) FROM scoring.signal_reactions`);
  const rawMs = await raw(ds, asOf);
  const first = await scoreRun(ds, repo, asOf, 'manual');
  const second = await scoreRun(ds, repo, asOf, 'manual');
  const rawMs2 = await raw(ds, asOf);
  const [{ topicRows }] = await ds.query(`SELECT count(*)::int AS "topicRows" FROM scoring.scores WHERE topic_id <> 0`);
  await ds.destroy();
  const out = {
    members,
    reactions,
    topicRows,
    raw: Math.min(rawMs, rawMs2),
    first: first.ms,
    second: second.ms,
    load: [load0, load1()] as [number, number],
  };
  console.log(
    JSON.stringify({ db: name, ...out, rawMs, rawMs2, firstStats: first.stats, secondStats: second.stats }, null, 1),
  );
  return out;
}

/** The baseline: one hash aggregate of the same window's reactions per member, into a temp table. */
async function raw(ds: DataSource, asOf: Date): Promise<number> {
  return ds.transaction(async (m) => {
    await m.query(`SET LOCAL work_mem = '1GB'`);
    await m.query(`SET LOCAL statement_timeout = '60min'`);
    const t0 = performance.now();
    await m.query(
      `CREATE TEMP TABLE raw_agg ON COMMIT DROP AS
       SELECT influencer_id, count(*) AS reactions, count(DISTINCT actor_hash) AS reactors
       FROM scoring.signal_reactions WHERE occurred_at > $1::timestamptz - interval '90 days' AND occurred_at <= $1
       GROUP BY influencer_id`,
      [asOf],
    );
    return performance.now() - t0;
  });
}

/**
 * The population, cached by database name. From scratch: migrate, synthesise 10k members, replicate. Scaled from
 * `from`: a template copy of that database, replicated again with a distinct id suffix.
 */
async function ensurePopulation(name: string, members: number, rebuild: boolean, from: string | null): Promise<void> {
  const url = databaseUrl(name);
  const rate = arg('rate', '50');
  const cached = await (async () => {
    if (rebuild || !(await databaseExists(name))) return false;
    const { ds } = await connect(url);
    try {
      const rows = await ds.query(
        `SELECT to_jsonb(p) AS p FROM public.bench_population p WHERE to_regclass('public.bench_population') IS NOT NULL`,
      );
      // A population synthesised at another reaction rate is a different population.
      return rows[0]?.p.members === members && String(rows[0]?.p.rate ?? 100) === rate;
    } catch {
      return false;
    } finally {
      await ds.destroy();
    }
  })();
  if (cached) {
    console.log(`reusing ${name} (${members} members)`);
    return;
  }
  const t0 = Date.now();
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await c.query(
      from ? `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(from)}` : `CREATE DATABASE ${quoteIdent(name)}`,
    );
  });
  const node = (script: string, args: string[], env: Record<string, string> = {}): void => {
    execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', script, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  };
  let copies: number;
  let suffix: string;
  if (from) {
    const [{ n }] = await withDb(url, `SELECT members AS n FROM public.bench_population`);
    copies = members / n;
    suffix = 'x';
  } else {
    node('src/database/migrate.ts', [], { DATABASE_URL: url });
    const synthArgs = ['--members', String(BASE_MEMBERS), '--seed', '1', '--days', '90', '--end', AS_OF];
    node('bench/synth/cli.ts', [...synthArgs, '--rate', rate], { DATABASE_URL: url });
    copies = members / BASE_MEMBERS;
    suffix = 'c';
  }
  if (!Number.isInteger(copies) || copies < 1) throw new Error(`--members must be a multiple of ${BASE_MEMBERS}`);
  if (copies > 1) node('bench/replicate.ts', ['--db', url, '--copies', String(copies), '--suffix', suffix]);
  await withDb(
    url,
    `DROP TABLE IF EXISTS public.bench_population;
     CREATE TABLE public.bench_population AS SELECT ${members}::int AS members, ${Number(rate)}::int AS rate, now() AS built_at`,
  );
  await withDb(url, `VACUUM ANALYZE`);
  console.log(`built ${name} (${members} members) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

async function withDb(url: string, sql: string): Promise<{ n: number }[]> {
  const { ds } = await connect(url);
  try {
    return await ds.query(sql);
  } finally {
    await ds.destroy();
  }
}

const dbName = (members: number): string => `sway_bench_scoring_${label(members).toLowerCase()}`;
const label = (n: number): string => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
