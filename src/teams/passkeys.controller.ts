import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Auth, CurrentBrand, PUBLIC } from '../common/auth/auth.decorators';
import { Can } from '../common/auth/permissions';
import { BrandPrincipal } from '../common/auth/principal';
import {
  CSRF_HEADER,
  isForeignOrigin,
  isUnsafeMethod,
  readSessionCookie,
  sessionCookie,
} from '../common/auth/session-cookie';
import { AppException } from '../common/problem/app.exception';
import { ApiProblems } from '../common/problem/problem.dto';
import { RateLimit } from '../common/rate-limit/rate-limit';
import { APP_CONFIG, AppConfig } from '../config/config';
import { CreateSessionResponseDto } from '../sessions/dto/session.dto';
import { SESSION_ABSOLUTE_SECONDS, SessionsService } from '../sessions/sessions.service';
import {
  PasskeyDto,
  PasskeyIdParamDto,
  PasskeyListDto,
  PasskeyOptionsRequestDto,
  PasskeySignInRequestDto,
  RegisterPasskeyRequestDto,
  WebAuthnOptionsDto,
} from './dto/passkeys.dto';
import { BrandSecurityDto } from './dto/teams.dto';
import { PasskeysService } from './passkeys.service';
import { TeamsRepository } from './teams.repository';
import { TeamsService } from './teams.service';

const sameSecret = (a: string, b: string): boolean =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

interface CookieUser {
  userId: string;
  sessionId: string;
  /** The session still owes the second factor its brand requires. */
  pending: boolean;
}

/**
 * Passkeys of brand users. These routes read the session cookie themselves (with the same Origin and CSRF checks
 * as the AuthGuard) because a session that still owes its second factor must reach them: to answer the passkey
 * challenge, and — once, for a person who has no passkey yet — to enrol one.
 */
@ApiTags('passkeys')
@Controller('v1')
export class PasskeysController {
  constructor(
    private readonly passkeys: PasskeysService,
    private readonly teams: TeamsService,
    private readonly teamsRepo: TeamsRepository,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async cookieUser(req: FastifyRequest): Promise<CookieUser | null> {
    const token = readSessionCookie(req);
    const s = await this.sessions.sessionOf(token);
    if (!s || s.kind !== 'brand') return null;
    if (isUnsafeMethod(req.method)) {
      if (isForeignOrigin(req, this.config.publicBaseUrl))
        throw new AppException('forbidden', 'Cross-site requests cannot use the session cookie');
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameSecret(sent, s.csrfToken))
        throw new AppException('forbidden', 'Missing or wrong X-CSRF-Token for this session');
    }
    if (await this.teams.principal(s.subjectId, s.id)) return { userId: s.subjectId, sessionId: s.id, pending: false };
    const sb = await this.teamsRepo.sessionBrand(s.id, s.subjectId);
    if (sb?.secondFactorRequired && !sb.secondFactorAt) return { userId: s.subjectId, sessionId: s.id, pending: true };
    return null;
  }

  /** A signed-in brand user; a pending session only to enrol a first passkey (`enrol`). */
  private async mustBeUser(req: FastifyRequest, enrol = false): Promise<CookieUser> {
    const u = await this.cookieUser(req);
    if (!u) throw new AppException('unauthenticated', 'Sign in to the console first (browser session)');
    if (u.pending && !(enrol && !(await this.passkeys.hasPasskey(u.userId))))
      throw new AppException('unauthenticated', 'Answer the passkey challenge first (POST /v1/sessions/passkey)');
    return u;
  }

  @Get('users/me/passkeys')
  @Auth(PUBLIC)
  @ApiOperation({ summary: 'Your passkeys (brand users, browser session)' })
  @ApiOkResponse({ type: PasskeyListDto })
  @ApiProblems(401)
  async list(@Req() req: FastifyRequest): Promise<PasskeyListDto> {
    const u = await this.mustBeUser(req, true);
    return { data: await this.passkeys.list(u.userId) };
  }

  @Post('users/me/passkeys/options')
  @Auth(PUBLIC)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start registering a passkey: creation options for @simplewebauthn/browser startRegistration()',
    description:
      'A session that owes a second factor may enrol a first passkey here when the person has none (the ' +
      'brand’s owners just required one).',
  })
  @ApiOkResponse({ type: WebAuthnOptionsDto })
  @ApiProblems(401, 403)
  async registrationOptions(@Req() req: FastifyRequest): Promise<WebAuthnOptionsDto> {
    const u = await this.mustBeUser(req, true);
    return { options: (await this.passkeys.registrationOptions(u.userId)) as unknown as Record<string, unknown> };
  }

  @Post('users/me/passkeys')
  @Auth(PUBLIC)
  @ApiOperation({ summary: 'Finish registering a passkey with the authenticator’s answer' })
  @ApiCreatedResponse({ type: PasskeyDto })
  @ApiProblems(400, 401, 403, 409, 422)
  async register(@Req() req: FastifyRequest, @Body() dto: RegisterPasskeyRequestDto): Promise<PasskeyDto> {
    const u = await this.mustBeUser(req, true);
    const key = await this.passkeys.register(u.userId, dto.response, dto.label);
    // Enrolled while owing the second factor: the registration ceremony itself proved the new passkey.
    if (u.pending) await this.teamsRepo.markSecondFactor(u.sessionId, u.userId);
    return key;
  }

  @Delete('users/me/passkeys/:id')
  @Auth(PUBLIC)
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove one of your passkeys' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404)
  async remove(@Req() req: FastifyRequest, @Param() p: PasskeyIdParamDto): Promise<void> {
    const u = await this.mustBeUser(req);
    await this.passkeys.remove(u.userId, p.id);
  }

  @Post('sessions/passkey/options')
  @Auth(PUBLIC)
  @RateLimit('auth')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start a passkey sign-in (or the second factor of this session): request options',
    description: 'Brand users (kind "brand", the default). For a session owing its second factor, its own passkeys.',
  })
  @ApiOkResponse({ type: WebAuthnOptionsDto })
  @ApiProblems(400, 403, 422, 429)
  async authOptions(@Req() req: FastifyRequest, @Body() dto: PasskeyOptionsRequestDto): Promise<WebAuthnOptionsDto> {
    this.brandKind(dto?.kind);
    const u = await this.cookieUser(req);
    return {
      options: (await this.passkeys.authenticationOptions(u?.pending ? u.userId : null)) as unknown as Record<
        string,
        unknown
      >,
    };
  }

  @Post('sessions/passkey')
  @Auth(PUBLIC)
  @RateLimit('auth')
  @ApiOperation({
    summary: 'Sign in with a passkey, or give this session its second factor',
    description:
      'With a session owing its second factor (cookie + X-CSRF-Token): that session now authorizes. Otherwise a ' +
      'new session for the passkey’s owner (a passkey counts as both factors). Unverifiable → 401.',
  })
  @ApiCreatedResponse({ type: CreateSessionResponseDto })
  @ApiProblems(400, 401, 403, 422, 429)
  async signIn(
    @Req() req: FastifyRequest,
    @Body() dto: PasskeySignInRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreateSessionResponseDto> {
    this.brandKind(dto.kind);
    if (isForeignOrigin(req, this.config.publicBaseUrl))
      throw new AppException('forbidden', 'Sign-in must come from Sway’s own page');
    const u = await this.cookieUser(req);
    if (u?.pending) {
      await this.passkeys.authenticate(dto.response, u.userId);
      await this.teamsRepo.markSecondFactor(u.sessionId, u.userId);
      const cur = await this.sessions.current(readSessionCookie(req));
      return { session: cur.session, csrfToken: cur.csrfToken };
    }
    const userId = await this.passkeys.authenticate(dto.response, null);
    const created = await this.sessions.start('brand', userId, req.headers['user-agent'], { secondFactor: true });
    void reply.header(
      'set-cookie',
      sessionCookie(created.token, { secure: this.sessions.cookieSecure, maxAgeSeconds: SESSION_ABSOLUTE_SECONDS }),
    );
    return created.body;
  }

  @Put('brands/me/security')
  @Auth('brand')
  @Can('brand.security')
  @ApiOperation({
    summary: 'Owners: require a passkey of everyone signing in to this brand',
    description: 'You need a passkey yourself before requiring one (422).',
  })
  @ApiOkResponse({ type: BrandSecurityDto })
  @ApiProblems(400, 401, 403, 422, 429)
  setSecurity(@CurrentBrand() p: BrandPrincipal, @Body() dto: BrandSecurityDto): Promise<BrandSecurityDto> {
    return this.teams.setSecurity(p, dto.secondFactorRequired, (id) => this.passkeys.hasPasskey(id));
  }

  private brandKind(kind: string | undefined): void {
    if (kind && kind !== 'brand')
      throw new AppException('unprocessable', 'Passkey sign-in is for brand users here', [
        { field: 'kind', message: 'only "brand"' },
      ]);
  }
}
