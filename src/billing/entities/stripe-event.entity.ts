import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Every verified Stripe event, once (Stripe delivers at least once). Recorded before the 200 so an
 * acknowledged event survives any crash; applied later by the billing-events worker.
 */
@Entity({ name: 'stripe_events', schema: 'billing' })
@Index('stripe_events_unprocessed_idx', ['receivedAt'], { where: `processed_at IS NULL` })
export class StripeEventEntity {
  /** Stripe's `evt_…` id. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  type!: string;

  /** Set for events of a connected account (a brand's own Stripe account, see tracking). */
  @Column({ type: 'text', nullable: true })
  account!: string | null;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  processedAt!: Date | null;
}
