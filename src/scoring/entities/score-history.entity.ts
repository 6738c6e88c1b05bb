import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only: a trigger refuses UPDATE; rows are deleted only by erasure. */
@Entity({ name: 'score_history', schema: 'scoring' })
@Check('score_history_overall_check', `overall BETWEEN 1 AND 100`)
@Check('score_history_reason_check', `reason IN ('first_score', 'daily', 'manual', 'fraud', 'model_change', 'contest')`)
@Index('score_history_influencer_idx', ['influencerId', 'at'])
export class ScoreHistoryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'uuid' })
  influencerId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'smallint' })
  overall!: number;

  @Column({ type: 'text' })
  modelVersion!: string;

  @Column({ type: 'text' })
  reason!: 'first_score' | 'daily' | 'manual' | 'fraud' | 'model_change' | 'contest';

  /** For `contest`: the operator's answer, in plain words, shown to the member as the reason. */
  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'uuid' })
  runId!: string;
}
