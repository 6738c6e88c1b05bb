import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentPrincipal, PUBLIC } from '../common/auth/auth.decorators';
import { Principal } from '../common/auth/principal';
import { Can } from '../common/auth/permissions';
import { clearedSessionCookie, isForeignOrigin, readSessionCookie, sessionCookie } from '../common/auth/session-cookie';
import { AppException } from '../common/problem/app.exception';
import { ApiProblems } from '../common/problem/problem.dto';
import { RateLimit } from '../common/rate-limit/rate-limit';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Inject } from '@nestjs/common';
import {
  CreateSessionRequestDto,
  CreateSessionResponseDto,
  CurrentSessionResponseDto,
  SessionIdParamDto,
  SessionListResponseDto,
} from './dto/session.dto';
import { SESSION_ABSOLUTE_SECONDS, SessionsService } from './sessions.service';

/** Browser sign-in: the cookie carries an opaque id; bearer tokens stay the way for API clients. */
@ApiTags('sessions')
@Controller('v1')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('sessions')
  @Auth(PUBLIC)
  @RateLimit('auth')
  @ApiOperation({
    summary: 'Sign in a browser: sets the HttpOnly sway_session cookie and returns the CSRF token',
    description:
      'Wrong credentials → 401 (same for unknown emails). After 5 failures within an hour each further failure ' +
      'locks the account for 30 s, doubling up to 15 min → 429 with Retry-After.',
  })
  @ApiCreatedResponse({ type: CreateSessionResponseDto })
  @ApiProblems(400, 401, 403, 422, 429)
  async create(
    @Body() dto: CreateSessionRequestDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreateSessionResponseDto> {
    // Login CSRF: another site must not sign a visitor into an account of the attacker's choosing.
    if (isForeignOrigin(req, this.config.publicBaseUrl))
      throw new AppException('forbidden', 'Sign-in must come from Sway’s own page');
    const { token, body } = await this.sessions.create(dto.kind, dto.email, dto.password, req.headers['user-agent']);
    void reply.header(
      'set-cookie',
      sessionCookie(token, { secure: this.sessions.cookieSecure, maxAgeSeconds: SESSION_ABSOLUTE_SECONDS }),
    );
    return body;
  }

  @Get('session')
  @Auth(PUBLIC)
  @ApiOperation({ summary: 'The browser session of this cookie, with its CSRF token and who it belongs to' })
  @ApiOkResponse({ type: CurrentSessionResponseDto })
  @ApiProblems(401)
  current(@Req() req: FastifyRequest): Promise<CurrentSessionResponseDto> {
    return this.sessions.current(readSessionCookie(req));
  }

  @Delete('session')
  @Auth('influencer', 'brand')
  @Can('brand.read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out this browser (needs X-CSRF-Token)' })
  @ApiNoContentResponse()
  @ApiProblems(401, 403)
  async signOut(@CurrentPrincipal() p: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.sessions.signOut(p);
    void reply.header('set-cookie', clearedSessionCookie(this.sessions.cookieSecure));
  }

  @Get('sessions')
  @Auth('influencer', 'brand')
  @Can('brand.read')
  @ApiOperation({ summary: 'The person’s live browser sessions' })
  @ApiOkResponse({ type: SessionListResponseDto })
  @ApiProblems(401, 403)
  list(@CurrentPrincipal() p: Principal): Promise<SessionListResponseDto> {
    return this.sessions.list(p);
  }

  @Delete('sessions')
  @Auth('influencer', 'brand')
  @Can('brand.read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out everywhere, this browser included' })
  @ApiNoContentResponse()
  @ApiProblems(401, 403)
  async signOutEverywhere(
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.sessions.signOutEverywhere(p);
    void reply.header('set-cookie', clearedSessionCookie(this.sessions.cookieSecure));
  }

  @Delete('sessions/:id')
  @Auth('influencer', 'brand')
  @Can('brand.read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out one of the person’s sessions' })
  @ApiNoContentResponse()
  @ApiProblems(401, 403, 404)
  revoke(@CurrentPrincipal() p: Principal, @Param() params: SessionIdParamDto): Promise<void> {
    return this.sessions.revoke(p, params.id);
  }
}
