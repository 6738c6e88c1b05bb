import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What one context may read of another (issue #11): a published view in the owner's schema, with the columns
 * the readers need and nothing personal beyond ids. Simple views are inlined by the planner, so the readers'
 * plans (the matcher's per-topic top-k on scores_topic_score_idx above all) stay what they were. Each view is
 * documented in its owner's README; the SQL-boundary test allows reads of these views and nothing else.
 */
const VIEWS: [string, string][] = [
  ['topics.topic_catalogue', `SELECT id, slug, name, is_super FROM topics.topics`],
  ['topics.topic_hierarchy', `SELECT parent_id, child_id FROM topics.topic_edges`],
  ['brands.brand_names', `SELECT id, name FROM brands.brands`],
  [
    'influencers.active_members',
    `SELECT id, country, adult_verified_at, consent_matching FROM influencers.influencers WHERE status = 'active'`,
  ],
  ['influencers.topic_prefs', `SELECT influencer_id, topic_id, hidden FROM influencers.influencer_topic_prefs`],
  ['influencers.linked_accounts', `SELECT influencer_id, network, external_id FROM influencers.social_accounts`],
  ['scoring.published_scores', `SELECT influencer_id, topic_id, score FROM scoring.scores WHERE published`],
  ['scoring.overall_scores', `SELECT influencer_id, score FROM scoring.scores WHERE topic_id = 0`],
  [
    'campaigns.campaign_facts',
    `SELECT id, brand_id, name, status, perk_title, perk_description, perk_kind, unit_cost_cents, currency, inventory,
            claimed, remaining, funded_cents, platform_fee_bps, match, min_overall_score, countries, landing_url,
            starts_at, ends_at, offer_ttl_hours, attribution_window_days, created_at, updated_at
     FROM campaigns.campaigns`,
  ],
  ['campaigns.campaign_targets', `SELECT campaign_id, topic_id, min_score FROM campaigns.campaign_topics`],
  [
    'matching.offer_facts',
    `SELECT id, campaign_id, influencer_id, status, match_score, created_at, expires_at, decided_at FROM matching.offers`,
  ],
  [
    'redemptions.claim_facts',
    `SELECT id, offer_id, campaign_id, influencer_id, code, status, created_at, fulfilled_at FROM redemptions.claims`,
  ],
  [
    'redemptions.share_facts',
    `SELECT id, claim_id, campaign_id, influencer_id, network, disclosed, reach, engagements, posted_at, created_at
     FROM redemptions.shares`,
  ],
  ['tracking.campaign_daily_rollup', `SELECT * FROM tracking.campaign_daily`],
  ['tracking.conversion_daily_rollup', `SELECT * FROM tracking.conversion_daily`],
  ['tracking.claim_rollup', `SELECT * FROM tracking.claim_stats`],
];

export class PublishContextViews1796000000001 implements MigrationInterface {
  name = 'PublishContextViews1796000000001';

  public async up(q: QueryRunner): Promise<void> {
    for (const [name, sql] of VIEWS) {
      await q.query(`CREATE SCHEMA IF NOT EXISTS ${name.split('.')[0]}`);
      await q.query(`CREATE VIEW ${name} AS ${sql}`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const [name] of [...VIEWS].reverse()) await q.query(`DROP VIEW ${name}`);
  }
}
