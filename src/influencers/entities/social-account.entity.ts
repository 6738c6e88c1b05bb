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
import { InfluencerEntity } from './influencer.entity';

export const NETWORKS = ['twitter', 'instagram', 'tiktok', 'youtube', 'facebook', 'linkedin'] as const;
export type Network = (typeof NETWORKS)[number];

/** One account belongs to one member: (network, externalId) is unique across everyone. */
@Entity({ name: 'social_accounts', schema: 'influencers' })
@Unique('social_accounts_network_external_uq', ['network', 'externalId'])
@Check(
  'social_accounts_network_check',
  `network IN ('twitter', 'instagram', 'tiktok', 'youtube', 'facebook', 'linkedin')`,
)
@Index('social_accounts_influencer_idx', ['influencerId'])
export class SocialAccountEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  influencerId!: string;

  @ManyToOne(() => InfluencerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'influencer_id' })
  influencer?: InfluencerEntity;

  @Column({ type: 'text' })
  network!: Network;

  @Column({ type: 'text' })
  handle!: string;

  @Column({ type: 'text' })
  externalId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
