import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Per claim counters (one row per claim, created by `RollupsService.recordClaim` in the claim's transaction with the
 * claimant's best matching targeted topic at claim time): what `byInfluencer` and the CSV read, and what
 * `campaign_topic_totals` sums. Conversions and revenue count only sales in the campaign's currency.
 */
@Entity({ name: 'claim_stats', schema: 'tracking' })
// (campaign_id, net revenue DESC, clicks DESC, claim_id): byInfluencer's top 100 is the first 100 entries of the
// campaign's range, not a sort of all its claims. An expression index, so it is kept by its migration.
@Index('claim_stats_best_idx', { synchronize: false })
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
