import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Per-campaign counters of facts owned elsewhere that a report would otherwise count claim by claim: fulfilled
 * claims (redemptions calls `RollupsService.recordFulfilment` in the fulfilment's transaction). Reconciliation
 * recounts them from `redemptions.claim_facts`.
 */
@Entity({ name: 'campaign_totals', schema: 'tracking' })
export class CampaignTotalsEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'campaign_totals_pkey' })
  campaignId!: string;

  @Column({ type: 'int', default: 0 })
  fulfilled!: number;
}
