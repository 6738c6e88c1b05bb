import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys survive a crash (issue #12): a key is held under a short lease instead of "in progress" for
 * 24 h, `attempt` fences a stale holder out once a retry took the key over, and `effect_committed_at` is set in
 * the same transaction as the business change, so a retry takes over only when nothing of the first attempt
 * committed. Rows still "in progress" from before this migration get an expired lease (their process is gone).
 */
export class IdempotencyLease1796200000000 implements MigrationInterface {
  name = 'IdempotencyLease1796200000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "idempotency_keys" ADD "lease_until" timestamptz NOT NULL DEFAULT now()`);
    await q.query(`ALTER TABLE "idempotency_keys" ADD "attempt" integer NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE "idempotency_keys" ADD "effect_committed_at" timestamptz`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "idempotency_keys" DROP COLUMN "effect_committed_at"`);
    await q.query(`ALTER TABLE "idempotency_keys" DROP COLUMN "attempt"`);
    await q.query(`ALTER TABLE "idempotency_keys" DROP COLUMN "lease_until"`);
  }
}
