import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Current scores: topic_id 0 is the overall score, any other value a topic id. The matcher reads
 * `scores_topic_score_idx` (topic_id, score DESC, influencer_id) WHERE published — an expression-ordered
 * partial index, so TypeORM does not manage it.
 */
@Entity({ name: 'scores', schema: 'scoring' })
@Check('scores_score_check', `score BETWEEN 1 AND 100`)
@Check('scores_target_check', `target BETWEEN 1 AND 100`)
@Index('scores_topic_score_idx', { synchronize: false })
// The audience estimate's per-topic id ranges (INCLUDE columns, which TypeORM cannot express): migration 1798100000000.
@Index('scores_topic_member_idx', { synchronize: false })
export class ScoreEntity {
  @PrimaryColumn({ type: 'uuid' })
  influencerId!: string;

  @PrimaryColumn({ type: 'int' })
  topicId!: number;

  /** The published, smoothed score. */
  @Column({ type: 'smallint' })
  score!: number;

  /** What the model computed this run, before smoothing. */
  @Column({ type: 'smallint' })
  target!: number;

  /** The score at the end of the previous UTC day: smoothing bounds today's step from it. */
  @Column({ type: 'smallint' })
  baseScore!: number;

  @Column({ type: 'date' })
  baseDay!: string;

  /** Share of scored members with a lower overall score, 0..100 (overall rows only). */
  @Column({ type: 'real', nullable: true })
  percentile!: number | null;

  /** Distinct trusted reactors behind the score (topic: the largest count among the topic and its descendants). */
  @Column({ type: 'int' })
  reactors!: number;

  /** Overall: always. Topic: enough distinct reactors and not hidden by the member at run time. */
  @Column({ type: 'boolean' })
  published!: boolean;

  @Column({ type: 'jsonb' })
  factors!: Record<string, number>;

  @Column({ type: 'text' })
  modelVersion!: string;

  @Column({ type: 'timestamptz' })
  computedAt!: Date;

  @Column({ type: 'uuid' })
  runId!: string;
}
