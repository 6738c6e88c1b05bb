import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  LoadResult,
  ROOT,
  arg,
  buildServer,
  createBenchDb,
  dbUrl,
  dropBenchDb,
  load,
  median,
  removeBuild,
  spawnSway,
  stop,
  waitForPort,
} from './tracking-support';
import { emitRows } from './lib/verdict';

/**
 * A typical authenticated read, `GET /v1/campaigns/{id}` with a brand API key, through the real server (compiled,
 * ROLE=api) against a bare Nest-on-Fastify handler doing the same two lookups (bench/nest-bare.ts), same load
 * generator, rounds interleaved. Target: Sway ≥ 70 % of the bare handler's requests/s.
 *
 *   node -r ts-node/register/transpile-only bench/nest-route.ts [--seconds 8] [--connections 32] [--rounds 3]
 */
async function main(): Promise<void> {
  const seconds = Number(arg('seconds', '8'));
  const connections = Number(arg('connections', '32'));
  const rounds = Number(arg('rounds', '3'));
  const name = `sway_bench_nest_route_${process.pid}`;
  buildServer();
  const ds = await createBenchDb(name);
  await ds.destroy();
  let brandId = '';
  let apiKey = '';
  let campaignId = '';
  const bare: LoadResult[] = [];
  const sway: LoadResult[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const app: ChildProcess = spawnSway({
        ROLE: 'api',
        PORT: '4104',
        HOST: '127.0.0.1',
        DATABASE_URL: dbUrl(name),
        QUEUE_PREFIX: `{bench-nest-${process.pid}}`,
        LOG_LEVEL: 'warn',
      });
      await waitForPort(4104, '/health');
      if (!apiKey) ({ brandId, apiKey, campaignId } = await seed(name));
      const opts = {
        paths: [`/v1/campaigns/${campaignId}`],
        connections,
        seconds,
        warmupSeconds: 2,
        headers: { authorization: `Bearer ${apiKey}` },
      };
      sway.push(await load({ ...opts, port: 4104 }));
      await stop(app);

      const b = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'bench/nest-bare.ts')], {
        cwd: ROOT,
        env: { ...process.env, PORT: '4105', DATABASE_URL: dbUrl(name), BENCH_BRAND_ID: brandId },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      await waitForPort(4105, `/v1/campaigns/${campaignId}`);
      bare.push(await load({ ...opts, port: 4105 }));
      await stop(b);
      console.log(
        `round ${r + 1}: bare Nest ${bare[r].rps.toFixed(0)} req/s p99 ${bare[r].p99.toFixed(2)} ms | sway ${sway[r].rps.toFixed(0)} req/s p99 ${sway[r].p99.toFixed(2)} ms`,
      );
    }
    const non200 = (xs: LoadResult[]) => xs.reduce((a, x) => a + x.requests - (x.statuses[200] ?? 0), 0);
    if (non200(sway) || non200(bare)) throw new Error(`non-200 answers: sway ${non200(sway)}, bare ${non200(bare)}`);
    const b = median(bare.map((x) => x.rps));
    const s = median(sway.map((x) => x.rps));
    emitRows([
      {
        path: 'GET /v1/campaigns/{id} (API key)',
        baseline: 'bare Nest-on-Fastify, same lookups',
        baselineValue: b,
        product: s,
        unit: 'req/s',
        ratio: s / b,
        target: '≥ 70 %',
        met: s / b >= 0.7,
        note: `${connections} connections, median of ${rounds} rounds; p99 sway ${median(sway.map((x) => x.p99)).toFixed(1)} ms, bare ${median(bare.map((x) => x.p99)).toFixed(1)} ms`,
      },
    ]);
  } finally {
    removeBuild();
    await dropBenchDb(name);
  }
}

/** A brand through the real API (so its key is real), and one campaign of it. */
async function seed(name: string): Promise<{ brandId: string; apiKey: string; campaignId: string }> {
  const res = await fetch('http://127.0.0.1:4104/v1/brands', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Route bench', email: 'route@bench.example' }),
  });
  const body = (await res.json()) as { brand: { id: string }; apiKey: string };
  if (res.status !== 201) throw new Error(`brand signup: ${res.status}`);
  const ds = await createDs(name);
  const [c] = await ds.query<{ id: string }[]>(
    `INSERT INTO campaigns (brand_id, name, status, perk_title, perk_description, perk_kind, unit_cost_cents, currency,
       inventory, claimed, remaining, match, landing_url, platform_fee_bps, funded_cents)
     VALUES ($1, 'Route bench', 'active', 'Perk', 'A perk', 'discount', 1800, 'usd', 100, 0, 100, 'any',
             'https://shop.example/landing', 1000, 198000)
     RETURNING id`,
    [body.brand.id],
  );
  await ds.destroy();
  return { brandId: body.brand.id, apiKey: body.apiKey, campaignId: c.id };
}

async function createDs(name: string) {
  const { DataSource } = await import('typeorm');
  const { typeOrmOptions } = await import('../src/database/typeorm.options');
  const ds = new DataSource(typeOrmOptions(dbUrl(name), { poolSize: 1 }));
  return ds.initialize();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
