import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { InfluencerEntity } from './influencer.entity';

/** Append-only ledger: every grant and withdrawal, with the privacy notice version the person saw. */
@Entity({ name: 'consents', schema: 'influencers' })
@Check('consents_purpose_check', `purpose IN ('matching', 'shareStatsWithBrands')`)
@Index('consents_influencer_idx', ['influencerId', 'id'])
export class ConsentEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'uuid' })
  influencerId!: string;

  @ManyToOne(() => InfluencerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'influencer_id' })
  influencer?: InfluencerEntity;

  @Column({ type: 'text' })
  purpose!: 'matching' | 'shareStatsWithBrands';

  @Column({ type: 'boolean' })
  granted!: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ type: 'text' })
  noticeVersion!: string;
}
