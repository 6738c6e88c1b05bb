import { MigrationInterface, QueryRunner } from 'typeorm';

/** Wakes the outbox relay on commit (NOTIFY is delivered only when the inserting transaction commits). */
export class AddOutboxNotifyTrigger1795672503504 implements MigrationInterface {
  name = 'AddOutboxNotifyTrigger1795672503504';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('sway_outbox', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
      FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER outbox_notify ON outbox`);
    await q.query(`DROP FUNCTION outbox_notify()`);
  }
}
