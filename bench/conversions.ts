import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { searchPath } from '../src/database/contexts';
import pino from 'pino';
import { createSwayApp } from '../src/app.factory';
import { PinoNestLogger } from '../src/common/logging/logger';
import { loadConfig } from '../src/config/config';
import { ClickRecorder } from '../src/tracking/click-recorder.service';
import { TrackingService } from '../src/tracking/tracking.service';
import { BENCH_ENV, arg, createBenchDb, dbUrl, dropBenchDb, median, seedCampaign } from './tracking-support';

/**
 * `POST /v1/conversions/batch` (1,000 conversions a call: validation, attribution by code and by click, insert,
 * rollups, statuses) against a raw multi-row INSERT of the same rows into `conversions`, in the same run and at the
 * same concurrency, rounds interleaved. Rows/s of each, and the ratio.
 *
 *   node -r ts-node/register/transpile-only bench/conversions.ts [--batches 40] [--concurrency 4] [--rounds 3]
 */
async function main(): Promise<void> {
  const batches = Number(arg('batches', '40'));
  const concurrency = Number(arg('concurrency', '4'));
  const rounds = Number(arg('rounds', '3'));
  const size = 1_000;
  const name = `sway_bench_conversions_${process.pid}`;
  const ds = await createBenchDb(name);
  const seed = await seedCampaign(ds, 1_000);
  await ds.destroy();
  const config = loadConfig({
    ...BENCH_ENV,
    DATABASE_URL: dbUrl(name),
    ROLE: 'api',
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX: `{bench-conv-${process.pid}}`,
  });
  const log = pino({ level: 'warn' });
  const app = (await createSwayApp(config, new PinoNestLogger(log), log)) as NestFastifyApplication;
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  // A brand key through the API, and a click per claim through the real redirect path.
  const signup = await fetch(`${base}/v1/brands`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench brand', email: 'b@bench.example' }),
  }).then((r) => r.json() as Promise<{ brand: { id: string }; apiKey: string }>);
  const raw = new Client({ connectionString: dbUrl(name), options: `-c search_path=${searchPath()}` });
  await raw.connect();
  await raw.query(`UPDATE campaigns SET brand_id = $1 WHERE id = $2`, [signup.brand.id, seed.campaignId]);
  const tracking = app.get(TrackingService);
  const clicks: string[] = [];
  for (const code of seed.codes) {
    const url = await tracking.click(code, {
      method: 'GET',
      ip: '192.0.2.1',
      userAgent: 'Mozilla/5.0 Chrome/124',
      purpose: undefined,
    });
    clicks.push(new URL(url).searchParams.get('sway_click')!);
  }
  await app.get(ClickRecorder).flush();

  let seq = 0;
  const makeBatch = () =>
    Array.from({ length: size }, (_, i) => {
      const k = seq++;
      const item: Record<string, unknown> = { orderId: `o-${k}`, amountCents: 1000 + (k % 5000), currency: 'usd' };
      if (i % 3 === 0) item.code = seed.codes[k % seed.codes.length];
      else if (i % 3 === 1) item.clickId = clicks[k % clicks.length];
      return item;
    });

  async function viaApi(): Promise<number> {
    const work = Array.from({ length: batches }, makeBatch);
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let b = work.shift(); b; b = work.shift()) {
          const res = await fetch(`${base}/v1/conversions/batch`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${signup.apiKey}` },
            body: JSON.stringify({ conversions: b }),
          });
          const body = (await res.json()) as { results: { status: string }[] };
          if (res.status !== 200 || body.results.some((r) => r.status !== 'created'))
            throw new Error(`batch failed: ${res.status}`);
        }
      }),
    );
    return (batches * size) / ((performance.now() - t0) / 1000);
  }

  /** The same rows, attribution already known, as one multi-row INSERT per 1,000 (9 parameters a row). */
  async function rawInsert(): Promise<number> {
    const work = Array.from({ length: batches }, makeBatch);
    const clients = await Promise.all(
      Array.from({ length: concurrency }, async () => {
        const c = new Client({ connectionString: dbUrl(name), options: `-c search_path=${searchPath()}` });
        await c.connect();
        return c;
      }),
    );
    const t0 = performance.now();
    await Promise.all(
      clients.map(async (c) => {
        for (let b = work.shift(); b; b = work.shift()) {
          const params: unknown[] = [];
          const values = b.map((x, i) => {
            params.push(
              signup.brand.id,
              `raw-${x.orderId as string}`,
              x.amountCents,
              'usd',
              new Date(),
              x.code || x.clickId ? seed.campaignId : null,
              x.code || x.clickId ? seed.claimIds[i % seed.claimIds.length] : null,
              x.code ? 'code' : x.clickId ? 'click' : null,
              'api',
            );
            const o = i * 9;
            return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7}, $${o + 8}, $${o + 9})`;
          });
          await c.query(
            `INSERT INTO conversions (brand_id, order_id, amount_cents, currency, occurred_at, campaign_id, claim_id,
                                      attributed_by, source) VALUES ${values.join(', ')}`,
            params,
          );
        }
      }),
    );
    const rps = (batches * size) / ((performance.now() - t0) / 1000);
    await Promise.all(clients.map((c) => c.end()));
    return rps;
  }

  const api: number[] = [];
  const rawRps: number[] = [];
  try {
    await viaApi(); // warm-up (JIT, plans, pool)
    for (let r = 0; r < rounds; r++) {
      rawRps.push(await rawInsert());
      api.push(await viaApi());
      console.log(`round ${r + 1}: raw ${rawRps[r].toFixed(0)} rows/s | batch API ${api[r].toFixed(0)} rows/s`);
    }
    const a = median(api);
    const b = median(rawRps);
    console.log(
      [
        '| path | rows/s (median) |',
        '|---|---|',
        `| raw multi-row INSERT (1,000 rows, 9 params each) | ${b.toFixed(0)} |`,
        `| POST /v1/conversions/batch (1,000 per call) | ${a.toFixed(0)} |`,
        '',
        `ratio: ${((100 * a) / b).toFixed(1)} % of the raw INSERT (target ≥ 50 %); ${batches} batches × ${size} per round, concurrency ${concurrency}, ${rounds} rounds.`,
      ].join('\n'),
    );
  } finally {
    await raw.end();
    await app.close();
    await dropBenchDb(name);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
