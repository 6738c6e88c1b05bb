import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Brand teams (issue #14): people (`teams.users`), their roles per brand, invitations, password resets, passkeys,
 * each browser session's current brand, the brands' sign-in policy; the brand audit log (`audit.entries`); and a
 * role on API keys (existing keys are `admin`, what they could always do). `teams.brand_recipients` is the
 * published view other contexts (notifications) read to mail a brand's people by role.
 */
export class AddTeamsAndAudit1797100000000 implements MigrationInterface {
  name = 'AddTeamsAndAudit1797100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "teams"`);
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "audit"`);
    await queryRunner.query(`
            CREATE TABLE "teams"."users" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "email" text NOT NULL,
                "password_hash" text NOT NULL,
                "name" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "teams"."session_brands" (
                "session_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "brand_id" uuid NOT NULL,
                "second_factor_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_6840b661b77de7309238fe66a8c" PRIMARY KEY ("session_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "teams"."password_resets" (
                "token_hash" bytea NOT NULL,
                "user_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_323290a9239ad3d397ad78018ec" PRIMARY KEY ("token_hash")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "password_resets_user_idx" ON "teams"."password_resets" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "teams"."passkeys" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "credential_id" text NOT NULL,
                "public_key" bytea NOT NULL,
                "counter" bigint NOT NULL DEFAULT '0',
                "transports" text array NOT NULL DEFAULT '{}',
                "label" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "last_used_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_db928e6fd79e7098911268a74c3" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "passkeys_credential_uq" ON "teams"."passkeys" ("credential_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "passkeys_user_idx" ON "teams"."passkeys" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "teams"."memberships" (
                "brand_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "role" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "memberships_role_check" CHECK (role IN ('owner', 'admin', 'analyst', 'billing')),
                CONSTRAINT "PK_5a27e7343a055ff4f8a94f9033b" PRIMARY KEY ("brand_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "memberships_user_idx" ON "teams"."memberships" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "teams"."invitations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "brand_id" uuid NOT NULL,
                "email" text NOT NULL,
                "role" text NOT NULL,
                "token_hash" bytea NOT NULL,
                "invited_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "accepted_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "invitations_role_check" CHECK (role IN ('owner', 'admin', 'analyst', 'billing')),
                CONSTRAINT "PK_5dec98cfdfd562e4ad3648bbb07" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "invitations_token_hash_uq" ON "teams"."invitations" ("token_hash")
        `);
    await queryRunner.query(`
            CREATE INDEX "invitations_brand_idx" ON "teams"."invitations" ("brand_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "teams"."brand_policies" (
                "brand_id" uuid NOT NULL,
                "second_factor_required" boolean NOT NULL DEFAULT false,
                CONSTRAINT "PK_9c01b2d5b78e4277919eff7886f" PRIMARY KEY ("brand_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "audit"."entries" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "brand_id" uuid NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
                "actor_kind" text NOT NULL,
                "actor_id" uuid,
                "action" text NOT NULL,
                "target_type" text NOT NULL,
                "target_id" text NOT NULL,
                "changes" jsonb,
                CONSTRAINT "audit_entries_actor_kind_check" CHECK (actor_kind IN ('user', 'api_key', 'admin')),
                CONSTRAINT "PK_23d4e7e9b58d9939f113832915b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_entries_brand_at_idx" ON "audit"."entries" ("brand_id", "at", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "brands"."api_keys"
            ADD "role" text NOT NULL DEFAULT 'admin'
        `);
    await queryRunner.query(`
            ALTER TABLE "brands"."api_keys"
            ADD CONSTRAINT "api_keys_role_check" CHECK (role IN ('owner', 'admin', 'analyst', 'billing'))
        `);
    await queryRunner.query(`
            ALTER TABLE "teams"."password_resets"
            ADD CONSTRAINT "FK_f7a4c3bc48f24df007936d217be" FOREIGN KEY ("user_id") REFERENCES "teams"."users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "teams"."passkeys"
            ADD CONSTRAINT "FK_02227b9a8a34a808e3e23800b00" FOREIGN KEY ("user_id") REFERENCES "teams"."users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "teams"."memberships"
            ADD CONSTRAINT "FK_7c1e2fdfed4f6838e0c05ae5051" FOREIGN KEY ("user_id") REFERENCES "teams"."users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    // One account per email, case-insensitive (as members and brands).
    await queryRunner.query(`CREATE UNIQUE INDEX "users_email_lower_uq" ON "teams"."users" (lower(email))`);
    await queryRunner.query(`
            CREATE VIEW "teams"."brand_recipients" AS
            SELECT m.brand_id, m.user_id, u.email, u.name, m.role
              FROM "teams"."memberships" m JOIN "teams"."users" u ON u.id = m.user_id
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW "teams"."brand_recipients"`);
    await queryRunner.query(`DROP INDEX "teams"."users_email_lower_uq"`);
    await queryRunner.query(`
            ALTER TABLE "teams"."memberships" DROP CONSTRAINT "FK_7c1e2fdfed4f6838e0c05ae5051"
        `);
    await queryRunner.query(`
            ALTER TABLE "teams"."passkeys" DROP CONSTRAINT "FK_02227b9a8a34a808e3e23800b00"
        `);
    await queryRunner.query(`
            ALTER TABLE "teams"."password_resets" DROP CONSTRAINT "FK_f7a4c3bc48f24df007936d217be"
        `);
    await queryRunner.query(`
            ALTER TABLE "brands"."api_keys" DROP CONSTRAINT "api_keys_role_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "brands"."api_keys" DROP COLUMN "role"
        `);
    await queryRunner.query(`
            DROP INDEX "audit"."audit_entries_brand_at_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "audit"."entries"
        `);
    await queryRunner.query(`
            DROP TABLE "teams"."brand_policies"
        `);
    await queryRunner.query(`
            DROP INDEX "teams"."invitations_brand_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "teams"."invitations_token_hash_uq"
        `);
    await queryRunner.query(`
            DROP TABLE "teams"."invitations"
        `);
    await queryRunner.query(`
            DROP INDEX "teams"."memberships_user_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "teams"."memberships"
        `);
    await queryRunner.query(`
            DROP INDEX "teams"."passkeys_user_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "teams"."passkeys_credential_uq"
        `);
    await queryRunner.query(`
            DROP TABLE "teams"."passkeys"
        `);
    await queryRunner.query(`
            DROP INDEX "teams"."password_resets_user_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "teams"."password_resets"
        `);
    await queryRunner.query(`
            DROP TABLE "teams"."session_brands"
        `);
    await queryRunner.query(`
            DROP TABLE "teams"."users"
        `);
    await queryRunner.query(`DROP SCHEMA "audit"`);
    await queryRunner.query(`DROP SCHEMA "teams"`);
  }
}
