import { arg, connect, scoreRun } from './lib';

/**
 * `npm run bench:scoring -- --db postgres://…/sway_bench_100k --as-of 2025-06-01`: one full scoring run over
 * a database filled by `npm run synth`, twice (first run: every score is new; second: steady state), and the
 * raw aggregate baseline over the same reaction rows in the same process. Prints one markdown table row.
 */
async function main(): Promise<void> {
  const url = arg('db', process.env.DATABASE_URL);
  const asOf = new Date(`${arg('as-of', '2025-06-01')}T00:00:00Z`);
  const { ds, repo } = await connect(url);
  const [{ members }] = await ds.query(`SELECT count(*)::int AS members FROM influencers WHERE status = 'active'`);
  const [{ reactions }] = await ds.query(
    `SELECT count(*)::int AS reactions FROM signal_reactions WHERE occurred_at > $1::timestamptz - interval '90 days' AND occurred_at <= $1`,
    [asOf],
  );
  // Warm the cache the same way for both: one scan.
  await ds.query(`SELECT count(*) FROM signal_reactions`);
  const raw = async (): Promise<number> =>
    ds.transaction(async (m) => {
      await m.query(`SET LOCAL work_mem = '1GB'`);
      await m.query(`SET LOCAL statement_timeout = '30min'`);
      const t0 = performance.now();
      await m.query(
        `CREATE TEMP TABLE raw_agg ON COMMIT DROP AS
         SELECT influencer_id, count(*) AS reactions, count(DISTINCT actor_hash) AS reactors
         FROM signal_reactions WHERE occurred_at > $1::timestamptz - interval '90 days' AND occurred_at <= $1
         GROUP BY influencer_id`,
        [asOf],
      );
      return performance.now() - t0;
    });
  const rawMs = await raw();
  const first = await scoreRun(ds, repo, asOf, 'manual');
  const second = await scoreRun(ds, repo, asOf, 'manual');
  const rawMs2 = await raw();
  const baseline = Math.min(rawMs, rawMs2);
  const [{ topicRows }] = await ds.query(`SELECT count(*)::int AS "topicRows" FROM scores WHERE topic_id <> 0`);
  const s = (ms: number): string => (ms / 1000).toFixed(1);
  console.log(JSON.stringify({ members, reactions, topicRows, rawMs, rawMs2, first, second }, null, 1));
  console.log(
    `| ${members.toLocaleString('en-US')} | ${reactions.toLocaleString('en-US')} | ${topicRows.toLocaleString('en-US')} | ${s(first.ms)} | ${s(second.ms)} | ${s(baseline)} | ${(second.ms / baseline).toFixed(1)}× |`,
  );
  await ds.destroy();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
