import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Score contests (issue 17): the contests context's own schema (contests and their audit trail), and in scoring
 * what an upheld contest changes — excluded accounts and topics, member-scoped contest runs, history notes.
 */
export class AddContests1797500000000 implements MigrationInterface {
  name = 'AddContests1797500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "contests"`);
    await queryRunner.query(`
            CREATE TABLE "scoring"."excluded_topics" (
                "influencer_id" uuid NOT NULL,
                "topic_id" integer NOT NULL,
                "contest_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_0dedb620e3abd96cc9c056bad70" PRIMARY KEY ("influencer_id", "topic_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "scoring"."excluded_accounts" (
                "account_hash" bytea NOT NULL,
                "influencer_id" uuid NOT NULL,
                "contest_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3a59668981827b6a5f5a54eae08" PRIMARY KEY ("account_hash")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "excluded_accounts_influencer_idx" ON "scoring"."excluded_accounts" ("influencer_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "contests"."contests" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "influencer_id" uuid NOT NULL,
                "subject_kind" text NOT NULL,
                "topic" text,
                "factor" text,
                "signal_id" uuid,
                "reason" text NOT NULL,
                "links" text array NOT NULL DEFAULT '{}',
                "status" text NOT NULL DEFAULT 'open',
                "answer" text,
                "actions" jsonb,
                "score_at_filing" smallint,
                "rescore_run_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "resolved_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "contests_answer_check" CHECK ((status = 'open') = (answer IS NULL)),
                CONSTRAINT "contests_subject_check" CHECK (
                    subject_kind IN ('overall', 'topic', 'factor', 'fraud_signal')
                ),
                CONSTRAINT "contests_status_check" CHECK (status IN ('open', 'upheld', 'rejected')),
                CONSTRAINT "PK_0b8012f5cf6f444a52179e1227a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "contests_influencer_created_idx" ON "contests"."contests" ("influencer_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "contests_status_created_idx" ON "contests"."contests" ("status", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "contests"."contest_events" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "contest_id" uuid NOT NULL,
                "actor" text NOT NULL,
                "action" text NOT NULL,
                "details" jsonb NOT NULL DEFAULT '{}',
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "contest_events_actor_check" CHECK (actor IN ('member', 'operator', 'system')),
                CONSTRAINT "PK_2d3f971dcb27d804a28c6142920" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "contest_events_contest_idx" ON "contests"."contest_events" ("contest_id", "at")
        `);
    await queryRunner.query(`
            ALTER TABLE "scoring"."score_runs"
            ADD "member_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "scoring"."score_runs"
            ADD "note" text
        `);
    await queryRunner.query(`
            ALTER TABLE "scoring"."score_history"
            ADD "note" text
        `);
    await queryRunner.query(`ALTER TABLE "scoring"."score_runs" DROP CONSTRAINT "score_runs_trigger_check"`);
    await queryRunner.query(
      `ALTER TABLE "scoring"."score_runs" ADD CONSTRAINT "score_runs_trigger_check" CHECK (trigger IN ('manual', 'daily', 'contest'))`,
    );
    await queryRunner.query(`ALTER TABLE "scoring"."score_history" DROP CONSTRAINT "score_history_reason_check"`);
    await queryRunner.query(
      `ALTER TABLE "scoring"."score_history" ADD CONSTRAINT "score_history_reason_check" CHECK (reason IN ('first_score', 'daily', 'manual', 'fraud', 'model_change', 'contest'))`,
    );
    // The audit trail is append-only, like score_history.
    await queryRunner.query(`
            CREATE FUNCTION "contests".contest_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'contest_events is append-only' USING ERRCODE = '55000';
            END $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER contest_events_no_update BEFORE UPDATE ON "contests"."contest_events"
            FOR EACH ROW EXECUTE FUNCTION "contests".contest_events_append_only()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER contest_events_no_update ON "contests"."contest_events"`);
    await queryRunner.query(`DROP FUNCTION "contests".contest_events_append_only()`);
    await queryRunner.query(`DELETE FROM "scoring"."score_history" WHERE reason = 'contest'`);
    await queryRunner.query(`DELETE FROM "scoring"."score_runs" WHERE trigger = 'contest'`);
    await queryRunner.query(`ALTER TABLE "scoring"."score_history" DROP CONSTRAINT "score_history_reason_check"`);
    await queryRunner.query(
      `ALTER TABLE "scoring"."score_history" ADD CONSTRAINT "score_history_reason_check" CHECK (reason IN ('first_score', 'daily', 'manual', 'fraud', 'model_change'))`,
    );
    await queryRunner.query(`ALTER TABLE "scoring"."score_runs" DROP CONSTRAINT "score_runs_trigger_check"`);
    await queryRunner.query(
      `ALTER TABLE "scoring"."score_runs" ADD CONSTRAINT "score_runs_trigger_check" CHECK (trigger IN ('manual', 'daily'))`,
    );
    await queryRunner.query(`
            ALTER TABLE "scoring"."score_history" DROP COLUMN "note"
        `);
    await queryRunner.query(`
            ALTER TABLE "scoring"."score_runs" DROP COLUMN "note"
        `);
    await queryRunner.query(`
            ALTER TABLE "scoring"."score_runs" DROP COLUMN "member_id"
        `);
    await queryRunner.query(`
            DROP INDEX "contests"."contest_events_contest_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "contests"."contest_events"
        `);
    await queryRunner.query(`
            DROP INDEX "contests"."contests_status_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "contests"."contests_influencer_created_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "contests"."contests"
        `);
    await queryRunner.query(`
            DROP INDEX "scoring"."excluded_accounts_influencer_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "scoring"."excluded_accounts"
        `);
    await queryRunner.query(`
            DROP TABLE "scoring"."excluded_topics"
        `);
    await queryRunner.query(`DROP SCHEMA IF EXISTS "contests"`);
  }
}
