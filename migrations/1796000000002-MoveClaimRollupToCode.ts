import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The claim roll-up (the day's claim counter and the claim's stats row, under its best targeted topic) moves from
 * a trigger on redemptions.claims into code: RedemptionsService calls RollupsService.recordClaim in the claim's
 * transaction, and the topic comes from matching's one eligibility rule (issue #11). Same rows, same transaction.
 */
export class MoveClaimRollupToCode1796000000002 implements MigrationInterface {
  name = 'MoveClaimRollupToCode1796000000002';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER claims_tracking_rollup ON redemptions.claims`);
    await q.query(`DROP FUNCTION tracking.tracking_claim_inserted()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION tracking.tracking_claim_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE best int;
      BEGIN
          SELECT ct.topic_id INTO best
          FROM campaigns.campaign_topics ct
          JOIN scoring.scores s ON s.influencer_id = NEW.influencer_id AND s.topic_id = ct.topic_id AND s.published
          WHERE ct.campaign_id = NEW.campaign_id
            AND NOT EXISTS (
                SELECT 1 FROM influencers.influencer_topic_prefs p
                WHERE p.influencer_id = NEW.influencer_id AND p.topic_id = ct.topic_id AND p.hidden)
          ORDER BY (s.score >= ct.min_score) DESC, s.score DESC, ct.topic_id
          LIMIT 1;
          INSERT INTO tracking.campaign_daily (campaign_id, day, claims)
          VALUES (NEW.campaign_id, (NEW.created_at AT TIME ZONE 'UTC')::date, 1)
          ON CONFLICT (campaign_id, day) DO UPDATE SET claims = tracking.campaign_daily.claims + 1;
          INSERT INTO tracking.claim_stats (claim_id, campaign_id, topic_id)
          VALUES (NEW.id, NEW.campaign_id, COALESCE(best, 0))
          ON CONFLICT (claim_id) DO NOTHING;
          RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER claims_tracking_rollup AFTER INSERT ON redemptions.claims
      FOR EACH ROW EXECUTE FUNCTION tracking.tracking_claim_inserted()`);
  }
}
