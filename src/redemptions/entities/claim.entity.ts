import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { CampaignEntity } from '../../campaigns/entities/campaign.entity';
import type { ShippingAddress } from '../../influencers/entities/influencer.entity';
import { InfluencerEntity } from '../../influencers/entities/influencer.entity';
import { OfferEntity } from '../../matching/entities/offer.entity';

/**
 * A claimed unit of inventory. (campaign, member) is unique: a person claims a campaign at most once, whatever
 * the concurrency. Kept after erasure (under the brand pseudonym) so reports keep their totals.
 */
@Entity({ name: 'claims', schema: 'redemptions' })
@Unique('claims_campaign_member_uq', ['campaignId', 'influencerId'])
@Unique('claims_offer_uq', ['offerId'])
@Unique('claims_code_uq', ['code'])
@Check('claims_status_check', `status IN ('claimed', 'fulfilled')`)
@Index('claims_campaign_created_idx', ['campaignId', 'createdAt', 'id'])
@Index('claims_member_idx', ['influencerId', 'createdAt'])
// Partial, hand-written (1797400000000): the shared-household rule's lookup.
@Index('claims_address_hash_idx', { synchronize: false })
export class ClaimEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  offerId!: string;

  @OneToOne(() => OfferEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'offer_id' })
  offer?: OfferEntity;

  @Column({ type: 'uuid' })
  campaignId!: string;

  @ManyToOne(() => CampaignEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: CampaignEntity;

  @Column({ type: 'uuid' })
  influencerId!: string;

  @ManyToOne(() => InfluencerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'influencer_id' })
  influencer?: InfluencerEntity;

  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text', default: 'claimed' })
  status!: 'claimed' | 'fulfilled';

  /** Product perks only: where to ship, copied at claim time; purged 30 days after fulfilment or on erasure. */
  @Column({ type: 'jsonb', nullable: true })
  shippingAddress!: ShippingAddress | null;

  /**
   * brandKeyedHash of the normalised shipping address, taken at claim time (the address itself is purged 30 days
   * after fulfilment; the household rule needs only equality). Cleared at erasure.
   */
  @Column({ type: 'bytea', nullable: true })
  addressHash!: Buffer | null;

  /** brandKeyedHash of the claimant's email at claim time, for the self-referral rule. Cleared at erasure. */
  @Column({ type: 'bytea', nullable: true })
  claimantHash!: Buffer | null;

  @Column({ type: 'text', nullable: true })
  trackingNumber!: string | null;

  /** The member's overall score when claiming (eligibility snapshot). */
  @Column({ type: 'smallint', nullable: true })
  scoreAtClaim!: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  fulfilledAt!: Date | null;
}
