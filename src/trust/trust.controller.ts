import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentBrandId, CurrentInfluencerId, CurrentPrincipal } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
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

/** Who decided, for the audit trail: the API key (the brand team's users once the console's sign-in lands). */
function actorOf(p: Principal): string {
  return p.kind === 'brand' ? `api_key:${p.apiKeyId}` : p.kind;
}

@ApiTags('fraud')
@Controller('v1')
export class TrustController {
  constructor(private readonly trust: TrustService) {}

  @Get('campaigns/:id/fraud-signals')
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
  @Auth('brand')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm a signal: its clicks and sales leave the report’s “excluding confirmed fraud” view (audited)',
  })
  @ApiOkResponse({ type: FraudSignalDto })
  @ApiProblems(400, 401, 403, 404, 429)
  confirm(
    @CurrentBrandId() brandId: string,
    @CurrentPrincipal() principal: Principal,
    @Param() p: FraudSignalParamDto,
    @Body() body: ResolveFraudSignalRequestDto,
  ): Promise<FraudSignalDto> {
    return this.resolve(brandId, principal, p, 'confirm', body);
  }

  @Post('campaigns/:id/fraud-signals/:signalId/dismiss')
  @Auth('brand')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dismiss a signal as a false positive (audited; a confirmed one counts again)' })
  @ApiOkResponse({ type: FraudSignalDto })
  @ApiProblems(400, 401, 403, 404, 429)
  dismiss(
    @CurrentBrandId() brandId: string,
    @CurrentPrincipal() principal: Principal,
    @Param() p: FraudSignalParamDto,
    @Body() body: ResolveFraudSignalRequestDto,
  ): Promise<FraudSignalDto> {
    return this.resolve(brandId, principal, p, 'dismiss', body);
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
    principal: Principal,
    p: FraudSignalParamDto,
    decision: SignalDecision,
    body: ResolveFraudSignalRequestDto,
  ): Promise<FraudSignalDto> {
    return this.trust.resolve(brandId, p.id, p.signalId, decision, body?.note, actorOf(principal));
  }
}
