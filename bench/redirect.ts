import { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { searchPath } from '../src/database/contexts';
import {
  LoadResult,
  BENCH_ENV,
  arg,
  buildServer,
  createBenchDb,
  dbUrl,
  dropBenchDb,
  load,
  median,
  removeBuild,
  seedCampaign,
  spawnBareFastify,
  spawnSway,
  stop,
  waitForPort,
} from './tracking-support';
import { emitRows } from './lib/verdict';

/**
 * Redirect throughput and p99 of `GET /r/{code}` (the real server, ROLE=api, clicks group-committed) against a
 * bare Fastify 302 in the same run, same load generator, rounds interleaved. Then checks that every 302 the
 * client received is a row in `clicks` once the server has shut down gracefully.
 *
 *   node -r ts-node/register/transpile-only bench/redirect.ts [--seconds 10] [--connections 64] [--rounds 3]
 */
async function main(): Promise<void> {
  const seconds = Number(arg('seconds', '10'));
  const connections = Number(arg('connections', '64'));
  const rounds = Number(arg('rounds', '3'));
  const logLevel = arg('log-level', 'warn');
  const name = `sway_bench_redirect_${process.pid}`;
  buildServer();
  const ds = await createBenchDb(name);
  const seed = await seedCampaign(ds, 1_000);
  await ds.destroy();
  const paths = seed.codes.map((c) => `/r/${c}`);
  const ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
  const opts = { paths, connections, seconds, warmupSeconds: 2, headers: { 'user-agent': ua } };
  const bare: LoadResult[] = [];
  const sway: LoadResult[] = [];
  let acknowledged = 0;
  let withoutId = 0;
  const commitSeconds: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const b = spawnBareFastify(
        4101,
        'https://shop.example/landing?utm_source=sway&sway_click=01890a5d-ac96-774b-bcce-b302099a8057',
      );
      await waitForPort(4101, '/r/x');
      bare.push(await load({ ...opts, port: 4101 }));
      await stop(b);

      const app: ChildProcess = spawnSway({
        ROLE: 'api',
        PORT: '4102',
        HOST: '127.0.0.1',
        DATABASE_URL: dbUrl(name),
        QUEUE_PREFIX: `{bench-redirect-${process.pid}}`,
        LOG_LEVEL: logLevel,
        PUBLIC_BASE_URL: 'https://sway.example',
      });
      await waitForPort(4102, '/health');
      const res = await load({ ...opts, port: 4102 });
      sway.push(res);
      acknowledged += res.total[302] ?? 0;
      // Durable clicks: a redirect whose click was not committed within 500 ms went out without sway_click.
      const metrics = await (
        await fetch('http://127.0.0.1:4102/metrics', { headers: { authorization: `Bearer ${BENCH_ENV.ADMIN_TOKEN}` } })
      ).text();
      const metric = (re: RegExp): number => Number(re.exec(metrics)?.[1] ?? 0);
      withoutId += metric(/^sway_clicks_unacknowledged_total\{reason="timeout"\} (\d+)/m);
      const commits = metric(/^sway_click_flush_seconds_count (\d+)/m);
      if (commits) commitSeconds.push(metric(/^sway_click_flush_seconds_sum ([\d.e+-]+)/m) / commits);
      // Graceful: the server drains and flushes its click buffer before the pool closes.
      const code = await stop(app);
      if (code !== 0) throw new Error(`sway exited with ${code}`);
      console.log(
        `round ${r + 1}: bare ${bare[r].rps.toFixed(0)} req/s p99 ${bare[r].p99.toFixed(2)} ms | sway ${res.rps.toFixed(0)} req/s p99 ${res.p99.toFixed(2)} ms`,
      );
    }
    const c = new Client({ connectionString: dbUrl(name), options: `-c search_path=${searchPath()}` });
    await c.connect();
    const {
      rows: [{ n, clicks }],
    } = await c.query(
      `SELECT (SELECT count(*)::int FROM clicks) AS n, (SELECT sum(clicks)::int FROM campaign_daily) AS clicks`,
    );
    await c.end();
    const bareRps = median(bare.map((b) => b.rps));
    const swayRps = median(sway.map((s) => s.rps));
    const table = [
      '| server | req/s (median of rounds) | p50 ms | p99 ms | non-302 |',
      '|---|---|---|---|---|',
      `| bare Fastify 302 | ${bareRps.toFixed(0)} | ${median(bare.map((b) => b.p50)).toFixed(2)} | ${median(bare.map((b) => b.p99)).toFixed(2)} | ${bare.reduce((a, b) => a + b.requests - (b.statuses[302] ?? 0), 0)} |`,
      `| Sway GET /r/{code} | ${swayRps.toFixed(0)} | ${median(sway.map((s) => s.p50)).toFixed(2)} | ${median(sway.map((s) => s.p99)).toFixed(2)} | ${sway.reduce((a, s) => a + s.requests - (s.statuses[302] ?? 0), 0)} |`,
      '',
      `ratio: ${((100 * swayRps) / bareRps).toFixed(1)} % of bare Fastify (target ≥ 50 %); p99 target < 20 ms.`,
      `clicks: ${acknowledged} redirects acknowledged, ${n} rows in clicks, ${clicks} in campaign_daily (${n === acknowledged && clicks === n ? 'all recorded' : 'MISMATCH'}).`,
      `durable clicks: ${withoutId} redirects went out without sway_click (not committed within 500 ms); mean group commit ${(1000 * median(commitSeconds)).toFixed(1)} ms.`,
      `settings: ${connections} connections, ${seconds} s per round after 2 s warm-up, ${rounds} rounds, LOG_LEVEL=${logLevel}, 1,000 codes.`,
    ];
    console.log(table.join('\n'));
    const p99 = median(sway.map((x) => x.p99));
    const allRecorded = n === acknowledged && clicks === n;
    emitRows([
      {
        path: `GET /r/{code} (${connections} connections, durable clicks)`,
        baseline: 'bare Fastify 302',
        baselineValue: bareRps,
        product: swayRps,
        unit: 'req/s',
        ratio: swayRps / bareRps,
        target: '≥ 50 %, p99 < 20 ms, every click committed',
        met: swayRps / bareRps >= 0.5 && p99 < 20 && allRecorded && withoutId === 0,
        note: `p99 ${p99.toFixed(1)} ms; ${acknowledged} acknowledged = ${n} clicks: ${allRecorded ? 'yes' : 'NO'}; ${withoutId} without sway_click`,
      },
    ]);
    if (n !== acknowledged || clicks !== n) process.exitCode = 1;
  } finally {
    removeBuild();
    await dropBenchDb(name);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
