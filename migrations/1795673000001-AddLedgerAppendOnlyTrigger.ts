import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger is append-only: a correction is a new entry, never an edit. The trigger makes that a property of
 * the database rather than of today's code (SQLSTATE 55000, object_not_in_prerequisite_state). TRUNCATE stays
 * possible on purpose: it is an operator's act (test resets, environment wipes), not an application path.
 */
export class AddLedgerAppendOnlyTrigger1795673000001 implements MigrationInterface {
  name = 'AddLedgerAppendOnlyTrigger1795673000001';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger_entries is append-only (% refused)', TG_OP USING ERRCODE = '55000';
      END $$`);
    await q.query(`
      CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
      FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER ledger_entries_append_only ON ledger_entries`);
    await q.query(`DROP FUNCTION ledger_entries_append_only()`);
  }
}
