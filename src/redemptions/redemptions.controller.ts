import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentBrand, CurrentBrandId, CurrentInfluencerId } from '../common/auth/auth.decorators';
import { Can, can } from '../common/auth/permissions';
import { BrandPrincipal } from '../common/auth/principal';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { Page } from '../common/pagination/pagination';
import { ApiProblems } from '../common/problem/problem.dto';
import { CampaignIdParamDto, OfferIdParamDto } from '../matching/dto/offer.dto';
import {
  BrandClaimDto,
  BrandClaimPageDto,
  CampaignClaimParamDto,
  ClaimListQueryDto,
  ClaimResponseDto,
  FulfilClaimRequestDto,
  MemberClaimDto,
  MemberClaimPageDto,
} from './dto/claim.dto';
import { RedemptionsService } from './redemptions.service';

@ApiTags('claims')
@Controller('v1')
export class RedemptionsController {
  constructor(private readonly redemptions: RedemptionsService) {}

  @Post('me/offers/:id/claim')
  @Auth('influencer')
  @Idempotent()
  @ApiOperation({
    summary: 'Claim an offered perk: one unit, a redemption code and a tracking link',
    description:
      'Not yours → 404; expired → 410; declined, withdrawn or already claimed → 409 (an Idempotency-Key replay returns the first 201); campaign paused or sold out → 409; product perk without a shipping address → 422.',
  })
  @ApiCreatedResponse({ type: ClaimResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 410, 422, 429)
  claim(@CurrentInfluencerId() id: string, @Param() p: OfferIdParamDto): Promise<ClaimResponseDto> {
    return this.redemptions.claim(id, p.id);
  }

  @Get('me/claims')
  @Auth('influencer')
  @ApiOperation({ summary: 'Your claims with their codes and tracking links' })
  @ApiOkResponse({ type: MemberClaimPageDto })
  @ApiProblems(400, 401, 403, 429)
  myClaims(@CurrentInfluencerId() id: string, @Query() q: ClaimListQueryDto): Promise<Page<MemberClaimDto>> {
    return this.redemptions.memberClaims(id, q);
  }

  @Get('campaigns/:id/claims')
  @Can('claims.read')
  @Auth('brand')
  @ApiOperation({ summary: 'Claims of a campaign; members pseudonymous unless they chose to share' })
  @ApiOkResponse({ type: BrandClaimPageDto })
  @ApiProblems(400, 401, 403, 404, 429)
  async claims(
    @CurrentBrand() brand: BrandPrincipal,
    @Param() p: CampaignIdParamDto,
    @Query() q: ClaimListQueryDto,
  ): Promise<Page<BrandClaimDto>> {
    const page = await this.redemptions.campaignClaims(brand.brandId, p.id, q);
    // Addresses are for the roles that ship (permission table); the others read claims without them.
    if (!can(brand.role, 'claims.fulfil'))
      for (const c of page.data) if ('shippingAddress' in c) c.shippingAddress = null;
    return page;
  }

  @Patch('campaigns/:id/claims/:claimId')
  @Can('claims.fulfil')
  @Auth('brand')
  @ApiOperation({ summary: 'Mark a claim fulfilled (shipped or redeemed), optionally with a tracking number' })
  @ApiOkResponse({ type: BrandClaimDto })
  @ApiProblems(400, 401, 403, 404, 429)
  fulfil(
    @CurrentBrandId() brandId: string,
    @Param() p: CampaignClaimParamDto,
    @Body() dto: FulfilClaimRequestDto,
  ): Promise<BrandClaimDto> {
    return this.redemptions.fulfil(brandId, p.id, p.claimId, dto);
  }
}
