import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audience estimate (src/matching/audience.ts) evaluates the eligibility rule on the members whose id falls
 * below a bound — ids are gen_random_uuid, so an id range is a uniform, deterministic sample. Ordered by
 * (topic, member) with the score and the published flag included, a topic's sampled scores and the overall scores
 * of the sample (topic 0) are one narrow index-only range each, instead of a walk of the whole per-topic list.
 */
export class AudienceSampleIndex1798100000000 implements MigrationInterface {
  name = 'AudienceSampleIndex1798100000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX scores_topic_member_idx ON scoring.scores (topic_id, influencer_id) INCLUDE (score, published)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX scoring.scores_topic_member_idx`);
  }
}
