import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddInfluencers1795672735765 implements MigrationInterface {
  name = 'AddInfluencers1795672735765';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "influencers" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "status" text NOT NULL DEFAULT 'active',
                "email" text,
                "display_name" text,
                "password_hash" text,
                "country" character(2) NOT NULL,
                "shipping_address" jsonb,
                "adult_verified_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "consent_matching" boolean NOT NULL DEFAULT false,
                "consent_share_stats" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "erased_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "influencers_erased_check" CHECK (
                    status <> 'erased'
                    OR (
                        email IS NULL
                        AND display_name IS NULL
                        AND password_hash IS NULL
                        AND shipping_address IS NULL
                    )
                ),
                CONSTRAINT "influencers_status_check" CHECK (status IN ('active', 'erased')),
                CONSTRAINT "PK_a5bbdc11f7898f2a695208b337a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "influencer_topic_prefs" (
                "influencer_id" uuid NOT NULL,
                "topic_id" integer NOT NULL,
                "hidden" boolean NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5da527b121d5e83c16ae425aa07" PRIMARY KEY ("influencer_id", "topic_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "social_accounts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "influencer_id" uuid NOT NULL,
                "network" text NOT NULL,
                "handle" text NOT NULL,
                "external_id" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "social_accounts_network_external_uq" UNIQUE ("network", "external_id"),
                CONSTRAINT "social_accounts_network_check" CHECK (
                    network IN (
                        'twitter',
                        'instagram',
                        'tiktok',
                        'youtube',
                        'facebook',
                        'linkedin'
                    )
                ),
                CONSTRAINT "PK_e9e58d2d8e9fafa20af914d9750" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "social_accounts_influencer_idx" ON "social_accounts" ("influencer_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "influencers_email_lower_uq" ON "influencers" (lower(email)) WHERE email IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "consents" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "influencer_id" uuid NOT NULL,
                "purpose" text NOT NULL,
                "granted" boolean NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "notice_version" text NOT NULL,
                CONSTRAINT "consents_purpose_check" CHECK (purpose IN ('matching', 'shareStatsWithBrands')),
                CONSTRAINT "PK_9efc68eb6aba7d638fb6ea034dd" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "consents_influencer_idx" ON "consents" ("influencer_id", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "audit_log" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "influencer_id" uuid NOT NULL,
                "action" text NOT NULL,
                "details" jsonb NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "audit_log_action_check" CHECK (
                    action IN (
                        'signup',
                        'consent_changed',
                        'export',
                        'erasure_requested',
                        'erasure_completed',
                        'social_account_linked',
                        'social_account_unlinked'
                    )
                ),
                CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_log_influencer_idx" ON "audit_log" ("influencer_id", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "influencer_topic_prefs"
            ADD CONSTRAINT "FK_4f1a57b0b260f294e33d3d2c24c" FOREIGN KEY ("influencer_id") REFERENCES "influencers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "influencer_topic_prefs"
            ADD CONSTRAINT "FK_6ae014e0b1a3a8e226e2c1e4a60" FOREIGN KEY ("topic_id") REFERENCES "topics"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "social_accounts"
            ADD CONSTRAINT "FK_bee331541866292920baf1fdb57" FOREIGN KEY ("influencer_id") REFERENCES "influencers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "consents"
            ADD CONSTRAINT "FK_9ca16ae519480ce06d7419fc903" FOREIGN KEY ("influencer_id") REFERENCES "influencers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "influencers_email_lower_uq"`);
    await queryRunner.query(`
            ALTER TABLE "consents" DROP CONSTRAINT "FK_9ca16ae519480ce06d7419fc903"
        `);
    await queryRunner.query(`
            ALTER TABLE "social_accounts" DROP CONSTRAINT "FK_bee331541866292920baf1fdb57"
        `);
    await queryRunner.query(`
            ALTER TABLE "influencer_topic_prefs" DROP CONSTRAINT "FK_6ae014e0b1a3a8e226e2c1e4a60"
        `);
    await queryRunner.query(`
            ALTER TABLE "influencer_topic_prefs" DROP CONSTRAINT "FK_4f1a57b0b260f294e33d3d2c24c"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_log_influencer_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_log"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."consents_influencer_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "consents"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."social_accounts_influencer_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "social_accounts"
        `);
    await queryRunner.query(`
            DROP TABLE "influencer_topic_prefs"
        `);
    await queryRunner.query(`
            DROP TABLE "influencers"
        `);
  }
}
