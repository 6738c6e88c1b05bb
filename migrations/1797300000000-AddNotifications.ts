import { MigrationInterface, QueryRunner } from 'typeorm';

/** The notifications context (issue #22): in-app entries, mail state, digests, preferences, suppressions. */
export class AddNotifications1797300000000 implements MigrationInterface {
  name = 'AddNotifications1797300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "notifications"`);
    await queryRunner.query(`
            CREATE TABLE "notifications"."suppressions" (
                "address_hash" bytea NOT NULL,
                "reason" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_2666f08df5723c3b32bab3bf91b" PRIMARY KEY ("address_hash")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "notifications"."bounces" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "recipient_kind" text NOT NULL,
                "recipient_id" uuid NOT NULL,
                "address_hash" bytea NOT NULL,
                "notification_id" uuid,
                "digest_id" uuid,
                "response_code" integer,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a2ed898b5caec996f5ac8a8d238" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "bounces_recipient_idx" ON "notifications"."bounces" ("recipient_kind", "recipient_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "notifications"."known_devices" (
                "subject_kind" text NOT NULL,
                "subject_id" uuid NOT NULL,
                "device_hash" bytea NOT NULL,
                "first_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_39d74e50d6ff6f5138d725be729" PRIMARY KEY ("subject_kind", "subject_id", "device_hash")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "notifications"."member_preferences" (
                "member_id" uuid NOT NULL,
                "offers" text NOT NULL DEFAULT 'off',
                "offer_expiring" text NOT NULL DEFAULT 'off',
                "fulfilment" text NOT NULL DEFAULT 'off',
                "contests" text NOT NULL DEFAULT 'off',
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "member_preferences_modes_check" CHECK (
                    offers IN ('instant', 'daily', 'off')
                    AND offer_expiring IN ('instant', 'daily', 'off')
                    AND fulfilment IN ('instant', 'daily', 'off')
                    AND contests IN ('instant', 'daily', 'off')
                ),
                CONSTRAINT "PK_e96226ef8bcc4a41f4db4f9d993" PRIMARY KEY ("member_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "notifications"."brand_opt_outs" (
                "brand_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_35d3793c55a868e9ae29f299bd0" PRIMARY KEY ("brand_id", "kind")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "notifications"."notifications" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "recipient_kind" text NOT NULL,
                "recipient_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "fact_key" text NOT NULL,
                "params" jsonb NOT NULL,
                "title" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "read_at" TIMESTAMP WITH TIME ZONE,
                "email_state" text NOT NULL DEFAULT 'none',
                "email_attempts" integer NOT NULL DEFAULT '0',
                "locked_until" TIMESTAMP WITH TIME ZONE,
                "email_sent_at" TIMESTAMP WITH TIME ZONE,
                "digest_id" uuid,
                "address" text,
                CONSTRAINT "notifications_email_state_check" CHECK (
                    email_state IN (
                        'none',
                        'queued',
                        'sending',
                        'sent',
                        'digest',
                        'digested',
                        'skipped',
                        'suppressed',
                        'bounced'
                    )
                ),
                CONSTRAINT "notifications_recipient_kind_check" CHECK (recipient_kind IN ('member', 'brand')),
                CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "notifications_email_state_idx" ON "notifications"."notifications" ("email_state", "recipient_kind", "recipient_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "notifications_fact_uq" ON "notifications"."notifications" ("fact_key")
        `);
    await queryRunner.query(`
            CREATE INDEX "notifications_recipient_idx" ON "notifications"."notifications" (
                "recipient_kind",
                "recipient_id",
                "created_at",
                "id"
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "notifications"."digests" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "recipient_kind" text NOT NULL,
                "recipient_id" uuid NOT NULL,
                "day" date NOT NULL,
                "state" text NOT NULL DEFAULT 'queued',
                "attempts" integer NOT NULL DEFAULT '0',
                "locked_until" TIMESTAMP WITH TIME ZONE,
                "sent_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3849fbafde59a8a4abf182ad18c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "digests_recipient_day_uq" ON "notifications"."digests" ("recipient_kind", "recipient_id", "day")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SCHEMA "notifications" CASCADE`);
  }
}
