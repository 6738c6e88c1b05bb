import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Work that must follow a commit; written in the business transaction, published by the relay. */
@Entity({ name: 'outbox' })
@Index('outbox_available_idx', ['availableAt', 'id'])
export class OutboxEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'text' })
  queue!: string;

  @Column({ type: 'text' })
  jobName!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  /** Delayed work (e.g. offer expiry) stays in Postgres until due, so Redis never holds the only copy. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  availableAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
