import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Redirect } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Auth, CurrentInfluencerId, PUBLIC } from '../common/auth/auth.decorators';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { AppException, ProblemCode } from '../common/problem/app.exception';
import { ApiProblems } from '../common/problem/problem.dto';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Inject } from '@nestjs/common';
import { ConnectorsService } from './connectors.service';
import {
  AuthorizeUrlDto,
  ConnectorAccountIdParamDto,
  LinkBlueskyRequestDto,
  LinkBlueskyResponseDto,
  LinkMastodonRequestDto,
  MastodonCallbackQueryDto,
  SyncQueuedDto,
  VerifyResponseDto,
} from './dto/connectors.dto';

/** What went wrong, as a word the member app explains (never free text: anyone can craft this link). */
const LINK_ERRORS: Partial<Record<ProblemCode, string>> = {
  bad_request: 'expired',
  forbidden: 'declined',
  conflict: 'taken',
  unprocessable: 'mismatch',
  unavailable: 'unavailable',
};

@ApiTags('connectors')
@Controller('v1')
export class ConnectorsController {
  constructor(
    private readonly connectors: ConnectorsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('me/social-accounts/bluesky')
  @Auth('influencer')
  @Idempotent()
  @ApiOperation({ summary: 'Start linking a Bluesky account: resolves the handle and returns a one-time code' })
  @ApiCreatedResponse({ type: LinkBlueskyResponseDto })
  @ApiProblems(400, 401, 403, 409, 422, 429, 503)
  linkBluesky(@CurrentInfluencerId() id: string, @Body() dto: LinkBlueskyRequestDto): Promise<LinkBlueskyResponseDto> {
    return this.connectors.linkBluesky(id, dto.handle);
  }

  @Post('me/social-accounts/:id/verify')
  @Auth('influencer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check the code in the Bluesky profile description; links the account and syncs it' })
  @ApiOkResponse({ type: VerifyResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 422, 429, 503)
  verify(@CurrentInfluencerId() id: string, @Param() p: ConnectorAccountIdParamDto): Promise<VerifyResponseDto> {
    return this.connectors.verify(id, p.id);
  }

  @Post('me/social-accounts/mastodon')
  @Auth('influencer')
  @ApiOperation({ summary: 'Start linking a Mastodon account (OAuth 2 with PKCE on its instance)' })
  @ApiCreatedResponse({ type: AuthorizeUrlDto })
  @ApiProblems(400, 401, 403, 422, 429, 503)
  linkMastodon(@CurrentInfluencerId() id: string, @Body() dto: LinkMastodonRequestDto): Promise<AuthorizeUrlDto> {
    return this.connectors.startMastodon(id, dto.account);
  }

  @Get('connectors/mastodon/callback')
  @Auth(PUBLIC)
  @Redirect()
  @ApiOperation({
    summary: "The instance's redirect: exchanges the code, checks the account, links it, sends the browser back",
  })
  @ApiFoundResponse({
    description:
      'To the member app: /me/privacy?linked=mastodon&account={id}; a browser (Accept: text/html) is sent to ' +
      '/me/privacy?linkError=expired|declined|taken|mismatch|unavailable instead of a problem document',
  })
  @ApiProblems(400, 403, 409, 422, 429, 503)
  async mastodonCallback(
    @Query() q: MastodonCallbackQueryDto,
    @Headers('accept') accept?: string,
  ): Promise<{ url: string; statusCode: number }> {
    const privacy = `${this.config.publicBaseUrl}/me/privacy`;
    try {
      const account = await this.connectors.completeMastodon(q);
      return { url: `${privacy}?linked=mastodon&account=${encodeURIComponent(account.id)}`, statusCode: 302 };
    } catch (err) {
      // The member's browser arrives here from their instance: a page that says what happened, not JSON.
      const word = err instanceof AppException ? LINK_ERRORS[err.code] : undefined;
      if (!word || !/\btext\/html\b/.test(accept ?? '')) throw err;
      return { url: `${privacy}?linkError=${word}`, statusCode: 302 };
    }
  }

  @Post('me/social-accounts/:id/sync')
  @Auth('influencer')
  @HttpCode(202)
  @ApiOperation({ summary: 'Sync a linked account now (at most once a minute per account)' })
  @ApiAcceptedResponse({ type: SyncQueuedDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  sync(@CurrentInfluencerId() id: string, @Param() p: ConnectorAccountIdParamDto): Promise<SyncQueuedDto> {
    return this.connectors.requestSync(id, p.id);
  }
}
