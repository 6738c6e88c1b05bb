import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { BrandEntity } from '../../brands/entities/brand.entity';
import type { CampaignStatus } from '../campaign-status';

@Entity({ name: 'campaigns', schema: 'campaigns' })
@Check('campaigns_status_check', `status IN ('draft', 'pending_funding', 'active', 'paused', 'completed', 'cancelled')`)
@Check('campaigns_perk_kind_check', `perk_kind IN ('product', 'experience', 'discount')`)
@Check('campaigns_match_check', `match IN ('any', 'all')`)
@Check('campaigns_currency_check', `currency ~ '^[a-z]{3}$'`)
@Check('campaigns_unit_cost_check', `unit_cost_cents >= 0`)
@Check('campaigns_inventory_check', `inventory BETWEEN 1 AND 1000000`)
// The claims context takes a unit with `UPDATE … SET claimed = claimed + 1, remaining = remaining - 1 WHERE
// remaining > 0`; this constraint is the last line of defence against an oversell.
@Check('campaigns_units_check', `claimed >= 0 AND remaining >= 0 AND claimed + remaining = inventory`)
@Check('campaigns_funded_check', `funded_cents >= 0`)
@Check('campaigns_fee_bps_check', `platform_fee_bps BETWEEN 0 AND 10000`)
@Check('campaigns_min_overall_score_check', `min_overall_score BETWEEN 1 AND 100`)
@Check('campaigns_dates_check', `starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at`)
@Check('campaigns_offer_ttl_check', `offer_ttl_hours BETWEEN 1 AND 720`)
@Check('campaigns_attribution_window_check', `attribution_window_days BETWEEN 1 AND 365`)
@Index('campaigns_brand_created_idx', ['brandId', 'createdAt', 'id'])
// Only running campaigns are ever due; the scheduler scans this small partial index every minute.
@Index('campaigns_running_ends_at_idx', ['endsAt'], { where: `status IN ('active', 'paused')` })
export class CampaignEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  brandId!: string;

  @ManyToOne(() => BrandEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'brand_id' })
  brand?: BrandEntity;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', default: 'draft' })
  status!: CampaignStatus;

  @Column({ type: 'text' })
  perkTitle!: string;

  @Column({ type: 'text' })
  perkDescription!: string;

  @Column({ type: 'text' })
  perkKind!: 'product' | 'experience' | 'discount';

  @Column({ type: 'bigint' })
  unitCostCents!: string;

  /** ISO 4217, lower case. */
  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'int' })
  inventory!: number;

  @Column({ type: 'int', default: 0 })
  claimed!: number;

  @Column({ type: 'int' })
  remaining!: number;

  /** The accepted funding's amount (perk budget + platform fee); the ledger has every movement. */
  @Column({ type: 'bigint', default: 0 })
  fundedCents!: string;

  /** PLATFORM_FEE_BPS at funding time, so a later change of the setting never breaks this campaign's sums. */
  @Column({ type: 'smallint', nullable: true })
  platformFeeBps!: number | null;

  @Column({ type: 'text' })
  match!: 'any' | 'all';

  @Column({ type: 'smallint', nullable: true })
  minOverallScore!: number | null;

  /** ISO 3166-1 alpha-2; null targets every country. */
  @Column({ type: 'text', array: true, nullable: true })
  countries!: string[] | null;

  @Column({ type: 'text' })
  landingUrl!: string;

  @Column({ type: 'timestamptz', nullable: true })
  startsAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  endsAt!: Date | null;

  @Column({ type: 'int', default: 72 })
  offerTtlHours!: number;

  @Column({ type: 'int', default: 30 })
  attributionWindowDays!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
