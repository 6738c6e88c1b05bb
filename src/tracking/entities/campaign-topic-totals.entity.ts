import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A campaign's claim counters summed per reporting topic (the claim's `claim_stats.topic_id`): what `byTopic` reads,
 * a row per targeted topic instead of a group-by over every claim. Written by each `claim_stats` writer in the same
 * statement as the claim's row, so the two never disagree; reconciliation recounts it from `claim_stats`.
 */
@Entity({ name: 'campaign_topic_totals', schema: 'tracking' })
export class CampaignTopicTotalsEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'campaign_topic_totals_pkey' })
  campaignId!: string;

  /** 0: claimants with no published score on a targeted topic. */
  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'campaign_topic_totals_pkey' })
  topicId!: number;

  @Column({ type: 'int', default: 0 })
  claims!: number;

  @Column({ type: 'int', default: 0 })
  shares!: number;

  @Column({ type: 'bigint', default: 0 })
  clicks!: string;

  @Column({ type: 'int', default: 0 })
  conversions!: number;

  @Column({ type: 'int', default: 0 })
  refundedConversions!: number;

  @Column({ type: 'bigint', default: 0 })
  revenueCents!: string;

  @Column({ type: 'bigint', default: 0 })
  refundedCents!: string;
}
