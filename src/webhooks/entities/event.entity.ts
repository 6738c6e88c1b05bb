import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One fact a brand may hear about, written in the transaction of the fact itself. Kept 30 days (replay). */
@Entity({ name: 'events', schema: 'webhooks' })
@Index('events_brand_created_idx', ['brandId', 'createdAt'])
@Index('events_created_idx', ['createdAt'])
export class WebhookEventEntity {
  /** Sent as `webhook-id`, the same on every attempt, resend and replay. */
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  brandId!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
