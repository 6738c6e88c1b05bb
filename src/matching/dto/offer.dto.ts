import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/pagination';
import { OFFER_STATUSES, OfferStatus } from '../entities/offer.entity';

export class OfferListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: OFFER_STATUSES })
  @IsOptional()
  @IsIn(OFFER_STATUSES, { message: `status must be one of ${OFFER_STATUSES.join(', ')}` })
  status?: OfferStatus;
}

export class OfferIdParamDto {
  @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
}

export class CampaignIdParamDto {
  @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
}

export class OfferPerkDto {
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: ['product', 'experience', 'discount'] }) kind!: string;
  @ApiProperty() unitCostCents!: number;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ description: 'The brand offering it' }) brandName!: string;
  @ApiProperty() landingUrl!: string;
}

export class MemberOfferDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) campaignId!: string;
  @ApiProperty({ type: OfferPerkDto }) perk!: OfferPerkDto;
  @ApiProperty({ enum: OFFER_STATUSES }) status!: OfferStatus;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class MemberOfferPageDto {
  @ApiProperty({ type: [MemberOfferDto] }) data!: MemberOfferDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class InfluencerRefDto {
  @ApiProperty({ example: 'inf_3q2-7fAbCd9xYz0k', description: 'Per-brand pseudonym' }) ref!: string;
  @ApiPropertyOptional({ description: 'Only with the member’s shareStatsWithBrands consent' }) displayName?: string;
  @ApiPropertyOptional({
    description: 'Only with the member’s shareStatsWithBrands consent',
    example: [{ network: 'instagram', handle: '@maya' }],
  })
  handles?: { network: string; handle: string }[];
}

export class BrandOfferDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: OFFER_STATUSES }) status!: OfferStatus;
  @ApiProperty({ description: 'Best targeted topic score at match time' }) matchScore!: number;
  @ApiProperty({ type: InfluencerRefDto }) influencer!: InfluencerRefDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) withdrawnReason!: string | null;
}

export class BrandOfferPageDto {
  @ApiProperty({ type: [BrandOfferDto] }) data!: BrandOfferDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class AudienceDto {
  @ApiProperty({
    description: 'Opted-in adults who match the targeting now (no identities); an estimate unless `exact`',
  })
  eligible!: number;
  @ApiProperty({ description: 'True when `eligible` is an exact count, false when it is scaled up from a sample' })
  exact!: boolean;
  @ApiProperty({
    description: 'Half-width of the 95 % confidence interval relative to `eligible` (0.02 = ±2 %); 0 when exact',
    example: 0.018,
  })
  relativeErrorBound!: number;
}
