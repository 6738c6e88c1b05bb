import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { FACTORS } from '../../scoring/model-v1';
import { PageQueryDto } from '../../common/pagination/pagination';
import { Transform } from 'class-transformer';
import { toAsciiUrl } from '../../common/validation/url';
import { FactorDto } from '../../scoring/dto/scoring.dto';

export const SUBJECT_KINDS = ['overall', 'topic', 'factor', 'fraud_signal'] as const;
export const CONTEST_STATUSES = ['open', 'upheld', 'rejected'] as const;
export const ACTION_KINDS = ['remove_topic', 'exclude_account', 'rescore'] as const;
const SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;

export class ContestSubjectDto {
  @ApiProperty({ enum: SUBJECT_KINDS })
  @IsIn(SUBJECT_KINDS)
  kind!: (typeof SUBJECT_KINDS)[number];

  @ApiPropertyOptional({ example: 'coffee', description: 'Required for kind `topic`: the topic slug' })
  @ValidateIf((o: ContestSubjectDto) => o.kind === 'topic' || o.topic !== undefined)
  @IsString()
  @Matches(SLUG, { message: 'topic must be a topic slug' })
  topic?: string;

  @ApiPropertyOptional({ enum: FACTORS, description: 'Required for kind `factor`' })
  @ValidateIf((o: ContestSubjectDto) => o.kind === 'factor' || o.factor !== undefined)
  @IsIn(FACTORS)
  factor?: (typeof FACTORS)[number];

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for kind `fraud_signal`: the signal about you' })
  @ValidateIf((o: ContestSubjectDto) => o.kind === 'fraud_signal' || o.signalId !== undefined)
  @IsUUID('all', { message: 'signalId must be a UUID' })
  signalId?: string;
}

export class CreateContestRequestDto {
  @ApiProperty({ type: ContestSubjectDto })
  @ValidateNested()
  @Type(() => ContestSubjectDto)
  subject!: ContestSubjectDto;

  @ApiProperty({ minLength: 10, maxLength: 2000, description: 'Why you think it is wrong, in your words' })
  @IsString()
  @MinLength(10)
  @MaxLength(2000)
  reason!: string;

  @ApiPropertyOptional({ type: [String], maxItems: 5, description: 'Evidence: up to five http(s) links' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? (toAsciiUrl(v) ?? v.trim()) : v)) : value,
  )
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true },
    { each: true, message: 'links must be http(s) URLs' },
  )
  @MaxLength(500, { each: true })
  links?: string[];
}

export class ContestDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: CONTEST_STATUSES }) status!: (typeof CONTEST_STATUSES)[number];
  @ApiProperty({ type: ContestSubjectDto }) subject!: ContestSubjectDto;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: [String] }) links!: string[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The operator’s answer, once resolved' })
  answer?: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) resolvedAt?: string | null;
}

export class CreatedContestDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['open'] }) status!: 'open';
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CreateContestResponseDto {
  @ApiProperty({ type: CreatedContestDto }) contest!: CreatedContestDto;
}

export class ContestPageDto {
  @ApiProperty({ type: [ContestDto] }) data!: ContestDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ContestIdParamDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class AdminContestQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CONTEST_STATUSES, default: 'open' })
  @IsOptional()
  @IsIn(CONTEST_STATUSES)
  status?: (typeof CONTEST_STATUSES)[number];
}

export class ContestActionDto {
  @ApiProperty({
    enum: ACTION_KINDS,
    description:
      'remove_topic: the topic is removed from the member’s scores; exclude_account: one of their linked accounts ' +
      'no longer counts; rescore: a rescore of this member (every upheld contest runs one)',
  })
  @IsIn(ACTION_KINDS)
  kind!: (typeof ACTION_KINDS)[number];

  @ApiPropertyOptional({ example: 'coffee', description: 'For remove_topic' })
  @ValidateIf((o: ContestActionDto) => o.kind === 'remove_topic' || o.topic !== undefined)
  @IsString()
  @Matches(SLUG, { message: 'topic must be a topic slug' })
  topic?: string;

  @ApiPropertyOptional({ description: 'For exclude_account: an accountRef from the contest’s member facts' })
  @ValidateIf((o: ContestActionDto) => o.kind === 'exclude_account' || o.accountRef !== undefined)
  @IsString()
  @Matches(/^[0-9a-f]{32}$/, { message: 'accountRef must be an accountRef from the member facts' })
  accountRef?: string;
}

export class ResolveContestRequestDto {
  @ApiProperty({ enum: ['upheld', 'rejected'] })
  @IsIn(['upheld', 'rejected'])
  outcome!: 'upheld' | 'rejected';

  @ApiProperty({ minLength: 10, maxLength: 2000, description: 'Shown to the member: plain words, no jargon' })
  @IsString()
  @MinLength(10)
  @MaxLength(2000)
  answer!: string;

  @ApiPropertyOptional({ type: [ContestActionDto], maxItems: 10, description: 'Only with `upheld`' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ContestActionDto)
  actions?: ContestActionDto[];
}

export class ContestEventDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: ['member', 'operator', 'system'] }) actor!: string;
  @ApiProperty({ example: 'filed' }) action!: string;
  @ApiProperty({ type: Object }) details!: Record<string, unknown>;
}

export class MemberFactsDto {
  @ApiProperty({ description: 'A stable pseudonym for this member (operator view): never their name or email' })
  pseudonym!: string;
  @ApiProperty({ type: String, nullable: true }) country!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'When they joined (day only)' })
  memberSince!: string | null;
  @ApiProperty({ description: 'Contests this member filed before this one' }) earlierContests!: number;
}

export class ContestScoreOverallDto {
  @ApiProperty() score!: number;
  @ApiProperty() target!: number;
  @ApiProperty() percentile!: number;
  @ApiProperty() base!: number;
  @ApiProperty({ type: [FactorDto] }) factors!: FactorDto[];
  @ApiProperty() raw!: number;
  @ApiProperty() posts!: number;
  @ApiProperty() followers!: number;
  @ApiProperty() reactions!: number;
  @ApiProperty({ description: 'Reactions from fast bot-like actors (trust 0; slow bots count for nothing too)' })
  botReactions!: number;
  @ApiProperty({ description: 'Reactions inside pods and rings (count for nothing)' }) podReactions!: number;
  @ApiProperty() modelVersion!: string;
  @ApiProperty({ format: 'date-time' }) computedAt!: string;
}

export class ContestTopicFactDto {
  @ApiProperty() slug!: string;
  @ApiProperty() score!: number;
  @ApiProperty() published!: boolean;
  @ApiProperty() reactors!: number;
}

export class ContestHistoryFactDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() overall!: number;
  @ApiProperty() modelVersion!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}

export class ContestAccountFactDto {
  @ApiProperty({ example: 'twitter' }) network!: string;
  @ApiProperty({ description: 'Keyed hash of the account (never its handle): the ref for exclude_account' })
  accountRef!: string;
  @ApiProperty() excluded!: boolean;
}

export class ContestModelFactsDto {
  @ApiProperty({ type: ContestScoreOverallDto, nullable: true }) overall!: ContestScoreOverallDto | null;
  @ApiProperty({ type: [ContestTopicFactDto] }) topics!: ContestTopicFactDto[];
  @ApiProperty({ type: [ContestHistoryFactDto], description: 'The last ten history points' })
  history!: ContestHistoryFactDto[];
  @ApiProperty({ type: [ContestAccountFactDto] }) accounts!: ContestAccountFactDto[];
  @ApiProperty({ type: [String] }) removedTopics!: string[];
}

export class AdminContestDto extends ContestDto {
  @ApiProperty({ type: Number, nullable: true, description: 'Overall score when filed' })
  scoreAtFiling!: number | null;
  @ApiProperty({ type: [Object], nullable: true }) actions!: Record<string, unknown>[] | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) rescoreRunId!: string | null;
  @ApiProperty({ type: MemberFactsDto }) member!: MemberFactsDto;
  @ApiProperty({ type: ContestModelFactsDto }) model!: ContestModelFactsDto;
  @ApiProperty({ type: [ContestEventDto], description: 'The audit trail, oldest first' }) events!: ContestEventDto[];
}

export class AdminContestPageDto {
  @ApiProperty({ type: [AdminContestDto] }) data!: AdminContestDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class FraudOverviewBrandDto {
  @ApiProperty({ format: 'uuid' }) brandId!: string;
  @ApiProperty() brand!: string;
  @ApiProperty({ description: 'Confirmed fraud verdicts about members, all campaigns of the brand' })
  confirmed!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'Confirmed verdicts by rule type',
    example: { code_leak: 2 },
  })
  byType!: Record<string, number>;
}

export class FraudOverviewDto {
  @ApiProperty({ type: [FraudOverviewBrandDto] }) brands!: FraudOverviewBrandDto[];
  @ApiProperty() confirmed!: number;
  @ApiProperty({ description: 'What the overview cannot show yet, in plain words' }) note!: string;
}
