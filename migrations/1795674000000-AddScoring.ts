import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddScoring1795674000000 implements MigrationInterface {
  name = 'AddScoring1795674000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "signal_followers" (
                "influencer_id" uuid NOT NULL,
                "account_hash" bytea NOT NULL,
                "day" date NOT NULL,
                "network" text NOT NULL,
                "value" bigint NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "signal_followers_value_check" CHECK (value >= 0),
                CONSTRAINT "PK_cf99da79f786c302d5af82fdd43" PRIMARY KEY ("influencer_id", "account_hash", "day")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "scoring_accounts" (
                "account_hash" bytea NOT NULL,
                "influencer_id" uuid NOT NULL,
                "network" text NOT NULL,
                CONSTRAINT "PK_934b812a8b8ebc958ae42ce3a78" PRIMARY KEY ("account_hash")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "scoring_accounts_influencer_idx" ON "scoring_accounts" ("influencer_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "scores" (
                "influencer_id" uuid NOT NULL,
                "topic_id" integer NOT NULL,
                "score" smallint NOT NULL,
                "target" smallint NOT NULL,
                "base_score" smallint NOT NULL,
                "base_day" date NOT NULL,
                "percentile" real,
                "reactors" integer NOT NULL,
                "published" boolean NOT NULL,
                "factors" jsonb NOT NULL,
                "model_version" text NOT NULL,
                "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "run_id" uuid NOT NULL,
                CONSTRAINT "scores_target_check" CHECK (
                    target BETWEEN 1 AND 100
                ),
                CONSTRAINT "scores_score_check" CHECK (
                    score BETWEEN 1 AND 100
                ),
                CONSTRAINT "PK_3ba12dc54a46a77dc59c76761be" PRIMARY KEY ("influencer_id", "topic_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "score_runs" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "status" text NOT NULL DEFAULT 'queued',
                "trigger" text NOT NULL,
                "model_version" text NOT NULL,
                "as_of" TIMESTAMP WITH TIME ZONE,
                "params" jsonb,
                "scored" integer NOT NULL DEFAULT '0',
                "stats" jsonb,
                "error" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "started_at" TIMESTAMP WITH TIME ZONE,
                "finished_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "score_runs_trigger_check" CHECK (trigger IN ('manual', 'daily')),
                CONSTRAINT "score_runs_status_check" CHECK (
                    status IN ('queued', 'running', 'succeeded', 'failed')
                ),
                CONSTRAINT "PK_87ef785bc075965c1a131c4e5dc" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "score_runs_created_idx" ON "score_runs" ("created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "score_history" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "influencer_id" uuid NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "overall" smallint NOT NULL,
                "model_version" text NOT NULL,
                "reason" text NOT NULL,
                "run_id" uuid NOT NULL,
                CONSTRAINT "score_history_reason_check" CHECK (
                    reason IN (
                        'first_score',
                        'daily',
                        'manual',
                        'fraud',
                        'model_change'
                    )
                ),
                CONSTRAINT "score_history_overall_check" CHECK (
                    overall BETWEEN 1 AND 100
                ),
                CONSTRAINT "PK_4db9bfe50f50c7737fc04c2fb2a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "score_history_influencer_idx" ON "score_history" ("influencer_id", "at")
        `);

    // Hand-written from here: partitioned tables, an ordered partial index and a trigger that TypeORM cannot
    // express. Monthly partitions are created ahead by the scoring context (on start and daily); the DEFAULT
    // partitions catch anything outside them, so ingestion never fails for a missing partition.
    await queryRunner.query(`
            CREATE TABLE "signal_posts" (
                "network" text NOT NULL,
                "post_id" text NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "influencer_id" uuid NOT NULL,
                "account_hash" bytea NOT NULL,
                "topic_ids" integer array NOT NULL DEFAULT '{}',
                "url" text,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "signal_posts_pk" PRIMARY KEY ("network", "post_id", "occurred_at")
            ) PARTITION BY RANGE ("occurred_at")
        `);
    await queryRunner.query(
      `CREATE INDEX "signal_posts_influencer_idx" ON "signal_posts" ("influencer_id", "occurred_at")`,
    );
    await queryRunner.query(`CREATE TABLE "signal_posts_default" PARTITION OF "signal_posts" DEFAULT`);
    await queryRunner.query(`
            CREATE TABLE "signal_reactions" (
                "event_key" bytea NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "influencer_id" uuid NOT NULL,
                "network" text NOT NULL,
                "post_id" text NOT NULL,
                "kind" text NOT NULL,
                "actor_hash" bytea NOT NULL,
                CONSTRAINT "signal_reactions_kind_check" CHECK (kind IN ('like', 'reply', 'reshare', 'click')),
                CONSTRAINT "signal_reactions_pk" PRIMARY KEY ("event_key", "occurred_at")
            ) PARTITION BY RANGE ("occurred_at")
        `);
    await queryRunner.query(
      `CREATE INDEX "signal_reactions_influencer_idx" ON "signal_reactions" ("influencer_id", "occurred_at")`,
    );
    await queryRunner.query(`CREATE TABLE "signal_reactions_default" PARTITION OF "signal_reactions" DEFAULT`);
    // Daily runs rewrite most rows with an unchanged score: free space per page lets those be HOT updates that
    // leave the indexes alone.
    await queryRunner.query(`ALTER TABLE "scores" SET (fillfactor = 70)`);
    // The matcher's read: top members on topic T with score >= X, index-only.
    await queryRunner.query(
      `CREATE INDEX "scores_topic_score_idx" ON "scores" ("topic_id", "score" DESC, "influencer_id") WHERE published`,
    );
    // History is never rewritten (the 2011 Klout lesson): refuse UPDATE at the database, not only in code.
    await queryRunner.query(`
            CREATE FUNCTION score_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'score_history is append-only' USING ERRCODE = '55000';
            END $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER score_history_no_update BEFORE UPDATE ON "score_history"
            FOR EACH ROW EXECUTE FUNCTION score_history_append_only()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "score_history_no_update" ON "score_history"`);
    await queryRunner.query(`DROP FUNCTION score_history_append_only()`);
    await queryRunner.query(`DROP INDEX "public"."scores_topic_score_idx"`);
    await queryRunner.query(`DROP TABLE "signal_reactions"`);
    await queryRunner.query(`DROP TABLE "signal_posts"`);
    await queryRunner.query(`
            DROP INDEX "public"."score_history_influencer_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "score_history"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."score_runs_created_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "score_runs"
        `);
    await queryRunner.query(`
            DROP TABLE "scores"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."scoring_accounts_influencer_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "scoring_accounts"
        `);
    await queryRunner.query(`
            DROP TABLE "signal_followers"
        `);
  }
}
