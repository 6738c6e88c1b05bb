import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Time partitions handed to pg_partman 4.x (issue #21): the in-repo helper only created partitions; partman also
 * applies retention. Monthly names `<table>_pYYYY_MM` are the helper's own, so existing partitions are adopted as
 * they are. `create_parent` refuses a table that already has `<table>_default`, so the old default is detached and
 * renamed first, and its rows are re-inserted once partman has made the new one.
 *
 * Retention (docs/privacy.md): reactions 90 days (the model window), posts 180 days (the model reads posts of two
 * windows back for the topic tags of reactions to older posts), raw clicks 13 months. Before partman drops a click
 * month, the rollups job folds its per-claim counts into `tracking.dropped_clicks` in the same transaction, so
 * reconciliation keeps the reports' totals (TrackingRepository.maintainPartitions).
 */
const PARENTS = [
  { schema: 'tracking', table: 'clicks', control: 'clicked_at', retention: '13 months' },
  { schema: 'scoring', table: 'signal_posts', control: 'occurred_at', retention: '180 days' },
  { schema: 'scoring', table: 'signal_reactions', control: 'occurred_at', retention: '90 days' },
];

export class AdoptPgPartman1798600000000 implements MigrationInterface {
  name = 'AdoptPgPartman1798600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const [{ major }] = await queryRunner.query(`SELECT current_setting('server_version_num')::int / 10000 AS major`);
    const [available] = await queryRunner.query(
      `SELECT default_version FROM pg_available_extensions WHERE name = 'pg_partman'`,
    );
    if (!available) {
      throw new Error(
        `pg_partman is not installed on this PostgreSQL ${major} server: install the package ` +
          `postgresql-${major}-partman (4.x; Debian and the PGDG apt repository ship it) and run the migrations again`,
      );
    }
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS partman`);
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman`);
    const [{ extversion }] = await queryRunner.query(
      `SELECT extversion FROM pg_extension WHERE extname = 'pg_partman'`,
    );
    // 5.x names monthly partitions `_pYYYYMMDD` and dropped the 'native' type: it would not adopt our partitions.
    if (!String(extversion).startsWith('4.')) {
      throw new Error(
        `pg_partman ${extversion} is installed; Sway's partitions need 4.x (postgresql-${major}-partman 4.7)`,
      );
    }
    // Month boundaries in UTC, as the helper made them (partman truncates in the session's time zone).
    await queryRunner.query(`SET LOCAL TimeZone = 'UTC'`);
    for (const p of PARENTS) {
      const parent = `"${p.schema}"."${p.table}"`;
      const old = `"${p.schema}"."${p.table}_default_old"`;
      await queryRunner.query(`ALTER TABLE ${parent} DETACH PARTITION "${p.schema}"."${p.table}_default"`);
      await queryRunner.query(`ALTER TABLE "${p.schema}"."${p.table}_default" RENAME TO "${p.table}_default_old"`);
      await queryRunner.query(
        `SELECT partman.create_parent(p_parent_table => $1, p_control => $2, p_type => 'native',
                                      p_interval => 'monthly', p_premake => 3, p_jobmon => false)`,
        [`${p.schema}.${p.table}`, p.control],
      );
      // Partitions ahead of now even through a quiet month (the default creates them only ahead of the newest row).
      await queryRunner.query(
        `UPDATE partman.part_config SET retention = $2, retention_keep_table = false, infinite_time_partitions = true
         WHERE parent_table = $1`,
        [`${p.schema}.${p.table}`, p.retention],
      );
      await queryRunner.query(`INSERT INTO ${parent} SELECT * FROM ${old}`);
      await queryRunner.query(`DROP TABLE ${old}`);
    }
    // Human clicks per claim and month of click partitions dropped by retention: claim_stats' recount adds them,
    // and the newest month marks where raw clicks start (reconciliation recounts clicks only from there).
    await queryRunner.query(`
            CREATE TABLE "tracking"."dropped_clicks" (
                "campaign_id" uuid NOT NULL,
                "claim_id" uuid NOT NULL,
                "month" date NOT NULL,
                "clicks" integer NOT NULL,
                CONSTRAINT "dropped_clicks_pk" PRIMARY KEY ("campaign_id", "claim_id", "month")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "tracking"."dropped_clicks"`);
    for (const p of PARENTS) {
      // The partitions stay (the helper's names); only partman's bookkeeping goes.
      await queryRunner.query(`DELETE FROM partman.part_config WHERE parent_table = $1`, [`${p.schema}.${p.table}`]);
      await queryRunner.query(`DROP TABLE IF EXISTS partman."template_${p.schema}_${p.table}"`);
    }
    await queryRunner.query(`DROP EXTENSION pg_partman`);
    await queryRunner.query(`DROP SCHEMA partman`);
  }
}
