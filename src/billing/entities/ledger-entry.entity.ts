import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CampaignEntity } from '../../campaigns/entities/campaign.entity';
import { FundingEntity } from './funding.entity';

export type LedgerKind = 'funding' | 'claim_spend' | 'platform_fee' | 'refund';

/**
 * Append-only money movements (a trigger refuses UPDATE and DELETE). Amounts are positive; the kind gives
 * the direction: funded = claim_spend + platform_fee + refund + remaining budget, per campaign.
 * `reference` makes each movement unique per campaign (session id, claim id, refund id), so a replay inserts
 * nothing.
 */
@Entity({ name: 'ledger_entries', schema: 'billing' })
@Check('ledger_entries_kind_check', `kind IN ('funding', 'claim_spend', 'platform_fee', 'refund')`)
@Check('ledger_entries_amount_check', `amount_cents > 0`)
@Check('ledger_entries_currency_check', `currency ~ '^[a-z]{3}$'`)
@Index('ledger_entries_movement_uq', ['campaignId', 'kind', 'reference'], { unique: true })
@Index('ledger_entries_funding_idx', ['fundingId'])
export class LedgerEntryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  campaignId!: string;

  @ManyToOne(() => CampaignEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: CampaignEntity;

  @Column({ type: 'text' })
  kind!: LedgerKind;

  @Column({ type: 'bigint' })
  amountCents!: string;

  @Column({ type: 'text' })
  currency!: string;

  /** The funding a `funding` or `refund` entry belongs to. */
  @Column({ type: 'uuid', nullable: true })
  fundingId!: string | null;

  @ManyToOne(() => FundingEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'funding_id' })
  funding?: FundingEntity;

  /** The claim a `claim_spend` or `platform_fee` entry pays for (claims live in the redemptions context). */
  @Column({ type: 'uuid', nullable: true })
  claimId!: string | null;

  @Column({ type: 'text' })
  reference!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
