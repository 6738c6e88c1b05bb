import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Per campaign per UTC day counters, maintained in the same transaction (or statement) as the raw rows they
 * count, so a report reads a few hundred rows at most and never scans events. A cache of the raw rows, never a
 * second truth: the reconciliation job recounts and repairs (design invariant 7).
 */
@Entity({ name: 'campaign_daily', schema: 'tracking' })
export class CampaignDailyEntity {
  @PrimaryColumn({ type: 'uuid' })
  campaignId!: string;

  @PrimaryColumn({ type: 'date' })
  day!: string;

  @Column({ type: 'int', default: 0 })
  claims!: number;

  @Column({ type: 'int', default: 0 })
  shares!: number;

  @Column({ type: 'int', default: 0 })
  disclosedShares!: number;

  @Column({ type: 'bigint', default: 0 })
  reach!: string;

  @Column({ type: 'bigint', default: 0 })
  engagements!: string;

  /** Human GETs only. */
  @Column({ type: 'bigint', default: 0 })
  clicks!: string;

  /** Distinct visitor hashes among the human clicks of that day. */
  @Column({ type: 'bigint', default: 0 })
  uniqueClicks!: string;

  /** Bots, link previews and HEAD requests: recorded, never counted as clicks. */
  @Column({ type: 'bigint', default: 0 })
  filteredClicks!: string;
}
