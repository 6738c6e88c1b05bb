import { readFileSync } from 'node:fs';
import {
  arg,
  buildServer,
  createBenchDb,
  dbUrl,
  dropBenchDb,
  load,
  removeBuild,
  seedCampaign,
  spawnSway,
  stop,
  waitForPort,
} from './tracking-support';
import { emitRows } from './lib/verdict';

/**
 * API memory under mixed load: the compiled server (ROLE=api) serves redirects, campaign reads and reports for
 * `--minutes` (default 10) in two halves; its RSS is sampled from /proc every 5 s. Targets: RSS ≤ 250 MB
 * throughout, and no growth from the first half's end to the second's (a leak shows as a steady climb).
 *
 *   node -r ts-node/register/transpile-only bench/memory.ts [--minutes 10] [--connections 32]
 */
async function main(): Promise<void> {
  const minutes = Number(arg('minutes', '10'));
  const connections = Number(arg('connections', '32'));
  const name = `sway_bench_memory_${process.pid}`;
  buildServer();
  const ds = await createBenchDb(name);
  const seed = await seedCampaign(ds, 1_000);
  const app = spawnSway({
    ROLE: 'api',
    PORT: '4106',
    HOST: '127.0.0.1',
    DATABASE_URL: dbUrl(name),
    QUEUE_PREFIX: `{bench-memory-${process.pid}}`,
    LOG_LEVEL: 'warn',
  });
  const samples: { at: number; rss: number }[] = [];
  const sampler = setInterval(() => samples.push({ at: Date.now(), rss: rssMb(app.pid!) }), 5_000);
  try {
    await waitForPort(4106, '/health');
    const res = await fetch('http://127.0.0.1:4106/v1/brands', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Memory bench', email: 'memory@bench.example' }),
    });
    const { brand, apiKey } = (await res.json()) as { brand: { id: string }; apiKey: string };
    await ds.query(`UPDATE campaigns SET brand_id = $1 WHERE id = $2`, [brand.id, seed.campaignId]);
    const paths: string[] = [];
    for (let i = 0; i < seed.codes.length; i++) {
      paths.push(`/r/${seed.codes[i]}`);
      if (i % 8 === 0) paths.push(`/v1/campaigns/${seed.campaignId}`);
      if (i % 8 === 4) paths.push(`/v1/campaigns/${seed.campaignId}/report`);
    }
    const opts = { port: 4106, paths, connections, warmupSeconds: 2, headers: { authorization: `Bearer ${apiKey}` } };
    const start = rssMb(app.pid!);
    const first = await load({ ...opts, seconds: (minutes * 60) / 2 });
    const afterFirst = rssMb(app.pid!);
    const second = await load({ ...opts, seconds: (minutes * 60) / 2 });
    const afterSecond = rssMb(app.pid!);
    const max = Math.max(afterSecond, ...samples.map((s) => s.rss));
    const growth = (afterSecond - afterFirst) / afterFirst;
    console.log(
      `RSS: start ${start} MB, after half 1 ${afterFirst} MB, after half 2 ${afterSecond} MB, max ${max} MB; ` +
        `${first.requests + second.requests} requests (${first.rps.toFixed(0)} / ${second.rps.toFixed(0)} req/s)`,
    );
    emitRows([
      {
        path: `API RSS after ${minutes} min mixed load`,
        baseline: 'RSS at start',
        baselineValue: start,
        product: max,
        unit: 'MB',
        ratio: null,
        target: '≤ 250 MB, no growth',
        met: max <= 250 && growth <= 0.05,
        note: `half 1 → half 2: ${afterFirst} → ${afterSecond} MB (${(100 * growth).toFixed(1)} %)`,
      },
    ]);
  } finally {
    clearInterval(sampler);
    await stop(app);
    await ds.destroy();
    removeBuild();
    await dropBenchDb(name);
  }
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
