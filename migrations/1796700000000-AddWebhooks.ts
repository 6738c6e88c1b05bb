import { MigrationInterface, QueryRunner } from 'typeorm';

/** The webhooks context (issue 16): endpoints, secrets, events, deliveries and their attempt log. */
export class AddWebhooks1796700000000 implements MigrationInterface {
  name = 'AddWebhooks1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "webhooks"`);
    await queryRunner.query(`
            CREATE TABLE "webhooks"."events" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "brand_id" uuid NOT NULL,
                "type" text NOT NULL,
                "data" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_40731c7151fe4be3116e45ddf73" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "events_created_idx" ON "webhooks"."events" ("created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "events_brand_created_idx" ON "webhooks"."events" ("brand_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "webhooks"."endpoints" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "brand_id" uuid NOT NULL,
                "url" text NOT NULL,
                "description" text,
                "event_types" text array NOT NULL,
                "status" text NOT NULL DEFAULT 'enabled',
                "disabled_reason" text,
                "disabled_at" TIMESTAMP WITH TIME ZONE,
                "failure_streak" integer NOT NULL DEFAULT '0',
                "failing_since" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "endpoints_disabled_reason_check" CHECK (disabled_reason IN ('manual', 'gone', 'failing')),
                CONSTRAINT "endpoints_status_check" CHECK (status IN ('enabled', 'disabled')),
                CONSTRAINT "PK_70835610dfa54ad5d990e02f70a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "endpoints_brand_idx" ON "webhooks"."endpoints" ("brand_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "webhooks"."secrets" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "endpoint_id" uuid NOT NULL,
                "secret" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_d4ff48ddba1883d4dc142b9c697" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "secrets_endpoint_idx" ON "webhooks"."secrets" ("endpoint_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "webhooks"."deliveries" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "event_id" uuid NOT NULL,
                "endpoint_id" uuid NOT NULL,
                "origin" text NOT NULL,
                "status" text NOT NULL DEFAULT 'pending',
                "attempts" integer NOT NULL DEFAULT '0',
                "lease" integer NOT NULL DEFAULT '0',
                "next_attempt_at" TIMESTAMP WITH TIME ZONE,
                "locked_until" TIMESTAMP WITH TIME ZONE,
                "last_attempt_at" TIMESTAMP WITH TIME ZONE,
                "last_response_status" integer,
                "last_duration_ms" integer,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "deliveries_origin_check" CHECK (origin IN ('event', 'resend', 'replay', 'test')),
                CONSTRAINT "deliveries_status_check" CHECK (status IN ('pending', 'succeeded', 'failed')),
                CONSTRAINT "PK_a6ef225c5c5f0974e503bfb731f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "deliveries_due_idx" ON "webhooks"."deliveries" ("next_attempt_at")
            WHERE status = 'pending'
        `);
    await queryRunner.query(`
            CREATE INDEX "deliveries_endpoint_created_idx" ON "webhooks"."deliveries" ("endpoint_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "deliveries_event_endpoint_uq" ON "webhooks"."deliveries" ("event_id", "endpoint_id")
            WHERE origin = 'event'
        `);
    await queryRunner.query(`
            CREATE TABLE "webhooks"."attempts" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "delivery_id" uuid NOT NULL,
                "attempt" integer NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "response_status" integer,
                "duration_ms" integer NOT NULL,
                "response_body" text,
                "error" text,
                CONSTRAINT "PK_295ca261e361fd2fd217754dcac" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "attempts_delivery_idx" ON "webhooks"."attempts" ("delivery_id", "attempt")
        `);
    await queryRunner.query(`
            ALTER TABLE "webhooks"."secrets"
            ADD CONSTRAINT "FK_9d8079b9fc43e63d89fa536507c" FOREIGN KEY ("endpoint_id") REFERENCES "webhooks"."endpoints"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "webhooks"."deliveries"
            ADD CONSTRAINT "FK_6a9b04f909fedcc6438b48b90c1" FOREIGN KEY ("event_id") REFERENCES "webhooks"."events"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "webhooks"."deliveries"
            ADD CONSTRAINT "FK_545cafb438b60f8304ef4dd6508" FOREIGN KEY ("endpoint_id") REFERENCES "webhooks"."endpoints"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "webhooks"."attempts"
            ADD CONSTRAINT "FK_a6da25fd460a32f032f5e4b4139" FOREIGN KEY ("delivery_id") REFERENCES "webhooks"."deliveries"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SCHEMA "webhooks" CASCADE`);
  }
}
