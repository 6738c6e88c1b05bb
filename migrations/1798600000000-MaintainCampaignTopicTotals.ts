import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A campaign report reads its totals from a handful of rows, whatever its number of claims (issue #19): the
 * per-(campaign, topic) sums of claim_stats are kept in campaign_topic_totals by statement-level triggers on
 * claim_stats, so every writer (claims, clicks, conversions, refunds, shares and the nightly reconciliation, which
 * repairs claim_stats by adding the drift) moves the totals in its own statement and transaction, and the totals
 * equal a GROUP BY of claim_stats by construction. The triggers add the statement's net change per key in key
 * order (two writers never lock two totals rows in opposite orders) and skip keys whose change is zero. The best
 * claims of a campaign come off an index in the report's order instead of a sort of all its claims.
 */
const SUMS = [
  'shares',
  'disclosed_shares',
  'reach',
  'engagements',
  'clicks',
  'conversions',
  'revenue_cents',
  'refunded_cents',
  'refunded_conversions',
  'code_leaks',
];

function delta(sources: { table: string; sign: '' | '-' }[]): string {
  const rows = sources
    .map(
      ({ table, sign }) =>
        `SELECT campaign_id, topic_id, ${sign}1 AS claims, ${SUMS.map((c) => `${sign}${c}::bigint AS ${c}`).join(', ')}
         FROM ${table}`,
    )
    .join(' UNION ALL ');
  return `
    INSERT INTO tracking.campaign_topic_totals AS t (campaign_id, topic_id, claims, ${SUMS.join(', ')})
    SELECT campaign_id, topic_id, sum(claims), ${SUMS.map((c) => `sum(${c})`).join(', ')}
    FROM (${rows}) d
    GROUP BY campaign_id, topic_id
    HAVING (sum(claims), ${SUMS.map((c) => `sum(${c})`).join(', ')}) <> (0, ${SUMS.map(() => '0').join(', ')})
    ORDER BY campaign_id, topic_id
    ON CONFLICT (campaign_id, topic_id) DO UPDATE SET
      claims = t.claims + EXCLUDED.claims, ${SUMS.map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ')}`;
}

export class MaintainCampaignTopicTotals1798600000000 implements MigrationInterface {
  name = 'MaintainCampaignTopicTotals1798600000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tracking.campaign_topic_totals (
        campaign_id uuid NOT NULL,
        topic_id integer NOT NULL,
        claims bigint NOT NULL DEFAULT 0,
        ${SUMS.map((c) => `${c} bigint NOT NULL DEFAULT 0`).join(',\n        ')},
        PRIMARY KEY (campaign_id, topic_id)
      )`);
    await q.query(`
      CREATE FUNCTION tracking.claim_stats_totals() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${delta([{ table: 'new_rows', sign: '' }])};
        ELSIF TG_OP = 'UPDATE' THEN
          ${delta([
            { table: 'new_rows', sign: '' },
            { table: 'old_rows', sign: '-' },
          ])};
        ELSIF TG_OP = 'DELETE' THEN
          ${delta([{ table: 'old_rows', sign: '-' }])};
        ELSE
          DELETE FROM tracking.campaign_topic_totals;
        END IF;
        RETURN NULL;
      END $$`);
    // A trigger with transition tables handles one event, hence one trigger per event.
    await q.query(`
      CREATE TRIGGER claim_stats_totals_insert AFTER INSERT ON tracking.claim_stats
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tracking.claim_stats_totals()`);
    await q.query(`
      CREATE TRIGGER claim_stats_totals_update AFTER UPDATE ON tracking.claim_stats
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION tracking.claim_stats_totals()`);
    await q.query(`
      CREATE TRIGGER claim_stats_totals_delete AFTER DELETE ON tracking.claim_stats
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tracking.claim_stats_totals()`);
    await q.query(`
      CREATE TRIGGER claim_stats_totals_truncate AFTER TRUNCATE ON tracking.claim_stats
      FOR EACH STATEMENT EXECUTE FUNCTION tracking.claim_stats_totals()`);
    await q.query(`
      INSERT INTO tracking.campaign_topic_totals (campaign_id, topic_id, claims, ${SUMS.join(', ')})
      SELECT campaign_id, topic_id, count(*), ${SUMS.map((c) => `sum(${c})`).join(', ')}
      FROM tracking.claim_stats GROUP BY campaign_id, topic_id`);
    await q.query(`CREATE VIEW tracking.campaign_topic_rollup AS SELECT * FROM tracking.campaign_topic_totals`);
    await q.query(`
      CREATE INDEX claim_stats_best_idx
      ON tracking.claim_stats (campaign_id, (revenue_cents - refunded_cents) DESC, clicks DESC, claim_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tracking.claim_stats_best_idx`);
    await q.query(`DROP VIEW tracking.campaign_topic_rollup`);
    for (const e of ['insert', 'update', 'delete', 'truncate']) {
      await q.query(`DROP TRIGGER claim_stats_totals_${e} ON tracking.claim_stats`);
    }
    await q.query(`DROP FUNCTION tracking.claim_stats_totals()`);
    await q.query(`DROP TABLE tracking.campaign_topic_totals`);
  }
}
