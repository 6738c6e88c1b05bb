import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const ENDPOINT_STATUSES = ['enabled', 'disabled'] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];
/** Why an endpoint stopped: the brand did it, the receiver answered 410, or it kept failing. */
export const DISABLED_REASONS = ['manual', 'gone', 'failing'] as const;
export type DisabledReason = (typeof DISABLED_REASONS)[number];

/** A brand's receiver URL and the event types it wants. The brand id is a reference, not a foreign key. */
@Entity({ name: 'endpoints', schema: 'webhooks' })
@Check('endpoints_status_check', `status IN ('enabled', 'disabled')`)
@Check('endpoints_disabled_reason_check', `disabled_reason IN ('manual', 'gone', 'failing')`)
@Index('endpoints_brand_idx', ['brandId', 'createdAt'])
export class WebhookEndpointEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  brandId!: string;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'text', array: true })
  eventTypes!: string[];

  @Column({ type: 'text', default: 'enabled' })
  status!: EndpointStatus;

  @Column({ type: 'text', nullable: true })
  disabledReason!: DisabledReason | null;

  @Column({ type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  /** Consecutive failed attempts since the last success, and when the streak began. */
  @Column({ type: 'int', default: 0 })
  failureStreak!: number;

  @Column({ type: 'timestamptz', nullable: true })
  failingSince!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
