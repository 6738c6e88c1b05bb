import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Attributed conversions per campaign, UTC day of the sale, and currency (refunds land on the sale's day). */
@Entity({ name: 'conversion_daily', schema: 'tracking' })
export class ConversionDailyEntity {
  @PrimaryColumn({ type: 'uuid' })
  campaignId!: string;

  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ type: 'text' })
  currency!: string;

  @Column({ type: 'int', default: 0 })
  conversions!: number;

  @Column({ type: 'bigint', default: 0 })
  revenueCents!: string;

  @Column({ type: 'bigint', default: 0 })
  refundedCents!: string;

  /** Conversions refunded in full: they no longer count as conversions. */
  @Column({ type: 'int', default: 0 })
  refundedConversions!: number;

  @Column({ type: 'int', default: 0 })
  codeLeaks!: number;
}
