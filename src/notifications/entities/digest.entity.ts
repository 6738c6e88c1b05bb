import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One digest mail: one per recipient per day (the unique key), whatever the retries. */
@Entity({ name: 'digests', schema: 'notifications' })
@Index('digests_recipient_day_uq', ['recipientKind', 'recipientId', 'day'], { unique: true })
export class DigestEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  recipientKind!: 'member' | 'brand';

  @Column({ type: 'uuid' })
  recipientId!: string;

  @Column({ type: 'date' })
  day!: string;

  /** queued | sending | sent | skipped | suppressed | bounced, as for a notification's mail. */
  @Column({ type: 'text', default: 'queued' })
  state!: string;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  /** While an attempt is in flight no other job sends; past it, a crashed attempt may be repeated. */
  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
