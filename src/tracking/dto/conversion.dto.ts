import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import { IsCurrencyCode } from '../../common/validation/iso-codes';
import { ATTRIBUTIONS, Attribution, CONVERSION_SOURCES, ConversionSource } from '../entities/conversion.entity';
import { MAX_AMOUNT_CENTS, MAX_BATCH, MAX_EMAIL, MAX_ORDER_ID } from '../conversion-input';
import { IsTimestamp } from '../../common/validation/dates';

/** The rules are enforced by `parseConversion` (shared with the batch); these decorators document and pre-check them. */
export class CreateConversionRequestDto {
  @ApiProperty({ example: 'order-10293', description: 'Your order reference; the idempotency key of a conversion' })
  @IsString()
  @Length(1, MAX_ORDER_ID)
  orderId!: string;

  @ApiProperty({ example: 4200, minimum: 0, description: 'Order total in minor units' })
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT_CENTS)
  amountCents!: number;

  @ApiProperty({ example: 'usd' })
  @IsCurrencyCode()
  currency!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The `sway_click` query parameter your landing page received' })
  @IsOptional()
  @IsUUID('all', { message: 'clickId must be a UUID (the sway_click value)' })
  clickId?: string;

  @ApiPropertyOptional({ example: 'K7QH-3MZP', description: 'The redemption code the customer used' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  code?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the sale happened (default: now); not in the future' })
  @IsOptional()
  @IsTimestamp({ message: 'occurredAt must be an ISO 8601 timestamp with a time zone' })
  occurredAt?: string;

  @ApiPropertyOptional({
    example: 'customer@example.com',
    description:
      'The buyer’s email, for the self-referral check only: hashed with a key of yours on arrival (a sale whose ' +
      'buyer is the claimant opens a fraud signal) and never stored or returned',
  })
  @IsOptional()
  @IsString()
  @Length(3, MAX_EMAIL)
  customerEmail?: string;
}

export class ConversionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() orderId!: string;
  @ApiProperty({ description: 'Whether the sale was attributed to one of your campaigns' }) attributed!: boolean;
  @ApiPropertyOptional({ format: 'uuid' }) campaignId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) claimId?: string;
  @ApiPropertyOptional({ enum: ATTRIBUTIONS }) attributedBy?: Attribution;
  @ApiProperty({ description: 'Attributed by code with no human click on that claim’s link before the sale' })
  possibleCodeLeak!: boolean;
  @ApiProperty() amountCents!: number;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ description: 'Refunded so far (Stripe-sourced sales)' }) refundedCents!: number;
  @ApiProperty({ enum: CONVERSION_SOURCES }) source!: ConversionSource;
}

export class ConversionResponseDto {
  @ApiProperty({ type: ConversionDto }) conversion!: ConversionDto;
}

export class ConversionBatchRequestDto {
  @ApiProperty({
    type: [CreateConversionRequestDto],
    description: `1 to ${MAX_BATCH} conversions; each is judged on its own (an invalid one does not sink the batch)`,
  })
  @IsArray({ message: 'conversions must be an array' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  conversions!: unknown[];
}

const STATUSES = ['created', 'existing', 'conflict', 'invalid'] as const;
export type BatchItemStatus = (typeof STATUSES)[number];

class FieldErrorDto {
  @ApiProperty() field!: string;
  @ApiProperty() message!: string;
}

export class ConversionBatchResultDto {
  @ApiProperty({ type: String, nullable: true }) orderId!: string | null;
  @ApiProperty({
    enum: STATUSES,
    description:
      '`created`: stored now; `existing`: this order was already stored with the same amount and currency (nothing changed); ' +
      '`conflict`: already stored with a different amount or currency (nothing changed); `invalid`: see `errors`.',
  })
  status!: BatchItemStatus;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) conversionId!: string | null;
  @ApiPropertyOptional() attributed?: boolean;
  @ApiPropertyOptional({ format: 'uuid' }) campaignId?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Only for `invalid`; fields are relative to the item' })
  errors?: FieldErrorDto[];
}

export class ConversionBatchResponseDto {
  @ApiProperty({ type: [ConversionBatchResultDto], description: 'One result per item, in request order' })
  results!: ConversionBatchResultDto[];
}

export class ReconcileRequestDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'One campaign; all campaigns when absent' })
  @IsOptional()
  @IsUUID('all', { message: 'campaignId must be a UUID' })
  campaignId?: string;
}

export class ReconcileResponseDto {
  @ApiProperty({ description: 'Rollup rows that differed from the recount and were repaired' }) repaired!: number;
}
