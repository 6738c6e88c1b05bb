import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox job ids become UUIDs: identity values restart after a restore or re-creation of the database while Redis
 * keeps completed jobs by id, and BullMQ silently drops an add whose id it already knows.
 */
export class AddOutboxJobId1795677000000 implements MigrationInterface {
  name = 'AddOutboxJobId1795677000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox" ADD "job_id" uuid NOT NULL DEFAULT gen_random_uuid()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox" DROP COLUMN "job_id"`);
  }
}
