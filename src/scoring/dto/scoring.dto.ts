import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { FactorName } from '../model-v1';
import { IsTimestamp } from '../../common/validation/dates';

export class ScoreRunOverridesDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 1000,
    description: 'Only for small synthetic populations (demo, tests): fewer distinct reactors to publish a topic score',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  minTopicReactors?: number;
}

export class CreateScoreRunRequestDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Score as of this instant (default: when the run starts)' })
  @IsOptional()
  @IsTimestamp({ message: 'asOf must be an ISO 8601 timestamp with a time zone' })
  asOf?: string;

  @ApiPropertyOptional({ type: ScoreRunOverridesDto, description: 'Recorded on the run' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScoreRunOverridesDto)
  overrides?: ScoreRunOverridesDto;
}

export class CreateScoreRunResponseDto {
  @ApiProperty({ format: 'uuid' }) runId!: string;
}

export class ScoreRunIdParamDto {
  @IsUUID('all', { message: 'runId must be a UUID' })
  runId!: string;
}

export class ScoreRunDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'] }) status!: string;
  @ApiProperty({ description: 'Members scored (overall scores written)' }) scored!: number;
  @ApiProperty({ example: 'v1' }) modelVersion!: string;
  @ApiProperty({ enum: ['manual', 'daily', 'contest'] }) trigger!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) asOf!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiPropertyOptional({ type: Object, nullable: true, description: 'Milliseconds per step' })
  stats!: Record<string, number> | null;
  @ApiPropertyOptional({ type: Object, nullable: true }) params!: Record<string, number> | null;
}

export class FactorDto {
  @ApiProperty({ enum: ['reach', 'amplification', 'network', 'audience'] }) name!: FactorName;
  @ApiProperty({ description: 'The component, e.g. reach = distinct engaged people (weighted)' }) value!: number;
  @ApiProperty({ description: 'Points of the score this factor accounts for: b · weight · ln(1 + value)' })
  contribution!: number;
  @ApiProperty() description!: string;
}

export class OverallScoreDto {
  @ApiProperty({ minimum: 1, maximum: 100 }) score!: number;
  @ApiProperty({ description: 'Share of scored members with a lower score, 0..100' }) percentile!: number;
  @ApiProperty({ description: 'What today’s data says before the daily step bound (score moves toward it)' })
  target!: number;
  @ApiProperty({ description: 'Points every score starts from (the model’s intercept a)' }) base!: number;
  @ApiProperty({ type: [FactorDto] }) factors!: FactorDto[];
  @ApiProperty({ example: 'v1' }) modelVersion!: string;
  @ApiProperty({ format: 'date-time' }) computedAt!: string;
}

export class TopicScoreDto {
  @ApiProperty({ example: 'coffee' }) slug!: string;
  @ApiProperty({ minimum: 1, maximum: 100 }) score!: number;
  @ApiProperty({ description: 'You hid this topic: never used for targeting, never shown to brands' }) hidden!: boolean;
  @ApiProperty({ description: 'Visible to targeting: enough distinct people engaged, and not hidden' })
  published!: boolean;
  @ApiProperty() reactors!: number;
  @ApiProperty({ type: [FactorDto] }) factors!: FactorDto[];
}

export class ScoreHistoryDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() overall!: number;
  @ApiProperty({ example: 'v1' }) modelVersion!: string;
  @ApiProperty({ enum: ['first_score', 'daily', 'manual', 'fraud', 'model_change', 'contest'] }) reason!: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'For `contest`: the answer to your contest, in plain words — why the score changed',
  })
  note?: string | null;
}

export class ScoreSourceDto {
  @ApiProperty({ format: 'uuid', description: 'The linked account (as in GET /v1/me/social-accounts)' })
  accountId!: string;
  @ApiProperty({ example: 'bluesky' }) network!: string;
  @ApiProperty() handle!: string;
  @ApiProperty({ description: 'Posts held from this account within the model’s window' }) posts!: number;
  @ApiProperty({ description: 'Reactions by others to those posts within the window' }) reactions!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Latest follower count read, null if none' })
  followers!: number | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Newest post or reaction' })
  lastSignalAt!: string | null;
}

export class MyScoresResponseDto {
  @ApiProperty({ type: OverallScoreDto, nullable: true, description: 'null until your first scoring run' })
  overall!: OverallScoreDto | null;
  @ApiProperty({ type: [TopicScoreDto] }) topics!: TopicScoreDto[];
  @ApiProperty({ type: [ScoreHistoryDto], description: 'Never rewritten' }) history!: ScoreHistoryDto[];
  @ApiProperty({
    type: [ScoreSourceDto],
    description: 'Which linked accounts fed the score: every linked account with what Sway holds from it (window days)',
  })
  sources!: ScoreSourceDto[];
  @ApiProperty({ example: 90, description: 'The window the counts in sources cover' }) windowDays!: number;
}
