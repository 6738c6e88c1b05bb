import { ApiProperty } from '@nestjs/swagger';
import { CAMPAIGN_STATUSES, CampaignStatus } from '../campaign-status';
import type { CampaignRow } from '../campaigns.repository';
import { MATCH_MODES, MatchMode, PERK_KINDS, PerkKind } from './campaign-request.dto';

export class PerkResponseDto {
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: PERK_KINDS }) kind!: PerkKind;
  @ApiProperty({ example: 1800 }) unitCostCents!: number;
  @ApiProperty({ example: 'usd' }) currency!: string;
}

export class TopicTargetResponseDto {
  @ApiProperty({ example: 'coffee' }) slug!: string;
  @ApiProperty({ example: 40 }) minScore!: number;
}

export class TargetingResponseDto {
  @ApiProperty({ type: [TopicTargetResponseDto] }) topics!: TopicTargetResponseDto[];
  @ApiProperty({ enum: MATCH_MODES }) match!: MatchMode;
  @ApiProperty({ type: Number, nullable: true }) minOverallScore!: number | null;
  @ApiProperty({ type: [String], nullable: true, description: 'null: every country' }) countries!: string[] | null;
}

export class CampaignResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: CAMPAIGN_STATUSES }) status!: CampaignStatus;
  @ApiProperty({ type: PerkResponseDto }) perk!: PerkResponseDto;
  @ApiProperty() inventory!: number;
  @ApiProperty() claimed!: number;
  @ApiProperty() remaining!: number;
  @ApiProperty({ description: 'What the accepted funding paid: inventory × unitCostCents + platform fee' })
  fundedCents!: number;
  @ApiProperty({ type: TargetingResponseDto }) targeting!: TargetingResponseDto;
  @ApiProperty() landingUrl!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startsAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endsAt!: string | null;
  @ApiProperty() offerTtlHours!: number;
  @ApiProperty() attributionWindowDays!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static fromRow(r: CampaignRow): CampaignResponseDto {
    return {
      id: r.id,
      name: r.name,
      status: r.status,
      perk: {
        title: r.perkTitle,
        description: r.perkDescription,
        kind: r.perkKind,
        unitCostCents: Number(r.unitCostCents),
        currency: r.currency,
      },
      inventory: r.inventory,
      claimed: r.claimed,
      remaining: r.remaining,
      fundedCents: Number(r.fundedCents),
      targeting: {
        topics: r.topics.map((t) => ({ slug: t.slug, minScore: t.minScore })),
        match: r.match,
        minOverallScore: r.minOverallScore,
        countries: r.countries,
      },
      landingUrl: r.landingUrl,
      startsAt: r.startsAt?.toISOString() ?? null,
      endsAt: r.endsAt?.toISOString() ?? null,
      offerTtlHours: r.offerTtlHours,
      attributionWindowDays: r.attributionWindowDays,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  }
}

export class CampaignPageDto {
  @ApiProperty({ type: [CampaignResponseDto] }) data!: CampaignResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
