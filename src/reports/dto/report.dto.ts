import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { InfluencerRefDto } from '../../matching/dto/offer.dto';
import { IsCalendarDate } from '../../common/validation/dates';

export class FunnelDto {
  @ApiProperty({ description: 'Opted-in adults matching the targeting at the time of the report' }) eligible!: number;
  @ApiProperty() offered!: number;
  @ApiProperty() claimed!: number;
  @ApiProperty() declined!: number;
  @ApiProperty({ description: 'Offers that lapsed unanswered' }) expired!: number;
  @ApiProperty() fulfilled!: number;
  @ApiProperty() shares!: number;
  @ApiProperty({ description: 'Shares whose caption carries a sponsorship disclosure' }) disclosedShares!: number;
  @ApiProperty({ description: 'Sum of the shares’ reach (distinct reacting accounts per post)' }) reach!: number;
  @ApiProperty() engagements!: number;
  @ApiProperty({ description: 'Human GETs of the tracking links (no HEAD, bots or link previews)' }) clicks!: number;
  @ApiProperty({ description: 'Distinct visitors per UTC day, summed over days' }) uniqueClicks!: number;
  @ApiProperty({ description: 'Attributed conversions in the campaign currency, net of full refunds' })
  conversions!: number;
  @ApiProperty({ description: 'Their revenue net of refunds' }) revenueCents!: number;
}

export class CostDto {
  @ApiProperty({ description: 'claimed × unitCostCents' }) perkCostCents!: number;
  @ApiProperty({ description: 'round(perkCostCents × platform fee bps / 10000), half up; bps frozen at funding' })
  platformFeeCents!: number;
  @ApiProperty() totalCents!: number;
}

export class TopicBreakdownDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The targeted topic the claimant scored best on at claim time; null: none had a published score',
  })
  topic!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty() claims!: number;
  @ApiProperty() shares!: number;
  @ApiProperty() clicks!: number;
  @ApiProperty() conversions!: number;
  @ApiProperty() revenueCents!: number;
}

export class InfluencerBreakdownDto {
  @ApiProperty({ type: InfluencerRefDto }) influencer!: InfluencerRefDto;
  @ApiProperty({ format: 'uuid' }) claimId!: string;
  @ApiProperty({ type: String, nullable: true }) topic!: string | null;
  @ApiProperty() shares!: number;
  @ApiProperty() disclosedShares!: number;
  @ApiProperty() reach!: number;
  @ApiProperty() engagements!: number;
  @ApiProperty() clicks!: number;
  @ApiProperty() conversions!: number;
  @ApiProperty() revenueCents!: number;
  @ApiProperty() possibleCodeLeaks!: number;
}

export class CurrencyTotalsDto {
  @ApiProperty({ example: 'eur' }) currency!: string;
  @ApiProperty() conversions!: number;
  @ApiProperty() revenueCents!: number;
}

export class QualityDto {
  @ApiProperty({ description: 'Bots, link previews and HEAD requests: redirected, never counted' })
  filteredClicks!: number;
  @ApiProperty({ description: 'Code-attributed sales with no human click on that claim’s link before them' })
  possibleCodeLeaks!: number;
  @ApiProperty() refundedConversions!: number;
  @ApiProperty() refundedCents!: number;
}

export class ExcludedFiguresDto {
  @ApiProperty({ description: 'Claims confirmed fraudulent (shared household): their cost, clicks and sales' })
  claims!: number;
  @ApiProperty() fulfilled!: number;
  @ApiProperty() shares!: number;
  @ApiProperty() disclosedShares!: number;
  @ApiProperty() reach!: number;
  @ApiProperty() engagements!: number;
  @ApiProperty() clicks!: number;
  @ApiProperty({ description: 'Visitor-days none of whose clicks remain' }) uniqueClicks!: number;
  @ApiProperty() conversions!: number;
  @ApiProperty() revenueCents!: number;
}

export class ExcludingConfirmedFraudDto {
  @ApiProperty({ type: FunnelDto, description: 'The funnel without what confirmed signals name' }) funnel!: FunnelDto;
  @ApiProperty({ type: CostDto, description: 'The cost of the claims not confirmed fraudulent' }) cost!: CostDto;
  @ApiProperty({ type: Number, nullable: true }) roi!: number | null;
  @ApiProperty({ type: ExcludedFiguresDto, description: 'What was taken out: funnel = report funnel − excluded' })
  excluded!: ExcludedFiguresDto;
}

export class FraudCountsDto {
  @ApiProperty() open!: number;
  @ApiProperty() confirmed!: number;
  @ApiProperty() dismissed!: number;
}

export class CampaignReportDto {
  @ApiProperty({ format: 'uuid' }) campaignId!: string;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ type: FunnelDto }) funnel!: FunnelDto;
  @ApiProperty({ type: CostDto }) cost!: CostDto;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: '(revenueCents − totalCents) / totalCents; null when totalCents is 0',
  })
  roi!: number | null;
  @ApiProperty({
    type: ExcludingConfirmedFraudDto,
    description: 'The same figures without the clicks, sales and claims of confirmed fraud signals',
  })
  excludingConfirmedFraud!: ExcludingConfirmedFraudDto;
  @ApiProperty({ type: FraudCountsDto, description: 'Fraud signals of the campaign by status' })
  fraud!: FraudCountsDto;
  @ApiProperty({ type: [TopicBreakdownDto] }) byTopic!: TopicBreakdownDto[];
  @ApiProperty({
    type: [InfluencerBreakdownDto],
    description: 'One entry per claim, best first (net revenue, then clicks), at most 100; the CSV has every claim',
  })
  byInfluencer!: InfluencerBreakdownDto[];
  @ApiProperty({ description: 'How many claims byInfluencer would list without the cut' }) byInfluencerTotal!: number;
  @ApiProperty({ type: [CurrencyTotalsDto], description: 'Attributed sales in other currencies (not in ROI)' })
  otherCurrencies!: CurrencyTotalsDto[];
  @ApiProperty({ type: QualityDto }) quality!: QualityDto;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
}

export class DailyQueryDto {
  @ApiPropertyOptional({ example: '2025-06-01', description: 'First UTC day (default: first day with activity)' })
  @IsOptional()
  @IsCalendarDate({ message: 'from must be a date (YYYY-MM-DD)' })
  from?: string;

  @ApiPropertyOptional({ example: '2025-06-30', description: 'Last UTC day (default: last day with activity)' })
  @IsOptional()
  @IsCalendarDate({ message: 'to must be a date (YYYY-MM-DD)' })
  to?: string;
}

export class DailyPointDto {
  @ApiProperty({ example: '2025-06-01', description: 'UTC day' }) date!: string;
  @ApiProperty() claims!: number;
  @ApiProperty() shares!: number;
  @ApiProperty() clicks!: number;
  @ApiProperty() uniqueClicks!: number;
  @ApiProperty({ description: 'By day of sale, net of refunds, campaign currency' }) conversions!: number;
  @ApiProperty() revenueCents!: number;
}

export class DailyReportDto {
  @ApiProperty({ type: [DailyPointDto], description: 'Every day from the first to the last with activity' })
  data!: DailyPointDto[];
}

export class CampaignSummaryDto {
  @ApiProperty({ format: 'uuid' }) campaignId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() status!: string;
  @ApiProperty() currency!: string;
  @ApiProperty() claimed!: number;
  @ApiProperty() clicks!: number;
  @ApiProperty() conversions!: number;
  @ApiProperty() revenueCents!: number;
  @ApiProperty() totalCostCents!: number;
  @ApiProperty({ type: Number, nullable: true }) roi!: number | null;
}

export class CurrencySummaryDto {
  @ApiProperty() currency!: string;
  @ApiProperty() campaigns!: number;
  @ApiProperty() claimed!: number;
  @ApiProperty() clicks!: number;
  @ApiProperty() conversions!: number;
  @ApiProperty() revenueCents!: number;
  @ApiProperty() totalCostCents!: number;
  @ApiProperty({ type: Number, nullable: true }) roi!: number | null;
}

export class BrandSummaryDto {
  @ApiProperty({ type: [CampaignSummaryDto], description: 'Every campaign of the brand, newest first' })
  data!: CampaignSummaryDto[];
  @ApiProperty({
    type: [CurrencySummaryDto],
    description: 'Totals per campaign currency (never summed across currencies)',
  })
  totals!: CurrencySummaryDto[];
}
