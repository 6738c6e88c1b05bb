import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentInfluencerId } from '../common/auth/auth.decorators';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { PageQueryDto } from '../common/pagination/pagination';
import { ApiProblems } from '../common/problem/problem.dto';
import { ContestsService } from './contests.service';
import {
  AdminContestDto,
  AdminContestPageDto,
  AdminContestQueryDto,
  ContestDto,
  ContestIdParamDto,
  ContestPageDto,
  CreateContestRequestDto,
  CreateContestResponseDto,
  FraudOverviewDto,
  ResolveContestRequestDto,
} from './dto/contests.dto';

@ApiTags('contests')
@Controller('v1')
export class ContestsController {
  constructor(private readonly contests: ContestsService) {}

  @Post('me/contests')
  @Auth('influencer')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Contest your overall score, a topic score, a factor or a fraud verdict about you' })
  @ApiCreatedResponse({ type: CreateContestResponseDto })
  @ApiProblems(400, 401, 403, 409, 422, 429)
  file(@CurrentInfluencerId() id: string, @Body() dto: CreateContestRequestDto): Promise<CreateContestResponseDto> {
    return this.contests.file(id, dto);
  }

  @Get('me/contests')
  @Auth('influencer')
  @ApiOperation({ summary: 'Your contests, newest first, with their status and answer' })
  @ApiOkResponse({ type: ContestPageDto })
  @ApiProblems(400, 401, 403, 429)
  mine(@CurrentInfluencerId() id: string, @Query() q: PageQueryDto): Promise<ContestPageDto> {
    return this.contests.mine(id, q);
  }

  @Get('me/contests/:id')
  @Auth('influencer')
  @ApiOperation({ summary: 'One of your contests (404 for anyone else’s)' })
  @ApiOkResponse({ type: ContestDto })
  @ApiProblems(400, 401, 403, 404, 429)
  one(@CurrentInfluencerId() me: string, @Param() p: ContestIdParamDto): Promise<ContestDto> {
    return this.contests.oneOfMine(me, p.id);
  }

  @Get('admin/contests')
  @Auth('admin')
  @ApiOperation({
    summary: 'The contests queue, oldest first, with the member’s pseudonymous facts and the model’s components',
  })
  @ApiOkResponse({ type: AdminContestPageDto })
  @ApiProblems(400, 401, 403, 429)
  queue(@Query() q: AdminContestQueryDto): Promise<AdminContestPageDto> {
    return this.contests.queue(q);
  }

  @Get('admin/contests/:id')
  @Auth('admin')
  @ApiOperation({ summary: 'One contest with its audit trail' })
  @ApiOkResponse({ type: AdminContestDto })
  @ApiProblems(400, 401, 403, 404, 429)
  adminOne(@Param() p: ContestIdParamDto): Promise<AdminContestDto> {
    return this.contests.adminOne(p.id);
  }

  @Post('admin/contests/:id/resolve')
  @Auth('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Uphold (actions take effect, the member is rescored, history records the answer) or reject',
  })
  @ApiOkResponse({ type: AdminContestDto })
  @ApiProblems(400, 401, 403, 404, 409, 422, 429)
  resolve(@Param() p: ContestIdParamDto, @Body() dto: ResolveContestRequestDto): Promise<AdminContestDto> {
    return this.contests.resolve(p.id, dto);
  }

  @Get('admin/fraud-overview')
  @Auth('admin')
  @ApiOperation({ summary: 'Fraud verdicts across brands for the operator console: counts only' })
  @ApiOkResponse({ type: FraudOverviewDto })
  @ApiProblems(401, 403, 429)
  fraudOverview(): Promise<FraudOverviewDto> {
    return this.contests.fraudOverview();
  }
}
