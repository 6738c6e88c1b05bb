import { NotificationPreferencesDto } from '../../notifications/dto/notifications.dto';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
  ValidationArguments,
  registerDecorator,
} from 'class-validator';
import { IsCountryCode } from '../../common/validation/iso-codes';
import { NETWORKS, Network } from '../entities/social-account.entity';
import { isCalendarDate } from '../../common/validation/dates';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** A real calendar date, YYYY-MM-DD, not in the future and not before 1900. */
function IsPlausibleBirthDate(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isPlausibleBirthDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'dateOfBirth must be a real date (YYYY-MM-DD) between 1900-01-01 and today' },
      validator: {
        validate(v: unknown, _args: ValidationArguments) {
          if (!isCalendarDate(v)) return false;
          return v >= '1900-01-01' && Date.parse(`${v}T00:00:00Z`) <= Date.now();
        },
      },
    });
}

export class SignupConsentsDto {
  @ApiProperty({ description: 'Be matched with perks. Never pre-granted.' })
  @IsBoolean()
  matching!: boolean;

  @ApiProperty({ description: 'Let brands whose perks you claim see your name, handles and stats.' })
  @IsBoolean()
  shareStatsWithBrands!: boolean;
}

export class SignupRequestDto {
  @ApiProperty({ example: 'maya@example.com' })
  @Transform(trim)
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty({ minLength: 10, example: 'correct horse battery' })
  @IsString()
  @Length(10, 1024, { message: 'password must be at least 10 characters' })
  password!: string;

  @ApiProperty({ example: 'Maya' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  displayName!: string;

  @ApiProperty({ example: '1994-05-17', description: 'Only used to check 18+ today; never stored' })
  @IsString()
  @IsPlausibleBirthDate()
  dateOfBirth!: string;

  @ApiProperty({ example: 'US' })
  @IsCountryCode()
  country!: string;

  @ApiPropertyOptional({ type: SignupConsentsDto, description: 'Both default to false' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SignupConsentsDto)
  consents?: SignupConsentsDto;

  @ApiPropertyOptional({
    type: NotificationPreferencesDto,
    description: 'How to hear about offers, expiring offers, fulfilment and contests; each unanswered one is off',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NotificationPreferencesDto)
  notifications?: NotificationPreferencesDto;
}

export class LoginRequestDto {
  @ApiProperty()
  @Transform(trim)
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class ShippingAddressDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 200) name?: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 200) line1!: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 200) line2?: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 100) city!: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 100) region?: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 20) postalCode!: string;
  @ApiProperty({ example: 'US' }) @IsCountryCode() country!: string;
}

export class UpdateProfileRequestDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 100) displayName?: string;

  @ApiPropertyOptional({ example: 'US' }) @IsOptional() @IsCountryCode() country?: string;

  @ApiPropertyOptional({ type: ShippingAddressDto, nullable: true, description: 'null removes it' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ShippingAddressDto)
  shippingAddress?: ShippingAddressDto | null;
}

/** Either consent or both; null is refused (a consent is given or withdrawn, never unknown). */
export class UpdateConsentsRequestDto extends PartialType(SignupConsentsDto, { skipNullProperties: false }) {}

export class LinkSocialAccountRequestDto {
  @ApiProperty({ enum: NETWORKS })
  @IsIn(NETWORKS, { message: `network must be one of ${NETWORKS.join(', ')}` })
  network!: Network;

  @ApiProperty({ example: '@maya' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  @Matches(/^\S+$/, { message: 'handle must not contain spaces' })
  handle!: string;

  @ApiProperty({ example: '1234567890', description: "The network's stable account id" })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  @Matches(/^[\w.:-]+$/, { message: 'externalId may contain letters, digits, _ . : -' })
  externalId!: string;
}

export class SocialAccountIdParamDto {
  @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
}

export class TopicSlugParamDto {
  @IsString() @Length(1, 100) slug!: string;
}

export class SetTopicVisibilityRequestDto {
  @ApiProperty() @IsDefined() @IsBoolean() hidden!: boolean;
}

// ---------- responses ----------

export class InfluencerSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() country!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class SignupResponseDto {
  @ApiProperty({ type: InfluencerSummaryDto }) influencer!: InfluencerSummaryDto;
  @ApiProperty({ type: String, nullable: true, description: 'null on an idempotent replay' }) accessToken!:
    string | null;
  @ApiProperty({ description: 'Seconds until the access token expires' }) expiresIn!: number;
}

export class LoginResponseDto {
  @ApiProperty() accessToken!: string;
  @ApiProperty() expiresIn!: number;
}

export class ConsentHistoryItemDto {
  @ApiProperty({ enum: ['matching', 'shareStatsWithBrands'] }) purpose!: string;
  @ApiProperty() granted!: boolean;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: '2026-11-01' }) noticeVersion!: string;
}

export class ConsentsResponseDto {
  @ApiProperty() matching!: boolean;
  @ApiProperty() shareStatsWithBrands!: boolean;
  @ApiProperty({ type: [ConsentHistoryItemDto] }) history!: ConsentHistoryItemDto[];
}

export class ProfileResponseDto extends InfluencerSummaryDto {
  @ApiProperty({ type: ShippingAddressDto, nullable: true }) shippingAddress!: ShippingAddressDto | null;
  @ApiProperty({ format: 'date-time', description: 'When the person was verified to be 18 or older' })
  adultVerifiedAt!: string;
  @ApiProperty({ example: { matching: true, shareStatsWithBrands: false } })
  consents!: { matching: boolean; shareStatsWithBrands: boolean };
}

export class SocialAccountDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  // Declared accounts use NETWORKS; connectors add the networks they verify themselves.
  @ApiProperty({ enum: [...NETWORKS, 'bluesky', 'mastodon'] }) network!: string;
  @ApiProperty() handle!: string;
  @ApiProperty() externalId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  // Accounts linked through a connector (Bluesky, Mastodon) also carry their verification and sync state.
  @ApiPropertyOptional({ enum: ['unverified', 'verified'] }) status?: string;
  @ApiPropertyOptional({ description: 'Bluesky DID' }) did?: string;
  @ApiPropertyOptional({ description: 'Mastodon instance base URL' }) instanceUrl?: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) lastSyncAt?: string | null;
  @ApiPropertyOptional({
    enum: ['ok', 'partial', 'rate_limited', 'failed', 'skipped_no_consent'],
    nullable: true,
    type: String,
  })
  lastSyncStatus?: string | null;
  @ApiPropertyOptional({ description: 'Posts read through the account and still held (ids, URLs, topics)' })
  postsRead?: number;
}

export class SocialAccountListDto {
  @ApiProperty({ type: [SocialAccountDto] }) data!: SocialAccountDto[];
}

export class TopicVisibilityDto {
  @ApiProperty() slug!: string;
  @ApiProperty() hidden!: boolean;
}

export class ErasureResponseDto {
  @ApiProperty({ example: 'accepted' }) status!: 'accepted';
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
}
