import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Per claim counters (one row per claim, created by a trigger on `claims` with the claimant's best matching
 * targeted topic at claim time): what `byInfluencer`, `byTopic` and the CSV read. Conversions and revenue count
 * only sales in the campaign's currency.
 */
@Entity({ name: 'claim_stats', schema: 'tracking' })
@Index('claim_stats_campaign_idx', ['campaignId', 'topicId'])
export class ClaimStatsEntity {
  @PrimaryColumn({ type: 'uuid' })
  claimId!: string;

  @Column({ type: 'uuid' })
  campaignId!: string;

  /** The targeted topic the claimant scored best on when claiming; 0 when none had a published score. */
  @Column({ type: 'int', default: 0 })
  topicId!: number;

  @Column({ type: 'int', default: 0 })
  shares!: number;

  @Column({ type: 'int', default: 0 })
  disclosedShares!: number;

  @Column({ type: 'bigint', default: 0 })
  reach!: string;

  @Column({ type: 'bigint', default: 0 })
  engagements!: string;

  @Column({ type: 'bigint', default: 0 })
  clicks!: string;

  @Column({ type: 'int', default: 0 })
  conversions!: number;

  @Column({ type: 'bigint', default: 0 })
  revenueCents!: string;

  @Column({ type: 'bigint', default: 0 })
  refundedCents!: string;

  @Column({ type: 'int', default: 0 })
  refundedConversions!: number;

  @Column({ type: 'int', default: 0 })
  codeLeaks!: number;
}
