import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type ContestStatus = 'open' | 'upheld' | 'rejected';
export type ContestSubject = 'overall' | 'topic' | 'factor' | 'fraud_signal';

/** A member's contest of their score (issue 17). Only the member and the operator ever see it. */
@Entity({ name: 'contests', schema: 'contests' })
@Check('contests_status_check', `status IN ('open', 'upheld', 'rejected')`)
@Check('contests_subject_check', `subject_kind IN ('overall', 'topic', 'factor', 'fraud_signal')`)
@Check('contests_answer_check', `(status = 'open') = (answer IS NULL)`)
@Index('contests_status_created_idx', ['status', 'createdAt'])
@Index('contests_influencer_created_idx', ['influencerId', 'createdAt'])
export class ContestEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  influencerId!: string;

  @Column({ type: 'text' })
  subjectKind!: ContestSubject;

  @Column({ type: 'text', nullable: true })
  topic!: string | null;

  @Column({ type: 'text', nullable: true })
  factor!: string | null;

  /** The trust context's fraud signal id (kind `fraud_signal`). */
  @Column({ type: 'uuid', nullable: true })
  signalId!: string | null;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  links!: string[];

  @Column({ type: 'text', default: 'open' })
  status!: ContestStatus;

  /** The operator's answer in plain words (shown to the member). */
  @Column({ type: 'text', nullable: true })
  answer!: string | null;

  /** The actions an upheld contest took, as resolved (kinds and ids, no personal data). */
  @Column({ type: 'jsonb', nullable: true })
  actions!: Record<string, unknown>[] | null;

  /** The overall score when the contest was filed, so the operator sees what was contested. */
  @Column({ type: 'smallint', nullable: true })
  scoreAtFiling!: number | null;

  @Column({ type: 'uuid', nullable: true })
  rescoreRunId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;
}
