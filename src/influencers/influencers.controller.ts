import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Auth, CurrentInfluencerId, PUBLIC } from '../common/auth/auth.decorators';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { ApiProblems } from '../common/problem/problem.dto';
import { RateLimit } from '../common/rate-limit/rate-limit';
import {
  ConsentsResponseDto,
  ErasureResponseDto,
  LinkSocialAccountRequestDto,
  LoginRequestDto,
  LoginResponseDto,
  ProfileResponseDto,
  SetTopicVisibilityRequestDto,
  SignupRequestDto,
  SignupResponseDto,
  SocialAccountDto,
  SocialAccountIdParamDto,
  SocialAccountListDto,
  TopicSlugParamDto,
  TopicVisibilityDto,
  UpdateConsentsRequestDto,
  UpdateProfileRequestDto,
} from './dto/influencer.dto';
import { InfluencersService } from './influencers.service';
import { PrivacyService } from './privacy.service';

@ApiTags('influencers')
@Controller('v1')
export class InfluencersController {
  constructor(
    private readonly influencers: InfluencersService,
    private readonly privacy: PrivacyService,
  ) {}

  @Post('influencers')
  @Auth(PUBLIC)
  @RateLimit('auth')
  @Idempotent({ secretFields: ['accessToken'] })
  @ApiOperation({ summary: 'Join Sway (18+ only; the birth date is checked and discarded)' })
  @ApiCreatedResponse({ type: SignupResponseDto })
  @ApiProblems(400, 409, 422, 429)
  signup(@Body() dto: SignupRequestDto): Promise<SignupResponseDto> {
    return this.influencers.signup(dto);
  }

  @Post('auth/login')
  @Auth(PUBLIC)
  @RateLimit('auth')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for a short-lived access token' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiProblems(400, 401, 429)
  login(@Body() dto: LoginRequestDto): Promise<LoginResponseDto> {
    return this.influencers.login(dto.email, dto.password);
  }

  @Get('me')
  @Auth('influencer')
  @ApiOperation({ summary: 'Your profile' })
  @ApiOkResponse({ type: ProfileResponseDto })
  @ApiProblems(401, 403, 429)
  me(@CurrentInfluencerId() id: string): Promise<ProfileResponseDto> {
    return this.influencers.profile(id);
  }

  @Patch('me')
  @Auth('influencer')
  @ApiOperation({ summary: 'Change display name, country or shipping address (null removes it)' })
  @ApiOkResponse({ type: ProfileResponseDto })
  @ApiProblems(400, 401, 403, 429)
  update(@CurrentInfluencerId() id: string, @Body() dto: UpdateProfileRequestDto): Promise<ProfileResponseDto> {
    return this.influencers.updateProfile(id, dto);
  }

  @Delete('me')
  @Auth('influencer')
  @HttpCode(202)
  @ApiOperation({ summary: 'Erase yourself: personal data goes, tokens stop working at once' })
  @ApiAcceptedResponse({ type: ErasureResponseDto })
  @ApiProblems(401, 403, 429)
  erase(@CurrentInfluencerId() id: string): Promise<ErasureResponseDto> {
    return this.privacy.requestErasure(id);
  }

  @Get('me/export')
  @Auth('influencer')
  @ApiOperation({ summary: 'Every stored fact about you, as JSON' })
  @ApiOkResponse({
    description: 'profile, consents, socialAccounts, topicPreferences, auditLog, and each context’s part',
  })
  @ApiProblems(401, 403, 429)
  export(@CurrentInfluencerId() id: string): Promise<Record<string, unknown>> {
    return this.privacy.export(id);
  }

  @Get('me/consents')
  @Auth('influencer')
  @ApiOperation({ summary: 'Current consents and their full history' })
  @ApiOkResponse({ type: ConsentsResponseDto })
  @ApiProblems(401, 403, 429)
  consents(@CurrentInfluencerId() id: string): Promise<ConsentsResponseDto> {
    return this.influencers.consents(id);
  }

  @Put('me/consents')
  @Auth('influencer')
  @ApiOperation({ summary: 'Grant or withdraw consents; withdrawing matching withdraws pending offers' })
  @ApiOkResponse({ type: ConsentsResponseDto })
  @ApiProblems(400, 401, 403, 429)
  updateConsents(
    @CurrentInfluencerId() id: string,
    @Body() dto: UpdateConsentsRequestDto,
  ): Promise<ConsentsResponseDto> {
    return this.influencers.updateConsents(id, dto);
  }

  @Post('me/social-accounts')
  @Auth('influencer')
  @Idempotent()
  @ApiOperation({ summary: 'Link a social account (one member per account)' })
  @ApiCreatedResponse({ type: SocialAccountDto })
  @ApiProblems(400, 401, 403, 409, 429)
  link(@CurrentInfluencerId() id: string, @Body() dto: LinkSocialAccountRequestDto): Promise<SocialAccountDto> {
    return this.influencers.linkSocialAccount(id, dto);
  }

  @Get('me/social-accounts')
  @Auth('influencer')
  @ApiOperation({ summary: 'Your linked social accounts' })
  @ApiOkResponse({ type: SocialAccountListDto })
  @ApiProblems(401, 403, 429)
  async accounts(@CurrentInfluencerId() id: string): Promise<SocialAccountListDto> {
    return { data: await this.influencers.socialAccounts(id) };
  }

  @Delete('me/social-accounts/:id')
  @Auth('influencer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unlink a social account' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404, 429)
  unlink(@CurrentInfluencerId() id: string, @Param() p: SocialAccountIdParamDto): Promise<void> {
    return this.influencers.unlinkSocialAccount(id, p.id);
  }

  @Put('me/topics/:slug')
  @Auth('influencer')
  @ApiOperation({ summary: 'Hide a topic from targeting and from brands (or show it again)' })
  @ApiOkResponse({ type: TopicVisibilityDto })
  @ApiProblems(400, 401, 403, 404, 429)
  setTopic(
    @CurrentInfluencerId() id: string,
    @Param() p: TopicSlugParamDto,
    @Body() dto: SetTopicVisibilityRequestDto,
  ): Promise<TopicVisibilityDto> {
    return this.influencers.setTopicHidden(id, p.slug, dto.hidden);
  }
}
