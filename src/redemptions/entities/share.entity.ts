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
import { ClaimEntity } from './claim.entity';

/**
 * A post in which a member shared their perk. (claim, url) is unique: registering the same post twice returns
 * the first share. Erasure clears `url` and `text` (they lead to the person) and keeps the counters, so campaign
 * reports keep their totals.
 */
@Entity({ name: 'shares', schema: 'redemptions' })
@Unique('shares_claim_url_uq', ['claimId', 'url'])
@Check(
  'shares_network_check',
  `network IN ('twitter', 'instagram', 'tiktok', 'youtube', 'facebook', 'linkedin', 'bluesky', 'mastodon')`,
)
@Check('shares_metrics_check', `reach >= 0 AND engagements >= 0`)
@Index('shares_campaign_created_idx', ['campaignId', 'createdAt'])
@Index('shares_member_idx', ['influencerId', 'createdAt'])
export class ShareEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  claimId!: string;

  @ManyToOne(() => ClaimEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'claim_id' })
  claim?: ClaimEntity;

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
  network!: string;

  /** Normalised (no fragment, no trailing slash); null after erasure. */
  @Column({ type: 'text', nullable: true })
  url!: string | null;

  @Column({ type: 'text', nullable: true })
  text!: string | null;

  @Column({ type: 'boolean' })
  disclosed!: boolean;

  /** Distinct accounts that reacted to the post (from connector signals whose post URL matches). */
  @Column({ type: 'int', default: 0 })
  reach!: number;

  /** Reactions to the post (likes, replies, reshares, clicks). */
  @Column({ type: 'int', default: 0 })
  engagements!: number;

  @Column({ type: 'timestamptz', nullable: true })
  postedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  metricsAt!: Date | null;
}
