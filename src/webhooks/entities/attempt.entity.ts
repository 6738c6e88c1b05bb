import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { WebhookDeliveryEntity } from './delivery.entity';

/** The delivery log: one row per HTTP attempt, with the first KBs of what the receiver answered. */
@Entity({ name: 'attempts', schema: 'webhooks' })
@Index('attempts_delivery_idx', ['deliveryId', 'attempt'])
export class WebhookAttemptEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'uuid' })
  deliveryId!: string;

  @ManyToOne(() => WebhookDeliveryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id' })
  delivery?: WebhookDeliveryEntity;

  @Column({ type: 'int' })
  attempt!: number;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'int', nullable: true })
  responseStatus!: number | null;

  @Column({ type: 'int' })
  durationMs!: number;

  @Column({ type: 'text', nullable: true })
  responseBody!: string | null;

  /** Why there was no HTTP status: refused address, timeout, connection error. */
  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
