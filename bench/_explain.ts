import { Client } from 'pg';
import { searchPath } from '../src/database/contexts';
import { eligibleCtes, ELIGIBLE_CTES } from '../src/matching/eligibility.sql';
import { sampleBound } from '../src/matching/audience';
(async () => {
  const c = new Client({ connectionString: process.env.URL, options: `-c search_path=${searchPath()}` });
  await c.connect();
  const { rows } = await c.query(`SELECT c.id, c.match, c.countries, (SELECT count(*) FROM campaign_topics t WHERE t.campaign_id=c.id) n FROM campaigns c ORDER BY created_at`);
  const pick = rows[Number(process.env.I ?? 1)];
  console.log(pick);
  const b = Number(process.env.B ?? 2048);
  if (process.env.NONL) await c.query(`SET enable_nestloop = off`);
  const r = await c.query(`EXPLAIN (ANALYZE, BUFFERS) WITH ${eligibleCtes('$3::uuid')} SELECT count(*)::int AS n FROM eligible`, [pick.id, null, sampleBound(b)]);
  console.log(r.rows.map((x: any) => x['QUERY PLAN']).join('\n'));
  await c.end();
})();
