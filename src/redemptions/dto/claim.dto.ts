import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Equals, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/pagination';
import { InfluencerRefDto, OfferPerkDto } from '../../matching/dto/offer.dto';
import { ShippingAddressDto } from '../../influencers/dto/influencer.dto';

export class ClaimDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) offerId!: string;
  @ApiProperty({ format: 'uuid' }) campaignId!: string;
  @ApiProperty({ enum: ['claimed', 'fulfilled'] }) status!: 'claimed' | 'fulfilled';
  @ApiProperty({ example: 'K7QH-3MZP', description: 'Redemption code (no ambiguous characters)' }) code!: string;
  @ApiProperty({ example: 'https://sway.example/r/K7QH-3MZP' }) trackingUrl!: string;
}

export class ClaimResponseDto {
  @ApiProperty({ type: ClaimDto }) claim!: ClaimDto;
}

export class MemberClaimDto extends ClaimDto {
  @ApiProperty({ type: OfferPerkDto }) perk!: OfferPerkDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) fulfilledAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) trackingNumber!: string | null;
}

export class MemberClaimPageDto {
  @ApiProperty({ type: [MemberClaimDto] }) data!: MemberClaimDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class BrandClaimDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) offerId!: string;
  @ApiProperty({ enum: ['claimed', 'fulfilled'] }) status!: 'claimed' | 'fulfilled';
  @ApiProperty() code!: string;
  @ApiProperty({ type: InfluencerRefDto }) influencer!: InfluencerRefDto;
  @ApiPropertyOptional({
    type: ShippingAddressDto,
    nullable: true,
    description: 'Product perks only, only while the claim is `claimed`',
  })
  shippingAddress?: ShippingAddressDto | null;
  @ApiProperty({ type: String, nullable: true }) trackingNumber!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) fulfilledAt!: string | null;
}

export class BrandClaimPageDto {
  @ApiProperty({ type: [BrandClaimDto] }) data!: BrandClaimDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ClaimListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['claimed', 'fulfilled'] })
  @IsOptional()
  @IsIn(['claimed', 'fulfilled'])
  status?: 'claimed' | 'fulfilled';
}

export class CampaignClaimParamDto {
  @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
  @IsUUID('all', { message: 'claimId must be a UUID' }) claimId!: string;
}

export class FulfilClaimRequestDto {
  @ApiProperty({ enum: ['fulfilled'] })
  @Equals('fulfilled', { message: 'status can only be set to fulfilled' })
  status!: 'fulfilled';

  @ApiPropertyOptional({ example: '1Z999AA10123456784' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 100)
  trackingNumber?: string;
}
