import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { emitRows } from './lib/verdict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../src/config/config';
import { searchPath } from '../src/database/contexts';
import { InfluencerTokens } from '../src/influencers/influencer-tokens.service';
import {
  BENCH_ADMIN_TOKEN,
  BENCH_JWT_SECRET,
  REDIS_URL,
  arg,
  createBenchDb,
  deleteRedisPrefix,
  dropBenchDb,
} from './lib/bench-db';
import { LoadResult, runLoad } from './lib/http-load';

/**
 * `npm run bench:claims [-- --seconds 10 --keep]`
 *
 * Target: POST /v1/me/offers/{id}/claim ≥ 50 % of the raw claim transaction's TPS (pgbench), hot (1
 * campaign, 8 clients) and spread (1,000 campaigns, 8 and 32 clients), in the same run, with zero oversell.
 * Members, campaigns and offers are prepared by SQL in a database of the bench's own; the app is the real one
 * (`src/main.ts`, ROLE=api, rate limits off, LOG_LEVEL=warn) in a child process; no workers run (the claim path
 * does not need them: the sold-out job goes to the outbox in the claim's transaction). Each phase uses its own
 * campaigns, so every phase is checked on its own: claimed + remaining = inventory, claims = claimed ≤ inventory,
 * no member twice, one claim per 201.
 */

const ROOT = join(__dirname, '..');
const PHASES = [
  { name: 'hot', campaigns: 1, clients: 8 },
  { name: 'hot', campaigns: 1, clients: 32 },
  { name: 'spread', campaigns: 1000, clients: 8 },
  { name: 'spread', campaigns: 1000, clients: 32 },
];
/** Never sells out during a run (hot: one campaign takes every claim of the phase). */
const HOT_INVENTORY = 1_000_000;
const SPREAD_INVENTORY = 5_000;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function campaigns(c: Client, brandId: string, n: number, inventory: number): Promise<string[]> {
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO campaigns (brand_id, name, status, perk_title, perk_description, perk_kind, unit_cost_cents, currency,
                            inventory, remaining, funded_cents, platform_fee_bps, match, landing_url)
     SELECT $1, 'Bench ' || g, 'active', 'A perk', 'For the bench', 'discount', 1000, 'usd', $3::int, $3::int, $3::int * 1100::bigint,
            1000, 'any', 'https://shop.example/bench'
     FROM generate_series(1, $2::int) g RETURNING id`,
    [brandId, n, inventory],
  );
  return rows.map((r) => r.id);
}

/** One pending offer for each of members first..first+n-1, on a campaign picked at random among `ids`. */
async function offers(
  c: Client,
  ids: string[],
  first: number,
  n: number,
): Promise<{ id: string; influencerId: string; campaignId: string }[]> {
  const { rows } = await c.query(
    `INSERT INTO offers (campaign_id, influencer_id, status, match_score, expires_at)
     SELECT ($1::uuid[])[1 + floor(random() * cardinality($1::uuid[]))::int], m.id, 'pending', 50, now() + interval '1 day'
     FROM bench_members m WHERE m.n >= $2 AND m.n < $2 + $3
     RETURNING id, influencer_id AS "influencerId", campaign_id AS "campaignId"`,
    [ids, first, n],
  );
  return rows;
}

async function verify(
  c: Client,
  ids: string[],
  expectedClaims: number,
): Promise<{ ok: boolean; claims: number; claimed: number; problems: unknown[] }> {
  const { rows } = await c.query(
    `SELECT c.id, c.inventory, c.claimed, c.remaining, count(cl.id)::int AS claims,
            count(DISTINCT cl.influencer_id)::int AS members
     FROM campaigns c LEFT JOIN claims cl ON cl.campaign_id = c.id
     WHERE c.id = ANY($1::uuid[]) GROUP BY c.id`,
    [ids],
  );
  const problems = rows.filter(
    (r) =>
      r.claimed + r.remaining !== r.inventory ||
      r.claims !== r.claimed ||
      r.claims > r.inventory ||
      r.members !== r.claims,
  );
  const claims = rows.reduce((s, r) => s + r.claims, 0);
  const claimed = rows.reduce((s, r) => s + r.claimed, 0);
  return { ok: problems.length === 0 && claims === expectedClaims, claims, claimed, problems };
}

function pgbench(
  url: string,
  clients: number,
  seconds: number,
  script = 'bench/claims.pgbench.sql',
): { tps: number; tx: number; latencyMs: number } {
  const out = execFileSync(
    'pgbench',
    ['-n', '-M', 'prepared', '-c', String(clients), '-j', '2', '-T', String(seconds), '-f', script, url],
    {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      // The tables live in per-context schemas (src/database/contexts.ts): resolve them as the app's pool does.
      env: { ...process.env, PGOPTIONS: `-c search_path=${searchPath()}` },
    },
  );
  const num = (re: RegExp): number => Number(re.exec(out)?.[1] ?? NaN);
  return {
    tps: num(/tps = ([\d.]+) \(without initial connection time\)/),
    tx: num(/number of transactions actually processed: (\d+)/),
    latencyMs: num(/latency average = ([\d.]+) ms/),
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux): the API's cost per claim. */
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function startApi(dbUrl: string, prefix: string): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  // `--profile DIR`: a V8 CPU profile of the API for the whole run (open in Chrome DevTools).
  const profile = arg('profile', '');
  const prof = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const child = spawn(process.execPath, [...prof, '-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ROLE: 'api',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: dbUrl,
      REDIS_URL,
      ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
      JWT_SECRET: BENCH_JWT_SECRET,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_ENABLED: 'false',
      PUBLIC_BASE_URL: 'https://sway.bench',
      // As many connections as the bench's largest client count: a request never queues for one in the app.
      DATABASE_POOL_SIZE: String(Math.max(...PHASES.map((p) => p.clients))),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (code !== 0) console.error(`api exited: code ${code}, signal ${signal}`);
  });
  for (const deadline = Date.now() + 60_000; ;) {
    if (child.exitCode !== null) throw new Error(`api exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.status < 500,
      () => false,
    );
    if (ok) return { child, port };
    if (Date.now() > deadline) throw new Error('api did not start within 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  const seconds = Number(arg('seconds', '10'));
  const keep = process.argv.includes('--keep');
  const db = await createBenchDb('claims');
  const prefix = `{bench-claims-${process.pid}}`;
  let api: ChildProcess | null = null;
  const c = new Client({ connectionString: db.url, options: `-c search_path=${searchPath()}` });
  await c.connect();
  try {
    // Pools sized for ~10k TPS raw / ~5k TPS HTTP over the run, so neither runs out of prepared offers.
    const rawPool = Math.ceil(seconds * 12_000);
    const httpPool = Math.ceil(seconds * 6_000);
    // Every phase uses fresh members (no one twice across phases either), plus the warm-up and the sell-out race.
    const members = PHASES.length * (rawPool + 2 * httpPool) + 4_000;
    const t0 = performance.now();
    await c.query(
      `INSERT INTO influencers (email, display_name, password_hash, country, adult_verified_at, consent_matching)
       SELECT 'c' || g || '@bench.example', 'Claimer ' || g, 'x', 'US', now(), true FROM generate_series(1, $1::int) g`,
      [members],
    );
    await c.query(
      `CREATE TABLE bench_members AS SELECT row_number() OVER (ORDER BY id)::int AS n, id FROM influencers`,
    );
    await c.query(`CREATE UNIQUE INDEX ON bench_members (n)`);
    // The claim records the member's overall score at claim time: give everyone one, as a scoring run would.
    await c.query(
      `INSERT INTO scores (influencer_id, topic_id, score, target, base_score, base_day, percentile, reactors, published,
                           factors, model_version, computed_at, run_id)
       SELECT id, 0, 50, 50, 50, current_date, NULL, 50, true, '[]'::jsonb, 'v1', now(), gen_random_uuid() FROM influencers`,
    );
    await c.query(
      `CREATE TABLE bench_pool (n bigint PRIMARY KEY, offer_id uuid, campaign_id uuid, influencer_id uuid)`,
    );
    await c.query(`CREATE SEQUENCE bench_pool_seq`);
    const [{ id: brandId }] = (
      await c.query(`INSERT INTO brands (name, email) VALUES ('Bench brand', 'bench@brand.example') RETURNING id`)
    ).rows;
    await c.query(`VACUUM ANALYZE`);
    console.error(`prepared ${members} members in ${Math.round(performance.now() - t0)} ms`);

    const config = loadConfig({
      DATABASE_URL: db.url,
      REDIS_URL,
      ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
      JWT_SECRET: BENCH_JWT_SECRET,
    });
    const tokens = new InfluencerTokens(config);
    const claimItems = (rows: { id: string; influencerId: string }[]) =>
      rows.map((o) => ({
        path: `/v1/me/offers/${o.id}/claim`,
        headers: { authorization: `Bearer ${tokens.sign(o.influencerId)}`, 'content-length': '0' },
      }));

    const started = await startApi(db.url, prefix);
    api = started.child;
    const port = started.port;
    let nextMember = 1;

    // Warm-up (JIT, connection pool, prepared plans), not measured.
    {
      const ids = await campaigns(c, brandId, 1, HOT_INVENTORY);
      const o = await offers(c, ids, nextMember, 3_000);
      nextMember += 3_000;
      await runLoad(port, claimItems(o), 8, 30);
    }

    const results = [];
    for (const p of PHASES) {
      // Raw: pgbench over prepared offers of fresh campaigns.
      const inventory = p.campaigns === 1 ? HOT_INVENTORY : SPREAD_INVENTORY;
      const rawIds = await campaigns(c, brandId, p.campaigns, inventory);
      await c.query(`TRUNCATE bench_pool`);
      await c.query(`ALTER SEQUENCE bench_pool_seq RESTART`);
      const rawOffers = await offers(c, rawIds, nextMember, rawPool);
      nextMember += rawPool;
      await c.query(
        `INSERT INTO bench_pool (n, offer_id, campaign_id, influencer_id)
         SELECT row_number() OVER (), id, campaign_id, influencer_id FROM offers WHERE id = ANY($1::uuid[])`,
        [rawOffers.map((o) => o.id)],
      );
      await c.query(`VACUUM ANALYZE bench_pool`);
      await c.query(`CHECKPOINT`);
      const raw = pgbench(db.url, p.clients, seconds);
      const rawCheck = await verify(c, rawIds, raw.tx);

      // Raw, same work: the product's own claim statements (claims-full.pgbench.sql) without the app.
      const fullIds = await campaigns(c, brandId, p.campaigns, inventory);
      await c.query(`TRUNCATE bench_pool`);
      await c.query(`ALTER SEQUENCE bench_pool_seq RESTART`);
      const fullOffers = await offers(c, fullIds, nextMember, httpPool);
      nextMember += httpPool;
      await c.query(
        `INSERT INTO bench_pool (n, offer_id, campaign_id, influencer_id)
         SELECT row_number() OVER (), id, campaign_id, influencer_id FROM offers WHERE id = ANY($1::uuid[])`,
        [fullOffers.map((o) => o.id)],
      );
      await c.query(`VACUUM ANALYZE bench_pool`);
      await c.query(`VACUUM ANALYZE offers`);
      await c.query(`CHECKPOINT`);
      const full = pgbench(db.url, p.clients, seconds, 'bench/claims-full.pgbench.sql');
      const fullCheck = await verify(c, fullIds, full.tx);

      // HTTP: the same shape through the real API.
      const httpIds = await campaigns(c, brandId, p.campaigns, inventory);
      const httpOffers = await offers(c, httpIds, nextMember, httpPool);
      nextMember += httpPool;
      await c.query(`VACUUM ANALYZE offers`);
      await c.query(`CHECKPOINT`);
      const cpu0 = cpuSeconds(api.pid!);
      const load: LoadResult = await runLoad(port, claimItems(httpOffers), p.clients, seconds);
      const apiCpuMsPerClaim = Math.round(((cpuSeconds(api.pid!) - cpu0) * 1000 * 100) / load.requests) / 100;
      const httpCheck = await verify(c, httpIds, load.status['201'] ?? 0);
      const ratio = Math.round((load.rps / raw.tps) * 1000) / 10;
      results.push({
        phase: `${p.name}, ${p.campaigns} campaign(s), ${p.clients} clients`,
        raw,
        rawCheck,
        full,
        fullCheck,
        http: load,
        apiCpuMsPerClaim,
        httpCheck,
        ratio,
      });
      console.error(JSON.stringify(results[results.length - 1]));
    }

    // Sell-out under contention through HTTP: 1,000 members race for 200 units on one campaign.
    const [soldId] = await campaigns(c, brandId, 1, 200);
    const soldOffers = await offers(c, [soldId], nextMember, 1_000);
    const sold = await runLoad(port, claimItems(soldOffers), 32, 60);
    const soldCheck = await verify(c, [soldId], 200);
    const soldOut = {
      ...soldCheck,
      status: sold.status,
      ok: soldCheck.ok && sold.status['201'] === 200 && sold.status['409'] === 800,
    };

    console.log(JSON.stringify({ seconds, results, soldOut }, null, 1));
    console.log(
      '\n| phase | raw pgbench TPS | same-work pgbench TPS | HTTP claims/s | HTTP p50 / p95 / p99 (ms) | HTTP / raw | HTTP / same work | API CPU per claim (ms) | oversell check |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const r of results) {
      console.log(
        `| ${r.phase} | ${Math.round(r.raw.tps)} | ${Math.round(r.full.tps)} | ${r.http.rps} | ${r.http.p50} / ${r.http.p95} / ${r.http.p99} | ${r.ratio} % | ${Math.round((r.http.rps / r.full.tps) * 1000) / 10} % | ${r.apiCpuMsPerClaim} | ${r.rawCheck.ok && r.fullCheck.ok && r.httpCheck.ok ? 'ok' : 'FAILED'} (raw ${r.rawCheck.claims}, same work ${r.fullCheck.claims}, HTTP ${r.httpCheck.claims} claims) |`,
      );
    }
    console.log(
      `\nsell-out race (200 units, 1,000 members, 32 clients): ${JSON.stringify(sold.status)} → ${soldOut.ok ? 'ok' : 'FAILED'}`,
    );
    emitRows(
      results.map((r) => ({
        path: `claim (${r.phase})`,
        baseline: 'raw claim transaction (pgbench)',
        baselineValue: r.raw.tps,
        product: r.http.rps,
        unit: 'claims/s',
        ratio: r.http.rps / r.raw.tps,
        target: '≥ 50 %, zero oversell',
        met: r.http.rps / r.raw.tps >= 0.5 && r.rawCheck.ok && r.fullCheck.ok && r.httpCheck.ok,
        note:
          `HTTP p99 ${r.http.p99} ms; the product's own claim statements without the app (claims-full.pgbench.sql) ` +
          `${Math.round(r.full.tps)} TPS, HTTP = ${((100 * r.http.rps) / r.full.tps).toFixed(1)} % of it; ` +
          `oversell check ${r.rawCheck.ok && r.fullCheck.ok && r.httpCheck.ok ? 'ok' : 'FAILED'}; sell-out race ${soldOut.ok ? 'ok' : 'FAILED'}`,
      })),
    );
    if (!results.every((r) => r.rawCheck.ok && r.fullCheck.ok && r.httpCheck.ok) || !soldOut.ok) process.exitCode = 1;
  } finally {
    if (api && api.exitCode === null && api.signalCode === null) {
      const exited = new Promise((r) => api!.once('exit', r));
      api.kill('SIGTERM');
      await exited;
    }
    await c.end();
    await deleteRedisPrefix(prefix);
    if (!keep) await dropBenchDb(db.name);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
