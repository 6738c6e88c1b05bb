import { MigrationInterface, QueryRunner } from 'typeorm';

/** Browser sessions (members now, brand users later) and the per-account sign-in lockout, in schema `sessions`. */
export class AddSessions1796400000000 implements MigrationInterface {
  name = 'AddSessions1796400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS "sessions"`);
    await q.query(
      `CREATE TABLE "sessions"."sessions" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "token_hash" bytea NOT NULL,
        "kind" text NOT NULL,
        "subject_id" uuid NOT NULL,
        "user_agent" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "sessions_kind_check" CHECK (kind IN ('member', 'brand')),
        CONSTRAINT "PK_sessions_sessions_id" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "sessions_token_hash_uq" ON "sessions"."sessions" ("token_hash")`);
    await q.query(`CREATE INDEX "sessions_subject_idx" ON "sessions"."sessions" ("kind", "subject_id")`);
    await q.query(
      `CREATE TABLE "sessions"."login_failures" (
        "account_key" bytea NOT NULL,
        "failures" integer NOT NULL,
        "last_failure_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "locked_until" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_sessions_login_failures_account_key" PRIMARY KEY ("account_key"))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "sessions"."login_failures"`);
    await q.query(`DROP TABLE "sessions"."sessions"`);
  }
}
