import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth, CurrentInfluencerId } from '../common/auth/auth.decorators';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { ApiProblems } from '../common/problem/problem.dto';
import {
  ClaimIdParamDto,
  CreateShareRequestDto,
  DisclosureCheckRequestDto,
  DisclosureCheckResponseDto,
  ShareResponseDto,
} from './dto/share.dto';
import { hasDisclosure } from './disclosure';
import { SharesService } from './shares.service';

@ApiTags('claims')
@Controller('v1')
export class SharesController {
  constructor(private readonly shares: SharesService) {}

  @Post('me/claims/:claimId/shares')
  @Auth('influencer')
  @Idempotent()
  @ApiOperation({
    summary: 'Register a post in which you shared your perk; its caption is checked for a sponsorship disclosure',
    description: 'Same URL on the same claim again → 200 with the existing share. Not your claim → 404.',
  })
  @ApiCreatedResponse({ type: ShareResponseDto })
  @ApiOkResponse({ type: ShareResponseDto, description: 'This URL was already registered for the claim' })
  @ApiProblems(400, 401, 403, 404, 429)
  async create(
    @CurrentInfluencerId() id: string,
    @Param() p: ClaimIdParamDto,
    @Body() dto: CreateShareRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ShareResponseDto> {
    const r = await this.shares.create(id, p.claimId, dto);
    void reply.status(r.created ? 201 : 200);
    return { share: r.body };
  }

  /** Lets the member fix a caption before posting: the same check a saved share gets, with no side effect. */
  @Post('me/disclosure-check')
  @Auth('influencer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check a caption for a sponsorship disclosure before saving a share (stores nothing)' })
  @ApiOkResponse({ type: DisclosureCheckResponseDto })
  @ApiProblems(400, 401, 403, 429)
  checkDisclosure(@Body() dto: DisclosureCheckRequestDto): DisclosureCheckResponseDto {
    const disclosed = hasDisclosure(dto.text);
    return {
      disclosed,
      suggestions: disclosed ? [] : ['#ad', '#gifted', 'Paid partnership'],
      why:
        'The FTC (and the ASA, and most consumer laws) require you to say clearly when a brand gave you something ' +
        'for a post, so your audience can weigh your words. A post without it can get you and the brand in trouble.',
    };
  }
}
