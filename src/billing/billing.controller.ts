import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CampaignIdParamDto } from '../campaigns/dto/campaign-request.dto';
import { Auth, CurrentBrandId } from '../common/auth/auth.decorators';
import { Can } from '../common/auth/permissions';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { ApiProblems } from '../common/problem/problem.dto';
import { BillingService } from './billing.service';
import { OfflineFundingRequestDto } from './dto/funding-request.dto';
import { CheckoutResponseDto, LedgerResponseDto, OfflineFundingResponseDto } from './dto/funding-response.dto';

@ApiTags('billing')
@Controller('v1')
export class BillingController {
  constructor(private readonly billing: BillingService) {}

  @Post('campaigns/:id/funding')
  @Can('funding.write')
  @Auth('brand')
  @Idempotent()
  @ApiOperation({
    summary:
      'Start paying for a draft campaign: a Stripe Checkout for inventory × unitCostCents + platform fee. While the campaign is pending_funding the same open checkout is returned.',
  })
  @ApiCreatedResponse({ type: CheckoutResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 422, 429, 503)
  fund(@CurrentBrandId() brandId: string, @Param() p: CampaignIdParamDto): Promise<CheckoutResponseDto> {
    return this.billing.startCheckout(brandId, p.id);
  }

  @Get('campaigns/:id/ledger')
  @Can('ledger.read')
  @Auth('brand')
  @ApiOperation({ summary: "The campaign's money: funded = spent + platform fee + refunded + remaining" })
  @ApiOkResponse({ type: LedgerResponseDto })
  @ApiProblems(400, 401, 403, 404, 429)
  ledger(@CurrentBrandId() brandId: string, @Param() p: CampaignIdParamDto): Promise<LedgerResponseDto> {
    return this.billing.ledger(brandId, p.id);
  }

  @Post('admin/campaigns/:id/funding')
  @Auth('admin')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Record invoiced (offline) funding; activates the campaign like a paid checkout (admin)' })
  @ApiOkResponse({ type: OfflineFundingResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 422, 429)
  fundOffline(
    @Param() p: CampaignIdParamDto,
    @Body() dto: OfflineFundingRequestDto,
  ): Promise<OfflineFundingResponseDto> {
    return this.billing.fundOffline(p.id, dto);
  }
}
