import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { WebhookEndpointEntity } from './endpoint.entity';
import { WebhookEventEntity } from './event.entity';

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DELIVERY_ORIGINS = ['event', 'resend', 'replay', 'test'] as const;
export type DeliveryOrigin = (typeof DELIVERY_ORIGINS)[number];

/**
 * One event on its way to one endpoint: the state of record of the retry loop (Redis only holds the timer).
 * `lease` numbers the BullMQ job allowed to make the next attempt; a lost or duplicate job finds a newer lease
 * and does nothing. `lockedUntil` covers an attempt in flight, so a worker killed mid-request is retried later.
 */
@Entity({ name: 'deliveries', schema: 'webhooks' })
@Check('deliveries_status_check', `status IN ('pending', 'succeeded', 'failed')`)
@Check('deliveries_origin_check', `origin IN ('event', 'resend', 'replay', 'test')`)
@Index('deliveries_event_endpoint_uq', ['eventId', 'endpointId'], { unique: true, where: `origin = 'event'` })
@Index('deliveries_endpoint_created_idx', ['endpointId', 'createdAt'])
@Index('deliveries_due_idx', ['nextAttemptAt'], { where: `status = 'pending'` })
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @ManyToOne(() => WebhookEventEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: WebhookEventEntity;

  @Column({ type: 'uuid' })
  endpointId!: string;

  @ManyToOne(() => WebhookEndpointEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id' })
  endpoint?: WebhookEndpointEntity;

  @Column({ type: 'text' })
  origin!: DeliveryOrigin;

  @Column({ type: 'text', default: 'pending' })
  status!: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'int', default: 0 })
  lease!: number;

  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastAttemptAt!: Date | null;

  @Column({ type: 'int', nullable: true })
  lastResponseStatus!: number | null;

  @Column({ type: 'int', nullable: true })
  lastDurationMs!: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
