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
import { CampaignEntity } from '../../campaigns/entities/campaign.entity';

export type FundingMethod = 'checkout' | 'offline';
/**
 * `open` (checkout created or being created) → `paid` (funds the campaign) | `expired` | `failed` (Stripe refused
 * to create it). A payment the campaign can no longer accept (cancelled meanwhile, already funded) is `rejected`
 * and refunded in full.
 */
export type FundingStatus = 'open' | 'paid' | 'rejected' | 'expired' | 'failed';

@Entity({ name: 'fundings', schema: 'billing' })
@Check('fundings_method_check', `method IN ('checkout', 'offline')`)
@Check('fundings_status_check', `status IN ('open', 'paid', 'rejected', 'expired', 'failed')`)
@Check('fundings_amounts_check', `perk_cents >= 0 AND fee_cents >= 0 AND amount_cents = perk_cents + fee_cents`)
@Check('fundings_fee_bps_check', `fee_bps BETWEEN 0 AND 10000`)
@Check('fundings_currency_check', `currency ~ '^[a-z]{3}$'`)
@Index('fundings_campaign_idx', ['campaignId', 'createdAt'])
// At most one funding pays for a campaign, and at most one checkout is open: a second payment is refunded.
@Index('fundings_one_paid_per_campaign_uq', ['campaignId'], { unique: true, where: `status = 'paid'` })
@Index('fundings_one_open_per_campaign_uq', ['campaignId'], { unique: true, where: `status = 'open'` })
export class FundingEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  campaignId!: string;

  @ManyToOne(() => CampaignEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: CampaignEntity;

  @Column({ type: 'text' })
  method!: FundingMethod;

  @Column({ type: 'text', default: 'open' })
  status!: FundingStatus;

  /** inventory × unitCostCents at the time of funding. */
  @Column({ type: 'bigint' })
  perkCents!: string;

  @Column({ type: 'bigint' })
  feeCents!: string;

  @Column({ type: 'smallint' })
  feeBps!: number;

  @Column({ type: 'bigint' })
  amountCents!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'text', nullable: true, unique: true })
  stripeCheckoutSessionId!: string | null;

  @Column({ type: 'text', nullable: true })
  checkoutUrl!: string | null;

  /** When Stripe lets the session lapse; a lapsed one is never handed out again, even before its webhook. */
  @Column({ type: 'timestamptz', nullable: true })
  checkoutExpiresAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  stripePaymentIntentId!: string | null;

  /** The operator's invoice or transfer reference for offline funding. */
  @Column({ type: 'text', nullable: true })
  reference!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  paidAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
