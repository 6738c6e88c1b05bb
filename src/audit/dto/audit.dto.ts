import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AuditActorDto {
  @ApiProperty({ enum: ['user', 'api_key', 'admin'] }) kind!: 'user' | 'api_key' | 'admin';
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for the operator' })
  id!: string | null;
  @ApiPropertyOptional({ description: 'A team member’s name, while they belong to the brand' }) name?: string;
}

export class AuditTargetDto {
  @ApiProperty({ example: 'campaign' }) type!: string;
  @ApiProperty() id!: string;
}

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ example: 'campaign.paused' }) action!: string;
  @ApiProperty({ type: AuditTargetDto }) target!: AuditTargetDto;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Changed fields; members appear only by pseudonym',
  })
  changes?: Record<string, unknown>;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) data!: AuditEntryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
