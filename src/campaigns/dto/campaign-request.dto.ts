import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination/pagination';
import { CAMPAIGN_STATUSES, CampaignStatus } from '../campaign-status';
import { isCountryCode, isCurrencyCode } from '../../common/validation/iso-codes';
import { IsTimestamp } from '../../common/validation/dates';
import { NormalizeUrl } from '../../common/validation/url';

export const PERK_KINDS = ['product', 'experience', 'discount'] as const;
export type PerkKind = (typeof PERK_KINDS)[number];
export const MATCH_MODES = ['any', 'all'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];

/** $1M per unit: keeps inventory × unit cost × fee bps inside a bigint and far above any real perk. */
const MAX_UNIT_COST_CENTS = 100_000_000;
const MAX_INVENTORY = 1_000_000;
const MAX_TOPICS = 20;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const lower = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.toLowerCase() : value);
const upperEach = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.toUpperCase() : v)) : value;

/** PATCH: the field may be left out, but `null` is not a value for it (only nullable fields take null). */
const Optional = (): PropertyDecorator => ValidateIf((_o, v) => v !== undefined);

@ValidatorConstraint({ name: 'isCurrency' })
class IsCurrencyConstraint implements ValidatorConstraintInterface {
  validate(v: unknown): boolean {
    return isCurrencyCode(v);
  }
  defaultMessage(): string {
    return 'currency must be an ISO 4217 currency code such as usd or eur';
  }
}

@ValidatorConstraint({ name: 'isCountries' })
class IsCountriesConstraint implements ValidatorConstraintInterface {
  validate(v: unknown): boolean {
    return Array.isArray(v) && v.every(isCountryCode);
  }
  defaultMessage(args?: { value?: unknown }): string {
    const bad = Array.isArray(args?.value) ? args.value.filter((c) => !isCountryCode(c)) : [];
    return `countries must be ISO 3166-1 alpha-2 codes such as US or DE${bad.length ? ` (unknown: ${bad.join(', ')})` : ''}`;
  }
}

/** A full timestamp with its zone: a local time without an offset would depend on the server's clock zone. */
const Timestamp = (field: string): PropertyDecorator =>
  IsTimestamp({ message: `${field} must be an ISO 8601 timestamp with a zone, e.g. 2030-05-01T00:00:00Z` });

const https = { protocols: ['https'], require_protocol: true, require_tld: true, allow_underscores: true };

export class PerkDto {
  @ApiProperty({ example: 'A bag of our new espresso roast', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiProperty({ example: '250 g, whole beans, shipped within the week', maxLength: 5000 })
  @Transform(trim)
  @IsString()
  @Length(1, 5000)
  description!: string;

  @ApiProperty({ enum: PERK_KINDS })
  @IsIn(PERK_KINDS, { message: `kind must be one of: ${PERK_KINDS.join(', ')}` })
  kind!: PerkKind;

  @ApiProperty({ description: 'What one claimed perk costs the brand, in minor units', minimum: 0, example: 1800 })
  @IsInt()
  @Min(0)
  @Max(MAX_UNIT_COST_CENTS)
  unitCostCents!: number;

  @ApiProperty({ description: 'ISO 4217, lower case (upper case is accepted and lower-cased)', example: 'usd' })
  @Transform(lower)
  @IsString()
  @Validate(IsCurrencyConstraint)
  currency!: string;
}

/** PATCH of the perk: each field optional (absent keeps the value; null is refused, as before). */
export class UpdatePerkDto extends PartialType(PerkDto, { skipNullProperties: false }) {}

export class TopicTargetDto {
  @ApiProperty({
    example: 'coffee',
    description: 'A topic slug (GET /v1/topics); broader topics include narrower ones',
  })
  @IsString()
  @Length(1, 100)
  slug!: string;

  @ApiProperty({ minimum: 1, maximum: 100, example: 40 })
  @IsInt()
  @Min(1)
  @Max(100)
  minScore!: number;
}

const topicKey = (t: unknown): unknown =>
  t && typeof t === 'object' && typeof (t as TopicTargetDto).slug === 'string'
    ? (t as TopicTargetDto).slug.toLowerCase()
    : t;

export class TargetingDto {
  @ApiProperty({ type: [TopicTargetDto], minItems: 1, maxItems: MAX_TOPICS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TOPICS)
  @ArrayUnique(topicKey, { message: 'topics must not name the same topic twice' })
  @ValidateNested({ each: true })
  @Type(() => TopicTargetDto)
  topics!: TopicTargetDto[];

  @ApiProperty({ enum: MATCH_MODES, description: 'Whether a person must reach any or all of the topic thresholds' })
  @IsIn(MATCH_MODES, { message: 'match must be any or all' })
  match!: MatchMode;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  minOverallScore?: number | null;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    example: ['US', 'CA'],
    description: 'ISO 3166-1 alpha-2; omit or null for every country',
  })
  @IsOptional()
  @Transform(upperEach)
  @IsArray()
  @ArrayMinSize(1, { message: 'countries must not be empty; omit it (or send null) to target every country' })
  @ArrayMaxSize(249)
  @ArrayUnique(undefined, { message: 'countries must not repeat a country' })
  @Validate(IsCountriesConstraint)
  countries?: string[] | null;
}

/** PATCH of targeting: fields left out keep their value; `topics`, when sent, replaces the whole list. */
export class UpdateTargetingDto extends PartialType(TargetingDto, { skipNullProperties: false }) {}

export class CreateCampaignRequestDto {
  @ApiProperty({ example: 'Espresso launch', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ type: PerkDto })
  @IsObject({ message: 'perk must be an object' })
  @ValidateNested()
  @Type(() => PerkDto)
  perk!: PerkDto;

  @ApiProperty({ minimum: 1, maximum: MAX_INVENTORY, example: 100 })
  @IsInt()
  @Min(1)
  @Max(MAX_INVENTORY)
  inventory!: number;

  @ApiProperty({ type: TargetingDto })
  @IsObject({ message: 'targeting must be an object' })
  @ValidateNested()
  @Type(() => TargetingDto)
  targeting!: TargetingDto;

  @ApiProperty({
    example: 'https://shop.example/espresso',
    maxLength: 2048,
    description: 'Stored and returned in its WHATWG ASCII form (punycode host, percent-encoded path and query)',
  })
  @NormalizeUrl()
  @IsString()
  @MaxLength(2048)
  @IsUrl(https, { message: 'landingUrl must be an https URL' })
  landingUrl!: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @Timestamp('startsAt')
  startsAt?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'Must be in the future' })
  @IsOptional()
  @Timestamp('endsAt')
  endsAt?: string | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 720, default: 72 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(720)
  offerTtlHours?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 365, default: 30 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(365)
  attributionWindowDays?: number;
}

/**
 * Merge semantics: a field left out keeps its value; nullable fields take null to clear them. Derived from the
 * create body (same rules), with the nested perk and targeting replaced by their own partial forms.
 */
export class UpdateCampaignRequestDto extends OmitType(
  PartialType(CreateCampaignRequestDto, { skipNullProperties: false }),
  ['perk', 'targeting'] as const,
) {
  @ApiPropertyOptional({ type: UpdatePerkDto })
  @Optional()
  @IsObject({ message: 'perk must be an object' })
  @ValidateNested()
  @Type(() => UpdatePerkDto)
  perk?: UpdatePerkDto;

  @ApiPropertyOptional({ type: UpdateTargetingDto })
  @Optional()
  @IsObject({ message: 'targeting must be an object' })
  @ValidateNested()
  @Type(() => UpdateTargetingDto)
  targeting?: UpdateTargetingDto;
}

export class CampaignIdParamDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class ListCampaignsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES })
  @IsOptional()
  @IsIn(CAMPAIGN_STATUSES, { message: `status must be one of: ${CAMPAIGN_STATUSES.join(', ')}` })
  status?: CampaignStatus;
}
