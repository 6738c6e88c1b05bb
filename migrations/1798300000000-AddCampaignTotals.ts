import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #19: a campaign report reads a handful of maintained rows instead of grouping, sorting and counting every
 * claim. Per-(campaign, topic) claim counters and per-campaign fulfilled counts, kept by RollupsService in the
 * statements that already write claim_stats (no trigger: the rules stay in code, issue #11), and an index in
 * byInfluencer's order so its top 100 is a 100-entry range read. The index replaces (campaign_id, topic_id), whose
 * only readers were the group-by it made obsolete and campaign-scoped lookups the new index's prefix serves; one
 * index fewer for every claim_stats update to maintain. The backfill is the recount reconciliation would do.
 */
export class AddCampaignTotals1798300000000 implements MigrationInterface {
  name = 'AddCampaignTotals1798300000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tracking.campaign_topic_totals (
        campaign_id uuid NOT NULL,
        topic_id integer NOT NULL,
        claims integer NOT NULL DEFAULT '0',
        shares integer NOT NULL DEFAULT '0',
        clicks bigint NOT NULL DEFAULT '0',
        conversions integer NOT NULL DEFAULT '0',
        refunded_conversions integer NOT NULL DEFAULT '0',
        revenue_cents bigint NOT NULL DEFAULT '0',
        refunded_cents bigint NOT NULL DEFAULT '0',
        CONSTRAINT campaign_topic_totals_pkey PRIMARY KEY (campaign_id, topic_id)
      )`);
    await q.query(`
      CREATE TABLE tracking.campaign_totals (
        campaign_id uuid NOT NULL,
        fulfilled integer NOT NULL DEFAULT '0',
        CONSTRAINT campaign_totals_pkey PRIMARY KEY (campaign_id)
      )`);
    await q.query(`
      INSERT INTO tracking.campaign_topic_totals (campaign_id, topic_id, claims, shares, clicks, conversions,
                                                  refunded_conversions, revenue_cents, refunded_cents)
      SELECT campaign_id, topic_id, count(*), sum(shares), sum(clicks), sum(conversions), sum(refunded_conversions),
             sum(revenue_cents), sum(refunded_cents)
      FROM tracking.claim_stats GROUP BY 1, 2`);
    await q.query(`
      INSERT INTO tracking.campaign_totals (campaign_id, fulfilled)
      SELECT campaign_id, count(*) FROM redemptions.claim_facts WHERE status = 'fulfilled' GROUP BY 1`);
    await q.query(
      `CREATE INDEX claim_stats_best_idx ON tracking.claim_stats
         (campaign_id, (revenue_cents - refunded_cents) DESC, clicks DESC, claim_id)`,
    );
    await q.query(`DROP INDEX tracking.claim_stats_campaign_idx`);
    await q.query(`
      CREATE VIEW tracking.campaign_topic_rollup AS
      SELECT campaign_id, topic_id, claims, shares, clicks, conversions, refunded_conversions, revenue_cents,
             refunded_cents
      FROM tracking.campaign_topic_totals`);
    await q.query(
      `CREATE VIEW tracking.campaign_total_rollup AS SELECT campaign_id, fulfilled FROM tracking.campaign_totals`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW tracking.campaign_total_rollup`);
    await q.query(`DROP VIEW tracking.campaign_topic_rollup`);
    await q.query(`CREATE INDEX claim_stats_campaign_idx ON tracking.claim_stats (campaign_id, topic_id)`);
    await q.query(`DROP INDEX tracking.claim_stats_best_idx`);
    await q.query(`DROP TABLE tracking.campaign_totals`);
    await q.query(`DROP TABLE tracking.campaign_topic_totals`);
  }
}
