import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUrl, IsUUID, MaxLength } from 'class-validator';
import { NETWORKS, Network } from '../../influencers/entities/social-account.entity';
import { IsTimestamp } from '../../common/validation/dates';
import { NormalizeUrl } from '../../common/validation/url';

export class ClaimIdParamDto {
  @IsUUID('all', { message: 'claimId must be a UUID' }) claimId!: string;
}

export class CreateShareRequestDto {
  @ApiProperty({ example: 'https://www.instagram.com/p/C7xYz12AbCd/', description: 'The public URL of your post' })
  @NormalizeUrl()
  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be an http(s) URL' })
  url!: string;

  @ApiProperty({ enum: NETWORKS })
  @IsIn(NETWORKS, { message: `network must be one of ${NETWORKS.join(', ')}` })
  network!: Network;

  @ApiPropertyOptional({
    example: 'Best espresso I had this year #ad',
    description: 'The caption: checked for a sponsorship disclosure',
  })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  text?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsTimestamp({ message: 'postedAt must be an ISO 8601 timestamp with a time zone' })
  postedAt?: string;
}

export class ShareDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Normalised: no fragment, no trailing slash' }) url!: string;
  @ApiProperty({
    description: 'The text carries a sponsorship disclosure (#ad, #gifted, #sponsored, "paid partnership", "ad:", …)',
  })
  disclosed!: boolean;
  @ApiProperty({ enum: NETWORKS }) network!: string;
  @ApiProperty({ description: 'Distinct accounts that reacted (from connector signals for this post URL)' })
  reach!: number;
  @ApiProperty({ description: 'Reactions to the post' }) engagements!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) postedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ShareResponseDto {
  @ApiProperty({ type: ShareDto }) share!: ShareDto;
}

export class DisclosureCheckRequestDto {
  @ApiProperty({ description: 'The caption of the post, as it will be published' })
  @IsString()
  @MaxLength(10_000)
  text!: string;
}

export class DisclosureCheckResponseDto {
  @ApiProperty({ description: 'True when the text carries a sponsorship disclosure' }) disclosed!: boolean;
  @ApiProperty({ type: [String], description: 'Disclosures that would make it clear, e.g. #ad' })
  suggestions!: string[];
  @ApiProperty({ description: 'Why a disclosure matters, in plain words' }) why!: string;
}
