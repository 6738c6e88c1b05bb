import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fraud signals (issue 17): the trust context's tables, the raw facts its rules need (a paid-traffic marker on
 * clicks, keyed hashes of the customer's email on conversions and of the claimant's email and shipping address on
 * claims) and the published views through which trust reads them. Every hash is HMAC-keyed per brand, so no two
 * brands' rows can be joined on it; none of the hashed values is stored.
 */
const VIEWS: [string, string][] = [
  [
    'tracking.click_facts',
    `SELECT id, clicked_at, claim_id, campaign_id, visitor_hash, kind, ad_click FROM tracking.clicks`,
  ],
  [
    'tracking.conversion_facts',
    `SELECT id, brand_id, campaign_id, claim_id, click_id, attributed_by, possible_code_leak, amount_cents,
            refunded_cents, currency, occurred_at, created_at, customer_hash
     FROM tracking.conversions`,
  ],
  [
    'redemptions.claim_trust_facts',
    `SELECT id, campaign_id, influencer_id, address_hash, claimant_hash, created_at FROM redemptions.claims`,
  ],
];

export class AddTrustSignals1797400000000 implements MigrationInterface {
  name = 'AddTrustSignals1797400000000';

  public async up(q: QueryRunner): Promise<void> {
    // Metadata-only on PostgreSQL ≥ 11 (a NULL default): the partitioned clicks table is not rewritten.
    await q.query(`ALTER TABLE tracking.clicks ADD COLUMN ad_click text`);
    await q.query(`ALTER TABLE tracking.conversions ADD COLUMN customer_hash bytea`);
    await q.query(`ALTER TABLE redemptions.claims ADD COLUMN address_hash bytea, ADD COLUMN claimant_hash bytea`);
    // The detection jobs read the last days' conversions across campaigns.
    await q.query(`CREATE INDEX conversions_created_idx ON tracking.conversions (created_at)`);
    await q.query(
      `CREATE INDEX claims_address_hash_idx ON redemptions.claims (campaign_id, address_hash) WHERE address_hash IS NOT NULL`,
    );
    for (const [name, sql] of VIEWS) await q.query(`CREATE VIEW ${name} AS ${sql}`);

    await q.query(`CREATE SCHEMA IF NOT EXISTS trust`);
    await q.query(`
      CREATE TABLE trust.signals (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        claim_id uuid,
        influencer_id uuid,
        type text NOT NULL,
        -- What makes two detections the same signal (a claim, a visitor-day's first click, a minute): the
        -- idempotency key of the rules. Ids and times only.
        rule_key text NOT NULL,
        severity text NOT NULL,
        evidence jsonb NOT NULL,
        status text NOT NULL DEFAULT 'open',
        note text,
        opened_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        CONSTRAINT signals_pk PRIMARY KEY (id),
        CONSTRAINT signals_rule_uq UNIQUE (campaign_id, type, rule_key),
        CONSTRAINT signals_type_check CHECK (type IN ('self_referral', 'shared_household', 'click_anomaly',
          'paid_traffic', 'conversion_velocity', 'code_leak')),
        CONSTRAINT signals_severity_check CHECK (severity IN ('low', 'medium', 'high')),
        CONSTRAINT signals_status_check CHECK (status IN ('open', 'confirmed', 'dismissed')),
        CONSTRAINT signals_resolved_check CHECK ((status = 'open') = (resolved_at IS NULL))
      )`);
    await q.query(`CREATE INDEX signals_campaign_idx ON trust.signals (campaign_id, opened_at DESC, id DESC)`);
    await q.query(`CREATE INDEX signals_influencer_idx ON trust.signals (influencer_id) WHERE status = 'confirmed'`);
    // What a signal is about: the clicks, conversions or claims a confirmation takes out of the report.
    await q.query(`
      CREATE TABLE trust.signal_subjects (
        signal_id uuid NOT NULL REFERENCES trust.signals (id) ON DELETE CASCADE,
        kind text NOT NULL,
        subject_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        -- A click's time (its partition key): the report finds an excluded click by primary key.
        at timestamptz,
        CONSTRAINT signal_subjects_pk PRIMARY KEY (signal_id, kind, subject_id),
        CONSTRAINT signal_subjects_kind_check CHECK (kind IN ('click', 'conversion', 'claim'))
      )`);
    await q.query(`CREATE INDEX signal_subjects_campaign_idx ON trust.signal_subjects (campaign_id, kind)`);
    // Confirm and dismiss are audited in the brand audit log (audit.entries, AuditLog), not here.
    // Published: the confirmed verdicts about one member's claim, without evidence (which names other members'
    // claims for a household) — what the member is told and what a contest refers to.
    await q.query(`
      CREATE VIEW trust.confirmed_verdicts AS
      SELECT id AS signal_id, influencer_id, claim_id, campaign_id, type, resolved_at AS confirmed_at
      FROM trust.signals WHERE status = 'confirmed' AND influencer_id IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA trust CASCADE`);
    for (const [name] of [...VIEWS].reverse()) await q.query(`DROP VIEW ${name}`);
    await q.query(`DROP INDEX redemptions.claims_address_hash_idx`);
    await q.query(`DROP INDEX tracking.conversions_created_idx`);
    await q.query(`ALTER TABLE redemptions.claims DROP COLUMN address_hash, DROP COLUMN claimant_hash`);
    await q.query(`ALTER TABLE tracking.conversions DROP COLUMN customer_hash`);
    await q.query(`ALTER TABLE tracking.clicks DROP COLUMN ad_click`);
  }
}
