import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentInfluencerId } from '../common/auth/auth.decorators';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { ApiProblems } from '../common/problem/problem.dto';
import {
  CreateScoreRunRequestDto,
  CreateScoreRunResponseDto,
  MyScoresResponseDto,
  ScoreRunDto,
  ScoreRunIdParamDto,
} from './dto/scoring.dto';
import {
  FollowersSignalDto,
  IngestSignalsRequestDto,
  IngestSignalsResponseDto,
  PostSignalDto,
  ReactionSignalDto,
} from './dto/signals.dto';
import { ScoringService } from './scoring.service';
import { SignalsService } from './signals.service';

@ApiTags('scoring')
@ApiExtraModels(PostSignalDto, ReactionSignalDto, FollowersSignalDto)
@Controller('v1')
export class ScoringController {
  constructor(
    private readonly signals: SignalsService,
    private readonly scoring: ScoringService,
  ) {}

  @Post('signals')
  @Auth('admin')
  @HttpCode(202)
  @ApiOperation({ summary: 'Connectors push posts, reactions and follower counts of linked accounts (≤ 5,000 events)' })
  @ApiAcceptedResponse({ type: IngestSignalsResponseDto })
  @ApiProblems(400, 401, 403, 413, 422, 429)
  ingest(@Body() dto: IngestSignalsRequestDto): Promise<IngestSignalsResponseDto> {
    return this.signals.ingest(dto);
  }

  @Post('scoring/runs')
  @Auth('admin')
  @HttpCode(202)
  @Idempotent()
  @ApiOperation({ summary: 'Start a scoring run now (also runs daily at 03:15 UTC)' })
  @ApiAcceptedResponse({ type: CreateScoreRunResponseDto })
  @ApiProblems(400, 401, 403, 409, 429)
  createRun(@Body() dto: CreateScoreRunRequestDto): Promise<CreateScoreRunResponseDto> {
    return this.scoring.requestRun(dto);
  }

  @Get('scoring/runs/:runId')
  @Auth('admin')
  @ApiOperation({ summary: 'A scoring run’s status' })
  @ApiOkResponse({ type: ScoreRunDto })
  @ApiProblems(400, 401, 403, 404, 429)
  getRun(@Param() p: ScoreRunIdParamDto): Promise<ScoreRunDto> {
    return this.scoring.getRun(p.runId);
  }

  @Get('me/scores')
  @Auth('influencer')
  @ApiOperation({ summary: 'Your overall and topic scores, why, your percentile and your score history' })
  @ApiOkResponse({ type: MyScoresResponseDto })
  @ApiProblems(401, 403, 429)
  myScores(@CurrentInfluencerId() id: string): Promise<MyScoresResponseDto> {
    return this.scoring.myScores(id);
  }
}
