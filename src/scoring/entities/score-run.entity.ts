import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'score_runs', schema: 'scoring' })
@Check('score_runs_status_check', `status IN ('queued', 'running', 'succeeded', 'failed')`)
@Check('score_runs_trigger_check', `trigger IN ('manual', 'daily', 'contest')`)
@Index('score_runs_created_idx', ['createdAt'])
export class ScoreRunEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', default: 'queued' })
  status!: 'queued' | 'running' | 'succeeded' | 'failed';

  @Column({ type: 'text' })
  trigger!: 'manual' | 'daily' | 'contest';

  /** A contest rescore (trigger `contest`) writes this member's scores only. */
  @Column({ type: 'uuid', nullable: true })
  memberId!: string | null;

  /** The operator's answer to the contest, copied to the member's history row. */
  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'text' })
  modelVersion!: string;

  /** The instant the run scores "as of" (the end of the 90-day window); the clock at start unless given. */
  @Column({ type: 'timestamptz', nullable: true })
  asOf!: Date | null;

  /** Model overrides of this run (only `minTopicReactors`, for small synthetic populations), kept for audit. */
  @Column({ type: 'jsonb', nullable: true })
  params!: Record<string, number> | null;

  @Column({ type: 'int', default: 0 })
  scored!: number;

  /** Step durations and counts; no personal data. */
  @Column({ type: 'jsonb', nullable: true })
  stats!: Record<string, number> | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
