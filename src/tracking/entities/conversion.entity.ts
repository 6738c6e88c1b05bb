import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { BrandEntity } from '../../brands/entities/brand.entity';
import { CampaignEntity } from '../../campaigns/entities/campaign.entity';
import { ClaimEntity } from '../../redemptions/entities/claim.entity';

export const ATTRIBUTIONS = ['code', 'click'] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];
export const CONVERSION_SOURCES = ['api', 'stripe'] as const;
export type ConversionSource = (typeof CONVERSION_SOURCES)[number];

/**
 * A sale a brand reported (API) or Stripe told us about (the brand's connected account). (brand, order id) is
 * unique: the order id is the idempotency key of a conversion. Attribution is decided once, at insert.
 */
@Entity({ name: 'conversions', schema: 'tracking' })
@Unique('conversions_brand_order_uq', ['brandId', 'orderId'])
@Check('conversions_amount_check', `amount_cents >= 0`)
@Check('conversions_refunded_check', `refunded_cents BETWEEN 0 AND amount_cents`)
@Check('conversions_currency_check', `currency ~ '^[a-z]{3}$'`)
@Check('conversions_attributed_by_check', `attributed_by IN ('code', 'click')`)
@Check('conversions_source_check', `source IN ('api', 'stripe')`)
@Check('conversions_attribution_check', `(attributed_by IS NULL) = (campaign_id IS NULL)`)
@Index('conversions_campaign_idx', ['campaignId', 'occurredAt'])
@Index('conversions_claim_idx', ['claimId'])
@Index('conversions_created_idx', ['createdAt'])
@Index('conversions_payment_intent_idx', ['brandId', 'paymentIntentId'], { where: `payment_intent_id IS NOT NULL` })
export class ConversionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  brandId!: string;

  @ManyToOne(() => BrandEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'brand_id' })
  brand?: BrandEntity;

  /** The brand's own order reference (a Stripe Checkout Session id for Stripe-sourced sales). */
  @Column({ type: 'text' })
  orderId!: string;

  @Column({ type: 'bigint' })
  amountCents!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'uuid', nullable: true })
  campaignId!: string | null;

  @ManyToOne(() => CampaignEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: CampaignEntity;

  @Column({ type: 'uuid', nullable: true })
  claimId!: string | null;

  @ManyToOne(() => ClaimEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'claim_id' })
  claim?: ClaimEntity;

  /** The `sway_click` the caller sent (clicks are partitioned: no foreign key). */
  @Column({ type: 'uuid', nullable: true })
  clickId!: string | null;

  /** The redemption code the caller sent, normalised. */
  @Column({ type: 'text', nullable: true })
  code!: string | null;

  @Column({ type: 'text', nullable: true })
  attributedBy!: Attribution | null;

  @Column({ type: 'text', default: 'api' })
  source!: ConversionSource;

  /** Attributed by code with no human click on that claim's link before the sale: the code may have leaked. */
  @Column({ type: 'boolean', default: false })
  possibleCodeLeak!: boolean;

  /** Stripe-sourced sales: how a later `charge.refunded` finds this conversion. */
  @Column({ type: 'text', nullable: true })
  paymentIntentId!: string | null;

  /** brandKeyedHash of the customer's email when the brand sent one (self-referral rule); never the email. */
  @Column({ type: 'bytea', nullable: true })
  customerHash!: Buffer | null;

  @Column({ type: 'bigint', default: 0 })
  refundedCents!: string;

  @Column({ type: 'timestamptz', nullable: true })
  refundedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
