import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One PostgreSQL schema per bounded context (issue #11). `ALTER … SET SCHEMA` moves a table with its rows, indexes,
 * constraints, owned sequences and triggers; partitions are tables of their own and move one by one (the
 * monthly ones are created at run time, so they are found in the catalogue). Functions move to the schema of the
 * table their trigger guards. `IF NOT EXISTS`: another context's migration may have created its schema first.
 */
const TABLES: Record<string, string[]> = {
  topics: ['topics', 'topic_edges'],
  brands: ['brands', 'api_keys'],
  influencers: ['influencers', 'consents', 'social_accounts', 'influencer_topic_prefs', 'audit_log'],
  scoring: [
    'signal_posts',
    'signal_reactions',
    'signal_followers',
    'scoring_accounts',
    'score_runs',
    'scores',
    'score_history',
  ],
  campaigns: ['campaigns', 'campaign_topics'],
  billing: ['fundings', 'ledger_entries', 'stripe_events'],
  matching: ['offers'],
  redemptions: ['claims', 'shares'],
  tracking: ['clicks', 'click_visitors', 'conversions', 'campaign_daily', 'conversion_daily', 'claim_stats'],
  common: ['outbox', 'idempotency_keys'],
};
const SCHEMAS = [...Object.keys(TABLES), 'reports'];
const FUNCTIONS: [string, string][] = [
  ['outbox_notify', 'common'],
  ['ledger_entries_append_only', 'billing'],
  ['score_history_append_only', 'scoring'],
  ['tracking_claim_inserted', 'tracking'],
];

export class MoveTablesToContextSchemas1796000000000 implements MigrationInterface {
  name = 'MoveTablesToContextSchemas1796000000000';

  public async up(q: QueryRunner): Promise<void> {
    for (const s of SCHEMAS) await q.query(`CREATE SCHEMA IF NOT EXISTS "${s}"`);
    for (const [schema, tables] of Object.entries(TABLES)) {
      for (const t of tables) {
        await this.movePartitions(q, 'public', t, schema);
        await q.query(`ALTER TABLE "public"."${t}" SET SCHEMA "${schema}"`);
      }
    }
    for (const [f, schema] of FUNCTIONS) await q.query(`ALTER FUNCTION "public"."${f}"() SET SCHEMA "${schema}"`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const [f, schema] of FUNCTIONS) await q.query(`ALTER FUNCTION "${schema}"."${f}"() SET SCHEMA "public"`);
    for (const [schema, tables] of Object.entries(TABLES)) {
      for (const t of tables) {
        await this.movePartitions(q, schema, t, 'public');
        await q.query(`ALTER TABLE "${schema}"."${t}" SET SCHEMA "public"`);
      }
    }
    // The schemas stay: other contexts' tables may live in them by now.
  }

  private async movePartitions(q: QueryRunner, from: string, table: string, to: string): Promise<void> {
    const parts: { schema: string; name: string }[] = await q.query(
      `SELECT cn.nspname AS schema, c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
       JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace
       WHERE n.nspname = $1 AND p.relname = $2 AND cn.nspname <> $3`,
      [from, table, to],
    );
    for (const p of parts) await q.query(`ALTER TABLE "${p.schema}"."${p.name}" SET SCHEMA "${to}"`);
  }
}
