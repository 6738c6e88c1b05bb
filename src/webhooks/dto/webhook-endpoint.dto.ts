import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination/pagination';
import { DISABLED_REASONS, DisabledReason, ENDPOINT_STATUSES, EndpointStatus } from '../entities/endpoint.entity';
import { DELIVERY_ORIGINS, DELIVERY_STATUSES, DeliveryOrigin, DeliveryStatus } from '../entities/delivery.entity';
import { WEBHOOK_EVENT_TYPES, WebhookEventType } from '../webhook-event-types';
import type { AttemptRow, DeliveryRow, EndpointRow } from '../webhooks.repository';

const EVENT_TYPES_MESSAGE = `eventTypes must be a non-empty list of: ${WEBHOOK_EVENT_TYPES.join(', ')}`;

export class CreateWebhookEndpointRequestDto {
  @ApiProperty({ example: 'https://shop.example/hooks/sway', maxLength: 2048, description: 'HTTPS' })
  @IsString()
  @MaxLength(2048)
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['claim.created', 'conversion.created'] })
  @IsArray({ message: EVENT_TYPES_MESSAGE })
  @ArrayNotEmpty({ message: EVENT_TYPES_MESSAGE })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique({ message: 'eventTypes must not repeat a type' })
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: EVENT_TYPES_MESSAGE })
  eventTypes!: WebhookEventType[];

  @ApiPropertyOptional({ maxLength: 500, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;
}

/** Every field of a new endpoint, each optional; null is refused except for the description (null clears it). */
export class UpdateWebhookEndpointRequestDto extends PartialType(CreateWebhookEndpointRequestDto, {
  skipNullProperties: false,
}) {
  @ApiPropertyOptional({ enum: ENDPOINT_STATUSES })
  @IsOptional()
  @IsIn(ENDPOINT_STATUSES, { message: 'status must be enabled or disabled' })
  status?: EndpointStatus;
}

export class RotateSecretRequestDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 168,
    default: 24,
    description: 'How long the previous secret keeps signing alongside the new one',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(168)
  overlapHours?: number;
}

export class ReplayRequestDto {
  @ApiProperty({ format: 'date-time' })
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 timestamp' })
  from!: string;

  @ApiProperty({ format: 'date-time', description: 'Exclusive' })
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 timestamp' })
  to!: string;
}

export class EndpointIdParamDto {
  @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
}

export class DeliveryIdParamDto {
  @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
  @IsUUID('all', { message: 'deliveryId must be a UUID' }) deliveryId!: string;
}

export class DeliveryListQueryDto extends PageQueryDto {}

export class WebhookEndpointDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) eventTypes!: string[];
  @ApiProperty({ enum: ENDPOINT_STATUSES }) status!: EndpointStatus;
  @ApiProperty({
    enum: DISABLED_REASONS,
    nullable: true,
    description: 'manual: by the brand; gone: the receiver answered 410; failing: a long failure streak',
  })
  disabledReason!: DisabledReason | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabledAt!: string | null;
  @ApiProperty({ description: 'Consecutive failed attempts since the last success' }) failureStreak!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static fromRow(r: EndpointRow): WebhookEndpointDto {
    return {
      id: r.id,
      url: r.url,
      description: r.description,
      eventTypes: r.eventTypes,
      status: r.status,
      disabledReason: r.disabledReason,
      disabledAt: r.disabledAt?.toISOString() ?? null,
      failureStreak: r.failureStreak,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  }
}

export class CreateWebhookEndpointResponseDto {
  @ApiProperty({ type: WebhookEndpointDto }) endpoint!: WebhookEndpointDto;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret, shown once; null on an idempotent replay',
  })
  secret!: string | null;
}

export class WebhookEndpointListDto {
  @ApiProperty({ type: WebhookEndpointDto, isArray: true }) data!: WebhookEndpointDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Always null: a brand has at most 20 endpoints' })
  nextCursor!: string | null;
}

export class RotateSecretResponseDto {
  @ApiProperty({ example: 'whsec_…', description: 'The new secret, shown once' }) secret!: string;
  @ApiProperty({ format: 'date-time', description: 'Until then the previous secret(s) sign too' })
  previousExpiresAt!: string;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'Sent as webhook-id' }) eventId!: string;
  @ApiProperty({ example: 'claim.created' }) eventType!: string;
  @ApiProperty({ enum: DELIVERY_ORIGINS }) origin!: DeliveryOrigin;
  @ApiProperty({ description: 'Attempts made so far' }) attempt!: number;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
  @ApiPropertyOptional({ description: 'HTTP status of the last attempt' }) responseStatus?: number;
  @ApiPropertyOptional({ description: 'Duration of the last attempt' }) durationMs?: number;
  @ApiProperty({ format: 'date-time', description: 'Last attempt, or creation when none yet' }) at!: string;
  @ApiPropertyOptional({ format: 'date-time' }) nextAttemptAt?: string;

  static fromRow(r: DeliveryRow): WebhookDeliveryDto {
    const dto: WebhookDeliveryDto = {
      id: r.id,
      eventId: r.eventId,
      eventType: r.eventType,
      origin: r.origin,
      attempt: r.attempts,
      status: r.status,
      at: (r.lastAttemptAt ?? r.createdAt).toISOString(),
    };
    if (r.lastResponseStatus !== null) dto.responseStatus = r.lastResponseStatus;
    if (r.lastDurationMs !== null) dto.durationMs = r.lastDurationMs;
    if (r.status === 'pending' && r.nextAttemptAt) dto.nextAttemptAt = r.nextAttemptAt.toISOString();
    return dto;
  }
}

export class WebhookDeliveryPageDto {
  @ApiProperty({ type: WebhookDeliveryDto, isArray: true }) data!: WebhookDeliveryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class WebhookAttemptDto {
  @ApiProperty() attempt!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: Number, nullable: true }) responseStatus!: number | null;
  @ApiProperty() durationMs!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The first 4 KB of the response body' })
  responseBody!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Timeout, refused address, connection error' })
  error!: string | null;

  static fromRow(r: AttemptRow): WebhookAttemptDto {
    return {
      attempt: r.attempt,
      at: r.at.toISOString(),
      responseStatus: r.responseStatus,
      durationMs: r.durationMs,
      responseBody: r.responseBody,
      error: r.error,
    };
  }
}

export class WebhookDeliveryDetailDto extends WebhookDeliveryDto {
  @ApiProperty({ type: WebhookAttemptDto, isArray: true }) attempts!: WebhookAttemptDto[];
}

export class QueuedDeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'The new delivery, listed under the endpoint' }) deliveryId!: string;
}

export class ReplayResponseDto {
  @ApiProperty({ description: 'How many events were queued for this endpoint' }) events!: number;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Set when the window held more than 10,000 events: replay again from here',
  })
  continueFrom!: string | null;
}
