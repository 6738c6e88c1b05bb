import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/pagination';
import { DELIVERY_MODES, type DeliveryMode } from '../notification-kinds';

const MODE_DOC = 'instant, daily (one digest a day) or off; unanswered means off';

/** Also the optional `notifications` field of member signup: nothing pre-ticked, every field may be left out. */
export class NotificationPreferencesDto {
  @ApiPropertyOptional({ enum: DELIVERY_MODES, description: `New offers: ${MODE_DOC}` })
  @IsOptional()
  @IsIn(DELIVERY_MODES)
  offers?: DeliveryMode;

  @ApiPropertyOptional({ enum: DELIVERY_MODES, description: `An offer about to expire (12 h before): ${MODE_DOC}` })
  @IsOptional()
  @IsIn(DELIVERY_MODES)
  offerExpiring?: DeliveryMode;

  @ApiPropertyOptional({ enum: DELIVERY_MODES, description: `A claim fulfilled: ${MODE_DOC}` })
  @IsOptional()
  @IsIn(DELIVERY_MODES)
  fulfilment?: DeliveryMode;

  @ApiPropertyOptional({ enum: DELIVERY_MODES, description: `A contest answered: ${MODE_DOC}` })
  @IsOptional()
  @IsIn(DELIVERY_MODES)
  contests?: DeliveryMode;
}

export class NotificationPreferencesResponseDto {
  @ApiProperty({ enum: DELIVERY_MODES })
  offers!: DeliveryMode;
  @ApiProperty({ enum: DELIVERY_MODES })
  offerExpiring!: DeliveryMode;
  @ApiProperty({ enum: DELIVERY_MODES })
  fulfilment!: DeliveryMode;
  @ApiProperty({ enum: DELIVERY_MODES })
  contests!: DeliveryMode;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ description: 'See docs/notifications.md for every kind', example: 'offer_created' })
  kind!: string;
  @ApiProperty()
  title!: string;
  @ApiProperty({ format: 'date-time' })
  at!: string;
  @ApiPropertyOptional({ format: 'date-time' })
  readAt?: string;
}

export class NotificationListDto {
  @ApiProperty({ type: [NotificationDto] })
  data!: NotificationDto[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
  @ApiProperty({ description: 'Unread notifications in all' })
  unread!: number;
}

export class NotificationListQueryDto extends PageQueryDto {}

export class MarkReadRequestDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Absent: every notification' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  ids?: string[];
}

export class UnsubscribeResponseDto {
  @ApiProperty({ enum: ['unsubscribed'] })
  status!: 'unsubscribed';
  @ApiProperty({ description: 'The kind of mail that stopped (`digest`: the daily digest)' })
  kind!: string;
}
