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
import { CampaignEntity } from '../../campaigns/entities/campaign.entity';
import { InfluencerEntity } from '../../influencers/entities/influencer.entity';

export const OFFER_STATUSES = ['pending', 'claimed', 'declined', 'expired', 'withdrawn'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/** One offer per person per campaign, ever: the unique key is what makes concurrent matcher runs harmless. */
@Entity({ name: 'offers', schema: 'matching' })
@Unique('offers_campaign_member_uq', ['campaignId', 'influencerId'])
@Check('offers_status_check', `status IN ('pending', 'claimed', 'declined', 'expired', 'withdrawn')`)
@Check('offers_match_score_check', `match_score BETWEEN 0 AND 100`)
@Index('offers_member_created_idx', ['influencerId', 'createdAt'])
@Index('offers_campaign_status_idx', ['campaignId', 'status'])
@Index('offers_pending_expiry_idx', { synchronize: false })
export class OfferEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  campaignId!: string;

  @ManyToOne(() => CampaignEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: CampaignEntity;

  @Column({ type: 'uuid' })
  influencerId!: string;

  @ManyToOne(() => InfluencerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'influencer_id' })
  influencer?: InfluencerEntity;

  @Column({ type: 'text', default: 'pending' })
  status!: OfferStatus;

  /** The best targeted topic score at match time: why this person was offered the perk. */
  @Column({ type: 'smallint' })
  matchScore!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  /** Why a pending offer was withdrawn: consent_withdrawn, erased, sold_out, campaign_ended. */
  @Column({ type: 'text', nullable: true })
  withdrawnReason!: string | null;
}
