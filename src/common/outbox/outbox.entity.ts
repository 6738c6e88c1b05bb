import { Column, CreateDateColumn, Entity, Generated, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Work that must follow a commit; written in the business transaction, published by the relay. */
@Entity({ name: 'outbox', schema: 'common' })
@Index('outbox_available_idx', ['availableAt', 'id'])
export class OutboxEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  /**
   * The BullMQ job id. Not the identity column: a database restored from a backup (or recreated) restarts the
   * sequence, and Redis still holds completed jobs under the old ids — BullMQ would silently drop the new ones.
   */
  @Column({ type: 'uuid' })
  @Generated('uuid')
  jobId!: string;

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
