import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The audit trail of a contest: every step, append-only (a trigger refuses UPDATE); erasure deletes it. */
@Entity({ name: 'contest_events', schema: 'contests' })
@Check('contest_events_actor_check', `actor IN ('member', 'operator', 'system')`)
@Index('contest_events_contest_idx', ['contestId', 'at'])
export class ContestEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'uuid' })
  contestId!: string;

  @Column({ type: 'text' })
  actor!: 'member' | 'operator' | 'system';

  /** filed · resolved · action (one per action taken) · rescore_requested. */
  @Column({ type: 'text' })
  action!: string;

  /** Ids, kinds and counts only. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;
}
