import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsArray } from 'class-validator';
import { SIGNAL_NETWORKS } from '../signals-validator';

class SignalBase {
  @ApiProperty({ enum: SIGNAL_NETWORKS }) network!: string;
  @ApiProperty({ description: "The member's account on that network", example: '2244994945' }) externalId!: string;
  @ApiProperty({ format: 'date-time', example: '2025-03-01T12:00:00Z' }) occurredAt!: string;
}

export class PostSignalDto extends SignalBase {
  @ApiProperty({ enum: ['post'] }) type!: 'post';
  @ApiProperty({ example: '1763300000000000000' }) postId!: string;
  @ApiProperty({ type: [String], example: ['coffee'], description: 'Topic slugs (at most 20)' }) topics!: string[];
  @ApiPropertyOptional({ example: 'https://example.com/p/1' }) url?: string;
}

export class ReactionSignalDto extends SignalBase {
  @ApiProperty({ enum: ['like', 'reply', 'reshare', 'click'] }) type!: string;
  @ApiProperty() postId!: string;
  @ApiProperty({ description: 'Stored only as a keyed hash' }) actorExternalId!: string;
}

export class FollowersSignalDto extends SignalBase {
  @ApiProperty({ enum: ['followers'] }) type!: 'followers';
  @ApiProperty({ minimum: 0, example: 1200 }) value!: number;
}

/**
 * Only the envelope is checked by class-validator; the events are validated by the hand-written validator
 * (signals-validator.ts), which is fast at 5,000 events and names each error `events[i].field`.
 */
export class IngestSignalsRequestDto {
  @ApiProperty({
    description:
      '1 to 5,000 events. The body limit is 1 MB: about 5,000 typical reaction events (≈ 170 bytes each) fit; ' +
      'split larger batches.',
    type: 'array',
    items: {
      oneOf: [
        { $ref: getSchemaPath(PostSignalDto) },
        { $ref: getSchemaPath(ReactionSignalDto) },
        { $ref: getSchemaPath(FollowersSignalDto) },
      ],
    },
  })
  @IsArray({ message: 'events must be an array' })
  events!: unknown[];
}

export class IngestSignalsResponseDto {
  @ApiProperty({ description: 'Events stored now' }) accepted!: number;
  @ApiProperty({ description: 'Events of accounts that no opted-in member has linked: not stored' }) ignored!: number;
  @ApiProperty({ description: 'Events already stored (or repeated in this batch): counted once' }) duplicates!: number;
}
