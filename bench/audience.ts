import { loadavg } from 'node:os';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { searchPath } from '../src/database/contexts';
import { countAudience } from '../src/matching/audience';
import { ELIGIBLE_CTES } from '../src/matching/eligibility.sql';
import { MatchingService } from '../src/matching/matching.service';
import {
  arg,
  createBenchDb,
  databaseUrl,
  deleteRedisPrefix,
  dropBenchDb,
  startBenchApp,
  summary,
  timed,
} from './lib/bench-db';
import { BenchRow, emitRows } from './lib/verdict';
import { load, newCampaign, rotate, SCENARIOS } from './matching';

/**
 * `npm run bench:audience [-- --members 1000000 --campaigns 3 --repeats 20 --json FILE --db NAME --keep]`
 *
 * Target: the brand console's live audience estimate p95 ≤ 50 ms at 1,000,000 members for the matching bench's
 * targetings, exact or within its stated bound (≤ 2 % relative at 95 %). Same population as bench/matching.ts
 * (its builder, imported). Per targeting, on `--campaigns` fresh campaigns (topics rotated): the matcher's exact
 * eligibility count once (the baseline, and the truth the estimate is checked against), then
 * `MatchingService.audience` (what `GET /v1/campaigns/{id}/audience` answers) once untimed, then `--repeats` times.
 */
async function main(): Promise<void> {
  const members = Number(arg('members', '1000000'));
  const campaigns = Number(arg('campaigns', '3'));
  const repeats = Number(arg('repeats', '20'));
  const reuse = arg('db', '');
  const keep = process.argv.includes('--keep') || reuse !== '';
  const db = reuse ? { name: reuse, url: databaseUrl(reuse) } : await createBenchDb('audience');
  const prefix = `{bench-audience-${process.pid}}`;
  const loadBefore = loadavg()[0];
  let app: Awaited<ReturnType<typeof startBenchApp>>['app'] | null = null;
  try {
    const c = new Client({ connectionString: db.url, options: `-c search_path=${searchPath()}` });
    await c.connect();
    const topics = reuse
      ? (await c.query<{ id: number }>(`SELECT id FROM topics ORDER BY id LIMIT 5`)).rows.map((r) => r.id)
      : await load(c, members);
    await c.end();

    ({ app } = await startBenchApp(db.url, prefix, { ROLE: 'api' }));
    const ds = app.get(DataSource);
    const service = app.get(MatchingService);
    const query = (sql: string, params: unknown[]): Promise<Record<string, unknown>[]> => ds.query(sql, params);
    const [{ id: brandId }] = await ds.query(
      `INSERT INTO brands (name, email) VALUES ('Bench brand', $1) RETURNING id`,
      [`audience-${process.pid}@brand.example`],
    );
    const [{ n: population }] = await ds.query(`SELECT count(*)::int AS n FROM influencers`);

    const rows: BenchRow[] = [];
    const results = [];
    for (const s of SCENARIOS) {
      const exactMs: number[] = [];
      const estimateMs: number[] = [];
      const detail = [];
      let worstError = 0;
      let withinBound = true;
      for (let run = 0; run < campaigns; run++) {
        const id = await newCampaign(ds, brandId, s, rotate(topics, s.topics, run));
        // The truth: the matcher's own exact eligibility count (eligibility.sql.ts), not the estimate's SQL.
        const [ms, exactCount] = await timed(async () => {
          const [row] = await ds.query(`WITH ${ELIGIBLE_CTES} SELECT count(*)::int AS n FROM eligible`, [id, null]);
          return row.n as number;
        });
        exactMs.push(ms);
        let last = await service.audience(brandId, id);
        for (let r = 0; r < repeats; r++) {
          const [ems, est] = await timed(() => service.audience(brandId, id));
          estimateMs.push(ems);
          last = est;
        }
        const sample = await countAudience(query, id);
        const error = exactCount === 0 ? 0 : Math.abs(last.eligible - exactCount) / exactCount;
        worstError = Math.max(worstError, error);
        if (error > last.relativeErrorBound) withinBound = false;
        detail.push({
          run,
          exactCount,
          ...sample,
          error: Math.round(error * 10_000) / 10_000,
          exactMs: Math.round(ms),
        });
      }
      const e = summary(estimateMs);
      const x = summary(exactMs);
      results.push({ scenario: s.name, exactCount: x, estimate: e, detail });
      rows.push({
        path: `audience estimate: ${s.name}`,
        baseline: 'exact count',
        baselineValue: x.median,
        product: e.p95,
        unit: 'ms p95',
        ratio: null,
        target: '≤ 50 ms, within its bound',
        met: e.p95 <= 50 && withinBound,
        note:
          `median ${e.median} ms; exact count median ${x.median} ms; worst |estimate − exact| ` +
          `${(100 * worstError).toFixed(2)} % (bound ${detail.map((d) => (d.exact ? 'exact' : `±${(100 * d.relativeErrorBound).toFixed(1)} %`)).join(', ')})`,
      });
    }
    console.log(JSON.stringify({ members: population, campaigns, repeats, results }, null, 1));
    emitRows(rows);
    console.log(`load average (1 min): ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`);
  } finally {
    if (app) await app.close();
    await deleteRedisPrefix(prefix);
    if (!keep) await dropBenchDb(db.name);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
