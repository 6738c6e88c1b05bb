import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Waves of different campaigns no longer share one advisory lock: each locks its campaign, and the members it is
 * about to offer to through their row here, so only waves that pick the same member wait for each other and the
 * weekly cap is counted after the other wave's offers are committed (src/matching/matching.repository.ts).
 */
export class OfferLocks1798400000000 implements MigrationInterface {
  name = 'OfferLocks1798400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE matching.offer_locks (
         influencer_id uuid NOT NULL,
         locked_at timestamptz NOT NULL DEFAULT now(),
         CONSTRAINT offer_locks_pkey PRIMARY KEY (influencer_id)
       )`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE matching.offer_locks`);
  }
}
