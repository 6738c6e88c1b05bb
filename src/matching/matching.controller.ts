import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentBrandId, CurrentInfluencerId } from '../common/auth/auth.decorators';
import { Can } from '../common/auth/permissions';
import { Page } from '../common/pagination/pagination';
import { ApiProblems } from '../common/problem/problem.dto';
import {
  AudienceDto,
  BrandOfferDto,
  BrandOfferPageDto,
  CampaignIdParamDto,
  MemberOfferDto,
  MemberOfferPageDto,
  OfferIdParamDto,
  OfferListQueryDto,
} from './dto/offer.dto';
import { MatchingService } from './matching.service';

@ApiTags('offers')
@Controller('v1')
export class MatchingController {
  constructor(private readonly matching: MatchingService) {}

  @Get('me/offers')
  @Auth('influencer')
  @ApiOperation({ summary: 'Perks offered to you (newest first); ?status=pending for the open ones' })
  @ApiOkResponse({ type: MemberOfferPageDto })
  @ApiProblems(400, 401, 403, 429)
  myOffers(@CurrentInfluencerId() id: string, @Query() q: OfferListQueryDto): Promise<Page<MemberOfferDto>> {
    return this.matching.memberOffers(id, q);
  }

  @Post('me/offers/:id/decline')
  @Auth('influencer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline an offer (the perk goes to someone else)' })
  @ApiOkResponse({ type: MemberOfferDto })
  @ApiProblems(400, 401, 403, 404, 409, 410, 429)
  decline(@CurrentInfluencerId() id: string, @Param() p: OfferIdParamDto): Promise<MemberOfferDto> {
    return this.matching.decline(id, p.id);
  }

  @Get('campaigns/:id/audience')
  @Can('offers.read')
  @Auth('brand')
  @ApiOperation({ summary: 'How many opted-in adults match the targeting now (no identities)' })
  @ApiOkResponse({ type: AudienceDto })
  @ApiProblems(400, 401, 403, 404, 429)
  audience(@CurrentBrandId() brandId: string, @Param() p: CampaignIdParamDto): Promise<AudienceDto> {
    return this.matching.audience(brandId, p.id);
  }

  @Get('campaigns/:id/offers')
  @Can('offers.read')
  @Auth('brand')
  @ApiOperation({ summary: 'Offers of a campaign; members pseudonymous unless they chose to share' })
  @ApiOkResponse({ type: BrandOfferPageDto })
  @ApiProblems(400, 401, 403, 404, 429)
  offers(
    @CurrentBrandId() brandId: string,
    @Param() p: CampaignIdParamDto,
    @Query() q: OfferListQueryDto,
  ): Promise<Page<BrandOfferDto>> {
    return this.matching.campaignOffers(brandId, p.id, q);
  }
}
