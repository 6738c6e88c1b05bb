import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddTracking1795676000000 implements MigrationInterface {
  name = 'AddTracking1795676000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "conversion_daily" (
                "campaign_id" uuid NOT NULL,
                "day" date NOT NULL,
                "currency" text NOT NULL,
                "conversions" integer NOT NULL DEFAULT '0',
                "revenue_cents" bigint NOT NULL DEFAULT '0',
                "refunded_cents" bigint NOT NULL DEFAULT '0',
                "refunded_conversions" integer NOT NULL DEFAULT '0',
                "code_leaks" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_da06114593931c7dc57a318dc30" PRIMARY KEY ("campaign_id", "day", "currency")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "conversions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "brand_id" uuid NOT NULL,
                "order_id" text NOT NULL,
                "amount_cents" bigint NOT NULL,
                "currency" text NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "campaign_id" uuid,
                "claim_id" uuid,
                "click_id" uuid,
                "code" text,
                "attributed_by" text,
                "source" text NOT NULL DEFAULT 'api',
                "possible_code_leak" boolean NOT NULL DEFAULT false,
                "payment_intent_id" text,
                "refunded_cents" bigint NOT NULL DEFAULT '0',
                "refunded_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "conversions_brand_order_uq" UNIQUE ("brand_id", "order_id"),
                CONSTRAINT "conversions_attribution_check" CHECK ((attributed_by IS NULL) = (campaign_id IS NULL)),
                CONSTRAINT "conversions_source_check" CHECK (source IN ('api', 'stripe')),
                CONSTRAINT "conversions_attributed_by_check" CHECK (attributed_by IN ('code', 'click')),
                CONSTRAINT "conversions_currency_check" CHECK (currency ~ '^[a-z]{3}$'),
                CONSTRAINT "conversions_refunded_check" CHECK (
                    refunded_cents BETWEEN 0 AND amount_cents
                ),
                CONSTRAINT "conversions_amount_check" CHECK (amount_cents >= 0),
                CONSTRAINT "PK_4af8c6388f42a1849ee9b22fa16" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "conversions_payment_intent_idx" ON "conversions" ("brand_id", "payment_intent_id")
            WHERE payment_intent_id IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "conversions_claim_idx" ON "conversions" ("claim_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "conversions_campaign_idx" ON "conversions" ("campaign_id", "occurred_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "click_visitors" (
                "campaign_id" uuid NOT NULL,
                "day" date NOT NULL,
                "visitor_hash" bytea NOT NULL,
                CONSTRAINT "PK_635506b8403d0ac898ac5fc573c" PRIMARY KEY ("campaign_id", "day", "visitor_hash")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "claim_stats" (
                "claim_id" uuid NOT NULL,
                "campaign_id" uuid NOT NULL,
                "topic_id" integer NOT NULL DEFAULT '0',
                "shares" integer NOT NULL DEFAULT '0',
                "disclosed_shares" integer NOT NULL DEFAULT '0',
                "reach" bigint NOT NULL DEFAULT '0',
                "engagements" bigint NOT NULL DEFAULT '0',
                "clicks" bigint NOT NULL DEFAULT '0',
                "conversions" integer NOT NULL DEFAULT '0',
                "revenue_cents" bigint NOT NULL DEFAULT '0',
                "refunded_cents" bigint NOT NULL DEFAULT '0',
                "refunded_conversions" integer NOT NULL DEFAULT '0',
                "code_leaks" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_c1e3f686967c7e803e0692e5d27" PRIMARY KEY ("claim_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "claim_stats_campaign_idx" ON "claim_stats" ("campaign_id", "topic_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "campaign_daily" (
                "campaign_id" uuid NOT NULL,
                "day" date NOT NULL,
                "claims" integer NOT NULL DEFAULT '0',
                "shares" integer NOT NULL DEFAULT '0',
                "disclosed_shares" integer NOT NULL DEFAULT '0',
                "reach" bigint NOT NULL DEFAULT '0',
                "engagements" bigint NOT NULL DEFAULT '0',
                "clicks" bigint NOT NULL DEFAULT '0',
                "unique_clicks" bigint NOT NULL DEFAULT '0',
                "filtered_clicks" bigint NOT NULL DEFAULT '0',
                CONSTRAINT "PK_9568a8b9bb66166582c48990ebc" PRIMARY KEY ("campaign_id", "day")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "shares" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "claim_id" uuid NOT NULL,
                "campaign_id" uuid NOT NULL,
                "influencer_id" uuid NOT NULL,
                "network" text NOT NULL,
                "url" text,
                "text" text,
                "disclosed" boolean NOT NULL,
                "reach" integer NOT NULL DEFAULT '0',
                "engagements" integer NOT NULL DEFAULT '0',
                "posted_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "metrics_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "shares_claim_url_uq" UNIQUE ("claim_id", "url"),
                CONSTRAINT "shares_metrics_check" CHECK (
                    reach >= 0
                    AND engagements >= 0
                ),
                CONSTRAINT "shares_network_check" CHECK (
                    network IN (
                        'twitter',
                        'instagram',
                        'tiktok',
                        'youtube',
                        'facebook',
                        'linkedin'
                    )
                ),
                CONSTRAINT "PK_b88473409066c43c2ccb1894a82" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "shares_member_idx" ON "shares" ("influencer_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "shares_campaign_created_idx" ON "shares" ("campaign_id", "created_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "conversions"
            ADD CONSTRAINT "FK_ad3c2a862c329d544f652f7b83c" FOREIGN KEY ("brand_id") REFERENCES "brands"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "conversions"
            ADD CONSTRAINT "FK_74a1e2094309d73c422acde7b98" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "conversions"
            ADD CONSTRAINT "FK_91fbffdfbef59e94dd537ed41fd" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "shares"
            ADD CONSTRAINT "FK_4b15ab05d296732734c47e491b2" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "shares"
            ADD CONSTRAINT "FK_4ae4323520b192f7724cdda34c3" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "shares"
            ADD CONSTRAINT "FK_8d062eed064aa708b7147e50318" FOREIGN KEY ("influencer_id") REFERENCES "influencers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);

    // Hand-written from here: a partitioned table, a trigger and a backfill that TypeORM cannot express.
    // Clicks: monthly RANGE partitions on clicked_at, created ahead by the rollups worker; the DEFAULT partition
    // catches anything outside them, so the click flush never fails for a missing partition.
    await queryRunner.query(`
            CREATE TABLE "clicks" (
                "id" uuid NOT NULL,
                "clicked_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "claim_id" uuid NOT NULL,
                "campaign_id" uuid NOT NULL,
                "visitor_hash" bytea NOT NULL,
                "kind" text NOT NULL,
                CONSTRAINT "clicks_kind_check" CHECK (kind IN ('human', 'bot', 'preview', 'head')),
                CONSTRAINT "clicks_pk" PRIMARY KEY ("id", "clicked_at")
            ) PARTITION BY RANGE ("clicked_at")
        `);
    // Code-leak check and member export read by claim; reconciliation recounts by campaign.
    await queryRunner.query(`CREATE INDEX "clicks_claim_idx" ON "clicks" ("claim_id", "clicked_at")`);
    await queryRunner.query(`CREATE INDEX "clicks_campaign_idx" ON "clicks" ("campaign_id", "clicked_at")`);
    await queryRunner.query(`CREATE TABLE "clicks_default" PARTITION OF "clicks" DEFAULT`);
    // A claim's rollup rows are born with the claim, in its transaction, without the claim code knowing: the
    // per-day claim counter and the claim's stats row with the claimant's best matching targeted topic (not
    // hidden; a topic meeting its threshold first) at claim time. Lock order: campaign_daily, then claim_stats,
    // as every other rollup writer.
    await queryRunner.query(`
            CREATE FUNCTION tracking_claim_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE best int;
            BEGIN
                SELECT ct.topic_id INTO best
                FROM campaign_topics ct
                JOIN scores s ON s.influencer_id = NEW.influencer_id AND s.topic_id = ct.topic_id AND s.published
                WHERE ct.campaign_id = NEW.campaign_id
                  AND NOT EXISTS (
                      SELECT 1 FROM influencer_topic_prefs p
                      WHERE p.influencer_id = NEW.influencer_id AND p.topic_id = ct.topic_id AND p.hidden)
                ORDER BY (s.score >= ct.min_score) DESC, s.score DESC, ct.topic_id
                LIMIT 1;
                INSERT INTO campaign_daily (campaign_id, day, claims)
                VALUES (NEW.campaign_id, (NEW.created_at AT TIME ZONE 'UTC')::date, 1)
                ON CONFLICT (campaign_id, day) DO UPDATE SET claims = campaign_daily.claims + 1;
                INSERT INTO claim_stats (claim_id, campaign_id, topic_id)
                VALUES (NEW.id, NEW.campaign_id, COALESCE(best, 0))
                ON CONFLICT (claim_id) DO NOTHING;
                RETURN NULL;
            END $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER claims_tracking_rollup AFTER INSERT ON "claims"
            FOR EACH ROW EXECUTE FUNCTION tracking_claim_inserted()
        `);
    // Claims made before this migration get their rows too (topic unknown: 0).
    await queryRunner.query(`
            INSERT INTO claim_stats (claim_id, campaign_id) SELECT id, campaign_id FROM claims
            ON CONFLICT (claim_id) DO NOTHING
        `);
    await queryRunner.query(`
            INSERT INTO campaign_daily (campaign_id, day, claims)
            SELECT campaign_id, (created_at AT TIME ZONE 'UTC')::date, count(*) FROM claims GROUP BY 1, 2
            ON CONFLICT (campaign_id, day) DO UPDATE SET claims = EXCLUDED.claims
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "claims_tracking_rollup" ON "claims"`);
    await queryRunner.query(`DROP FUNCTION tracking_claim_inserted()`);
    await queryRunner.query(`DROP TABLE "clicks"`);
    await queryRunner.query(`
            ALTER TABLE "shares" DROP CONSTRAINT "FK_8d062eed064aa708b7147e50318"
        `);
    await queryRunner.query(`
            ALTER TABLE "shares" DROP CONSTRAINT "FK_4ae4323520b192f7724cdda34c3"
        `);
    await queryRunner.query(`
            ALTER TABLE "shares" DROP CONSTRAINT "FK_4b15ab05d296732734c47e491b2"
        `);
    await queryRunner.query(`
            ALTER TABLE "conversions" DROP CONSTRAINT "FK_91fbffdfbef59e94dd537ed41fd"
        `);
    await queryRunner.query(`
            ALTER TABLE "conversions" DROP CONSTRAINT "FK_74a1e2094309d73c422acde7b98"
        `);
    await queryRunner.query(`
            ALTER TABLE "conversions" DROP CONSTRAINT "FK_ad3c2a862c329d544f652f7b83c"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."shares_campaign_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."shares_member_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "shares"
        `);
    await queryRunner.query(`
            DROP TABLE "campaign_daily"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."claim_stats_campaign_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "claim_stats"
        `);
    await queryRunner.query(`
            DROP TABLE "click_visitors"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."conversions_campaign_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."conversions_claim_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."conversions_payment_intent_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "conversions"
        `);
    await queryRunner.query(`
            DROP TABLE "conversion_daily"
        `);
  }
}
