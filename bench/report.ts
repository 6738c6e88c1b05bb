import { ChildProcess } from 'node:child_process';
import { DataSource } from 'typeorm';
import { RollupsRepository } from '../src/tracking/rollups.repository';
import { TrackingRepository } from '../src/tracking/tracking.repository';
import {
  arg,
  buildServer,
  createBenchDb,
  dbUrl,
  dropBenchDb,
  quantile,
  removeBuild,
  seedCampaign,
  spawnSway,
  stop,
  waitForPort,
} from './tracking-support';
import { emitRows } from './lib/verdict';

/**
 * Report latency through HTTP over a campaign with `--clicks` clicks (10M) and `--conversions` conversions (1M),
 * generated set-based with generate_series over 60 days into monthly partitions; rollups are built by the
 * reconciliation recount (so the report is checked against a recount from the raw rows too). The server is the
 * real one (ROLE=api) in a child process; requests are sequential, after a warm-up.
 *
 *   node -r ts-node/register/transpile-only bench/report.ts [--clicks 10000000] [--conversions 1000000] [--requests 1000]
 */
async function main(): Promise<void> {
  const clicks = Number(arg('clicks', '10000000'));
  const conversions = Number(arg('conversions', '1000000'));
  const requests = Number(arg('requests', '1000'));
  const claims = Number(arg('claims', '2000'));
  const name = `sway_bench_report_${process.pid}`;
  buildServer();
  const ds = await createBenchDb(name);
  let app: ChildProcess | null = null;
  try {
    const seed = await seedCampaign(ds, claims);
    const tracking = new TrackingRepository(ds);
    const now = new Date();
    await tracking.ensurePartitions(new Date(now.getTime() - 62 * 86_400_000), now);
    const t0 = performance.now();
    await generate(ds, seed, clicks, conversions);
    const genS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const repaired = await new RollupsRepository(ds).reconcile(seed.campaignId);
    const rollS = (performance.now() - t1) / 1000;
    await ds.query(`VACUUM ANALYZE`);
    console.log(
      `generated ${clicks} clicks and ${conversions} conversions in ${genS.toFixed(0)} s; rollups from a recount in ${rollS.toFixed(1)} s (${repaired.length} rollup rows)`,
    );

    const signup = await (async () => {
      app = spawnSway({
        ROLE: 'api',
        PORT: '4103',
        HOST: '127.0.0.1',
        DATABASE_URL: dbUrl(name),
        QUEUE_PREFIX: `{bench-report-${process.pid}}`,
        LOG_LEVEL: 'warn',
      });
      await waitForPort(4103, '/health');
      return fetch('http://127.0.0.1:4103/v1/brands', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Report bench', email: 'r@bench.example' }),
      }).then((r) => r.json() as Promise<{ brand: { id: string }; apiKey: string }>);
    })();
    await ds.query(`UPDATE campaigns SET brand_id = $1 WHERE id = $2`, [signup.brand.id, seed.campaignId]);
    const url = `http://127.0.0.1:4103/v1/campaigns/${seed.campaignId}/report`;
    const get = async (u: string): Promise<{ ms: number; body: { funnel: Record<string, number> } }> => {
      const s = performance.now();
      const res = await fetch(u, { headers: { authorization: `Bearer ${signup.apiKey}` } });
      const body = (await res.json()) as { funnel: Record<string, number> };
      if (res.status !== 200) throw new Error(`report: ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - s, body };
    };
    for (let i = 0; i < 50; i++) await get(url);
    const lat: number[] = [];
    let last: { funnel: Record<string, number> } | null = null;
    for (let i = 0; i < requests; i++) {
      const r = await get(url);
      lat.push(r.ms);
      last = r.body;
    }
    lat.sort((a, b) => a - b);
    const daily: number[] = [];
    for (let i = 0; i < 200; i++) daily.push((await get(`${url}/daily`)).ms);
    daily.sort((a, b) => a - b);

    const t2 = performance.now();
    const [truth] = await ds.query(
      `SELECT (SELECT count(*) FROM clicks WHERE campaign_id = $1 AND kind = 'human')::int AS clicks,
              (SELECT count(*) FROM conversions WHERE campaign_id = $1 AND currency = 'usd')::int AS conversions,
              (SELECT sum(amount_cents) FROM conversions WHERE campaign_id = $1 AND currency = 'usd')::float8 AS revenue`,
      [seed.campaignId],
    );
    const scanMs = performance.now() - t2;
    const equal =
      last!.funnel.clicks === truth.clicks &&
      last!.funnel.conversions === truth.conversions &&
      last!.funnel.revenueCents === truth.revenue;
    console.log(
      [
        '| request | p50 ms | p95 ms | p99 ms |',
        '|---|---|---|---|',
        `| GET /v1/campaigns/{id}/report (${requests} sequential) | ${quantile(lat, 0.5).toFixed(2)} | ${quantile(lat, 0.95).toFixed(2)} | ${quantile(lat, 0.99).toFixed(2)} |`,
        `| GET /v1/campaigns/{id}/report/daily (200 sequential) | ${quantile(daily, 0.5).toFixed(2)} | ${quantile(daily, 0.95).toFixed(2)} | ${quantile(daily, 0.99).toFixed(2)} |`,
        '',
        `data: ${clicks} clicks (${truth.clicks} human), ${conversions} conversions, ${claims} claims, 60 days; target p95 ≤ 10 ms.`,
        `recount from raw rows (clicks, conversions, revenue; one query): ${scanMs.toFixed(0)} ms; report equals recount: ${equal ? 'yes' : 'NO'}.`,
      ].join('\n'),
    );
    emitRows([
      {
        path: `GET /v1/campaigns/{id}/report p95 (${clicks} clicks, ${conversions} conversions, ${claims} claims)`,
        baseline: 'recount from raw rows (ms)',
        baselineValue: scanMs,
        product: quantile(lat, 0.95),
        unit: 'ms',
        ratio: null,
        target: 'p95 ≤ 10 ms, equal to a recount',
        met: quantile(lat, 0.95) <= 10 && equal,
        note: `p50 ${quantile(lat, 0.5).toFixed(2)} ms, p99 ${quantile(lat, 0.99).toFixed(2)} ms; equals recount: ${equal ? 'yes' : 'NO'}`,
      },
    ]);
    if (!equal) process.exitCode = 1;
  } finally {
    if (app) await stop(app);
    await ds.destroy();
    removeBuild();
    await dropBenchDb(name);
  }
}

/** Set-based generation: clicks spread over 60 days and the claims, ~8 % bots; conversions by code and by click. */
async function generate(
  ds: DataSource,
  seed: { campaignId: string; claimIds: string[] },
  clicks: number,
  conversions: number,
): Promise<void> {
  const step = 1_000_000;
  for (let done = 0; done < clicks; done += step) {
    const n = Math.min(step, clicks - done);
    await ds.query(
      `INSERT INTO clicks (id, clicked_at, claim_id, campaign_id, visitor_hash, kind)
       SELECT gen_random_uuid(), now() - (g % 5184000) * interval '1 second', c.ids[1 + g % array_length(c.ids, 1)], $2,
              substring(sha256(int8send(g % 3000000)) FROM 1 FOR 16),
              CASE WHEN g % 13 = 0 THEN 'bot' ELSE 'human' END
       FROM generate_series($3::bigint, $3::bigint + $4 - 1) g, (SELECT $1::uuid[] AS ids) c`,
      [seed.claimIds, seed.campaignId, done, n],
    );
    console.log(`  clicks: ${done + n}`);
  }
  const [brand] = await ds.query(`SELECT brand_id FROM campaigns WHERE id = $1`, [seed.campaignId]);
  for (let done = 0; done < conversions; done += step) {
    const n = Math.min(step, conversions - done);
    await ds.query(
      `INSERT INTO conversions (brand_id, order_id, amount_cents, currency, occurred_at, campaign_id, claim_id,
                                attributed_by, source, possible_code_leak)
       SELECT $5, 'bench-' || g, 1000 + g % 9000, 'usd', now() - (g % 5184000) * interval '1 second', $2,
              c.ids[1 + g % array_length(c.ids, 1)], CASE WHEN g % 2 = 0 THEN 'code' ELSE 'click' END, 'api', g % 50 = 0
       FROM generate_series($3::bigint, $3::bigint + $4 - 1) g, (SELECT $1::uuid[] AS ids) c`,
      [seed.claimIds, seed.campaignId, done, n, brand.brand_id],
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
