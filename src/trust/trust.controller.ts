import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentBrandId, CurrentInfluencerId } from '../common/auth/auth.decorators';
import { Can } from '../common/auth/permissions';
import { Page } from '../common/pagination/pagination';
import { ApiProblems } from '../common/problem/problem.dto';
import { CampaignIdParamDto } from '../campaigns/dto/campaign-request.dto';
import {
  FraudSignalDto,
  FraudSignalListQueryDto,
  FraudSignalPageDto,
  FraudSignalParamDto,
  FraudVerdictListDto,
  ResolveFraudSignalRequestDto,
} from './dto/fraud-signal.dto';
import { SignalDecision, TrustService } from './trust.service';

@ApiTags('fraud')
@Controller('v1')
export class TrustController {
  constructor(private readonly trust: TrustService) {}

  @Get('campaigns/:id/fraud-signals')
  @Can('fraud.read')
  @Auth('brand')
  @ApiOperation({
    summary: 'Fraud signals of a campaign, newest first (flagged, never blocked: confirm or dismiss each)',
    description: 'Another brand’s campaign → 404. Rules, evidence and thresholds: docs/trust-and-safety.md.',
  })
  @ApiOkResponse({ type: FraudSignalPageDto })
  @ApiProblems(400, 401, 403, 404, 429)
  list(
    @CurrentBrandId() brandId: string,
    @Param() p: CampaignIdParamDto,
    @Query() q: FraudSignalListQueryDto,
  ): Promise<Page<FraudSignalDto>> {
    return this.trust.list(brandId, p.id, q);
  }

  @Post('campaigns/:id/fraud-signals/:signalId/confirm')
  @Can('fraud.write')
  @Auth('brand')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm a signal: its clicks and sales leave the report’s “excluding confirmed fraud” view (audited)',
  })
  @ApiOkResponse({ type: FraudSignalDto })
  @ApiProblems(400, 401, 403, 404, 429)
  confirm(
    @CurrentBrandId() brandId: string,
    @Param() p: FraudSignalParamDto,
    @Body() body: ResolveFraudSignalRequestDto,
  ): Promise<FraudSignalDto> {
    return this.resolve(brandId, p, 'confirm', body);
  }

  @Post('campaigns/:id/fraud-signals/:signalId/dismiss')
  @Can('fraud.write')
  @Auth('brand')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dismiss a signal as a false positive (audited; a confirmed one counts again)' })
  @ApiOkResponse({ type: FraudSignalDto })
  @ApiProblems(400, 401, 403, 404, 429)
  dismiss(
    @CurrentBrandId() brandId: string,
    @Param() p: FraudSignalParamDto,
    @Body() body: ResolveFraudSignalRequestDto,
  ): Promise<FraudSignalDto> {
    return this.resolve(brandId, p, 'dismiss', body);
  }

  @Get('me/fraud-verdicts')
  @Auth('influencer')
  @ApiOperation({
    summary: 'Confirmed fraud verdicts about your claims: which rule, in plain words (contest one by its signalId)',
  })
  @ApiOkResponse({ type: FraudVerdictListDto })
  @ApiProblems(401, 403, 429)
  verdicts(@CurrentInfluencerId() influencerId: string): Promise<FraudVerdictListDto> {
    return this.trust.memberVerdicts(influencerId);
  }

  private resolve(
    brandId: string,
    p: FraudSignalParamDto,
    decision: SignalDecision,
    body: ResolveFraudSignalRequestDto,
  ): Promise<FraudSignalDto> {
    return this.trust.resolve(brandId, p.id, p.signalId, decision, body?.note);
  }
}
