import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/pagination';
import { SEVERITIES, SIGNAL_STATUSES, SIGNAL_TYPES, Severity, SignalStatus, SignalType } from '../rules';

export class FraudSignalListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SIGNAL_STATUSES })
  @IsOptional()
  @IsIn(SIGNAL_STATUSES, { message: `status must be one of ${SIGNAL_STATUSES.join(', ')}` })
  status?: SignalStatus;
}

export class FraudSignalParamDto {
  @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
  @IsUUID('all', { message: 'signalId must be a UUID' }) signalId!: string;
}

export class ResolveFraudSignalRequestDto {
  @ApiPropertyOptional({ maxLength: 2000, description: 'Why (kept with the decision in the audit trail)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class FraudSignalDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: SIGNAL_TYPES }) type!: SignalType;
  @ApiProperty({ enum: SEVERITIES }) severity!: Severity;
  @ApiProperty({ enum: SIGNAL_STATUSES }) status!: SignalStatus;
  @ApiPropertyOptional({ format: 'uuid', description: 'The claim the signal is about, when it is about one' })
  claimId?: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Ids, counts, days and thresholds behind the signal (never personal data); per type in docs',
  })
  evidence!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) resolvedAt?: string;
  @ApiPropertyOptional() note?: string;
}

export class FraudSignalPageDto {
  @ApiProperty({ type: [FraudSignalDto], description: 'Newest first' }) data!: FraudSignalDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class FraudVerdictDto {
  @ApiProperty({ format: 'uuid', description: 'What a contest of this verdict names (subject.signalId)' })
  signalId!: string;
  @ApiProperty({ format: 'uuid' }) claimId!: string;
  @ApiProperty({ format: 'uuid' }) campaignId!: string;
  @ApiProperty({ enum: SIGNAL_TYPES, description: 'The rule' }) type!: SignalType;
  @ApiProperty({ description: 'The rule in plain words' }) rule!: string;
  @ApiProperty({ format: 'date-time' }) confirmedAt!: string;
}

export class FraudVerdictListDto {
  @ApiProperty({ type: [FraudVerdictDto], description: 'Confirmed fraud verdicts about the member’s own claims' })
  data!: FraudVerdictDto[];
}
