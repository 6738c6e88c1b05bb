import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddCampaignsAndBilling1795673000000 implements MigrationInterface {
  name = 'AddCampaignsAndBilling1795673000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "campaigns" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "brand_id" uuid NOT NULL,
                "name" text NOT NULL,
                "status" text NOT NULL DEFAULT 'draft',
                "perk_title" text NOT NULL,
                "perk_description" text NOT NULL,
                "perk_kind" text NOT NULL,
                "unit_cost_cents" bigint NOT NULL,
                "currency" text NOT NULL,
                "inventory" integer NOT NULL,
                "claimed" integer NOT NULL DEFAULT '0',
                "remaining" integer NOT NULL,
                "funded_cents" bigint NOT NULL DEFAULT '0',
                "platform_fee_bps" smallint,
                "match" text NOT NULL,
                "min_overall_score" smallint,
                "countries" text array,
                "landing_url" text NOT NULL,
                "starts_at" TIMESTAMP WITH TIME ZONE,
                "ends_at" TIMESTAMP WITH TIME ZONE,
                "offer_ttl_hours" integer NOT NULL DEFAULT '72',
                "attribution_window_days" integer NOT NULL DEFAULT '30',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "campaigns_attribution_window_check" CHECK (
                    attribution_window_days BETWEEN 1 AND 365
                ),
                CONSTRAINT "campaigns_offer_ttl_check" CHECK (
                    offer_ttl_hours BETWEEN 1 AND 720
                ),
                CONSTRAINT "campaigns_dates_check" CHECK (
                    starts_at IS NULL
                    OR ends_at IS NULL
                    OR ends_at > starts_at
                ),
                CONSTRAINT "campaigns_min_overall_score_check" CHECK (
                    min_overall_score BETWEEN 1 AND 100
                ),
                CONSTRAINT "campaigns_fee_bps_check" CHECK (
                    platform_fee_bps BETWEEN 0 AND 10000
                ),
                CONSTRAINT "campaigns_funded_check" CHECK (funded_cents >= 0),
                CONSTRAINT "campaigns_units_check" CHECK (
                    claimed >= 0
                    AND remaining >= 0
                    AND claimed + remaining = inventory
                ),
                CONSTRAINT "campaigns_inventory_check" CHECK (
                    inventory BETWEEN 1 AND 1000000
                ),
                CONSTRAINT "campaigns_unit_cost_check" CHECK (unit_cost_cents >= 0),
                CONSTRAINT "campaigns_currency_check" CHECK (currency ~ '^[a-z]{3}$'),
                CONSTRAINT "campaigns_match_check" CHECK (match IN ('any', 'all')),
                CONSTRAINT "campaigns_perk_kind_check" CHECK (
                    perk_kind IN ('product', 'experience', 'discount')
                ),
                CONSTRAINT "campaigns_status_check" CHECK (
                    status IN (
                        'draft',
                        'pending_funding',
                        'active',
                        'paused',
                        'completed',
                        'cancelled'
                    )
                ),
                CONSTRAINT "PK_831e3fcd4fc45b4e4c3f57a9ee4" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "campaigns_running_ends_at_idx" ON "campaigns" ("ends_at")
            WHERE status IN ('active', 'paused')
        `);
    await queryRunner.query(`
            CREATE INDEX "campaigns_brand_created_idx" ON "campaigns" ("brand_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "campaign_topics" (
                "campaign_id" uuid NOT NULL,
                "topic_id" integer NOT NULL,
                "min_score" smallint NOT NULL,
                CONSTRAINT "campaign_topics_min_score_check" CHECK (
                    min_score BETWEEN 1 AND 100
                ),
                CONSTRAINT "PK_d45c50067a479f003dfb79c9fc5" PRIMARY KEY ("campaign_id", "topic_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "campaign_topics_topic_idx" ON "campaign_topics" ("topic_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "stripe_events" (
                "id" text NOT NULL,
                "type" text NOT NULL,
                "account" text,
                "payload" jsonb NOT NULL,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "processed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_d3247bd5fc3f66b6982bbcdd897" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "stripe_events_unprocessed_idx" ON "stripe_events" ("received_at")
            WHERE processed_at IS NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "fundings" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "campaign_id" uuid NOT NULL,
                "method" text NOT NULL,
                "status" text NOT NULL DEFAULT 'open',
                "perk_cents" bigint NOT NULL,
                "fee_cents" bigint NOT NULL,
                "fee_bps" smallint NOT NULL,
                "amount_cents" bigint NOT NULL,
                "currency" text NOT NULL,
                "stripe_checkout_session_id" text,
                "checkout_url" text,
                "checkout_expires_at" TIMESTAMP WITH TIME ZONE,
                "stripe_payment_intent_id" text,
                "reference" text,
                "paid_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_55e18f2f7757d69aa1c980f9c34" UNIQUE ("stripe_checkout_session_id"),
                CONSTRAINT "fundings_currency_check" CHECK (currency ~ '^[a-z]{3}$'),
                CONSTRAINT "fundings_fee_bps_check" CHECK (
                    fee_bps BETWEEN 0 AND 10000
                ),
                CONSTRAINT "fundings_amounts_check" CHECK (
                    perk_cents >= 0
                    AND fee_cents >= 0
                    AND amount_cents = perk_cents + fee_cents
                ),
                CONSTRAINT "fundings_status_check" CHECK (
                    status IN ('open', 'paid', 'rejected', 'expired', 'failed')
                ),
                CONSTRAINT "fundings_method_check" CHECK (method IN ('checkout', 'offline')),
                CONSTRAINT "PK_9810270c14b02f5d6c4d47bafe4" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "fundings_one_open_per_campaign_uq" ON "fundings" ("campaign_id")
            WHERE status = 'open'
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "fundings_one_paid_per_campaign_uq" ON "fundings" ("campaign_id")
            WHERE status = 'paid'
        `);
    await queryRunner.query(`
            CREATE INDEX "fundings_campaign_idx" ON "fundings" ("campaign_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "ledger_entries" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "campaign_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "amount_cents" bigint NOT NULL,
                "currency" text NOT NULL,
                "funding_id" uuid,
                "claim_id" uuid,
                "reference" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ledger_entries_currency_check" CHECK (currency ~ '^[a-z]{3}$'),
                CONSTRAINT "ledger_entries_amount_check" CHECK (amount_cents > 0),
                CONSTRAINT "ledger_entries_kind_check" CHECK (
                    kind IN (
                        'funding',
                        'claim_spend',
                        'platform_fee',
                        'refund'
                    )
                ),
                CONSTRAINT "PK_6efcb84411d3f08b08450ae75d5" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ledger_entries_funding_idx" ON "ledger_entries" ("funding_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ledger_entries_movement_uq" ON "ledger_entries" ("campaign_id", "kind", "reference")
        `);
    await queryRunner.query(`
            ALTER TABLE "campaigns"
            ADD CONSTRAINT "FK_cd8ba988ed1ce77f807c8f900c4" FOREIGN KEY ("brand_id") REFERENCES "brands"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "campaign_topics"
            ADD CONSTRAINT "FK_1f0867bf8066bc0b748f8e2c932" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "campaign_topics"
            ADD CONSTRAINT "FK_ead6c18415d16c7e70064231244" FOREIGN KEY ("topic_id") REFERENCES "topics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "fundings"
            ADD CONSTRAINT "FK_48241838ec2cebda2e46b99ab95" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "ledger_entries"
            ADD CONSTRAINT "FK_603fa6f630e7fd351f49e717d5b" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "ledger_entries"
            ADD CONSTRAINT "FK_6580fef2271698e47b58defaa8f" FOREIGN KEY ("funding_id") REFERENCES "fundings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "ledger_entries" DROP CONSTRAINT "FK_6580fef2271698e47b58defaa8f"
        `);
    await queryRunner.query(`
            ALTER TABLE "ledger_entries" DROP CONSTRAINT "FK_603fa6f630e7fd351f49e717d5b"
        `);
    await queryRunner.query(`
            ALTER TABLE "fundings" DROP CONSTRAINT "FK_48241838ec2cebda2e46b99ab95"
        `);
    await queryRunner.query(`
            ALTER TABLE "campaign_topics" DROP CONSTRAINT "FK_ead6c18415d16c7e70064231244"
        `);
    await queryRunner.query(`
            ALTER TABLE "campaign_topics" DROP CONSTRAINT "FK_1f0867bf8066bc0b748f8e2c932"
        `);
    await queryRunner.query(`
            ALTER TABLE "campaigns" DROP CONSTRAINT "FK_cd8ba988ed1ce77f807c8f900c4"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ledger_entries_movement_uq"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ledger_entries_funding_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "ledger_entries"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."fundings_campaign_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."fundings_one_paid_per_campaign_uq"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."fundings_one_open_per_campaign_uq"
        `);
    await queryRunner.query(`
            DROP TABLE "fundings"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."stripe_events_unprocessed_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "stripe_events"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."campaign_topics_topic_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "campaign_topics"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."campaigns_brand_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."campaigns_running_ends_at_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "campaigns"
        `);
  }
}
