import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Auth, CurrentBrand, CurrentBrandId, PUBLIC } from '../common/auth/auth.decorators';
import { Can } from '../common/auth/permissions';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { BrandPrincipal } from '../common/auth/principal';
import { CSRF_HEADER, isForeignOrigin, readSessionCookie, sessionCookie } from '../common/auth/session-cookie';
import { AppException } from '../common/problem/app.exception';
import { ApiProblems } from '../common/problem/problem.dto';
import { RateLimit } from '../common/rate-limit/rate-limit';
import { APP_CONFIG, AppConfig } from '../config/config';
import { CreatedSession, SESSION_ABSOLUTE_SECONDS, SessionsService } from '../sessions/sessions.service';
import {
  AcceptInvitationRequestDto,
  AcceptInvitationResponseDto,
  BrandSecurityDto,
  BrandSessionResponseDto,
  CreateInvitationRequestDto,
  CreateInvitationResponseDto,
  CreateUserRequestDto,
  CreateUserResponseDto,
  InvitationTokenParamDto,
  MemberDto,
  MemberListDto,
  MemberParamDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  SwitchBrandRequestDto,
  UpdateMemberRequestDto,
} from './dto/teams.dto';
import { SignedInUser, TeamsService } from './teams.service';

const sameSecret = (a: string, b: string): boolean =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

/** Brand users: signup, the team and its roles, invitations, password reset, workspace switching. */
@ApiTags('teams')
@Controller('v1')
export class TeamsController {
  constructor(
    private readonly teams: TeamsService,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private setCookie(reply: FastifyReply, created: CreatedSession): void {
    void reply.header(
      'set-cookie',
      sessionCookie(created.token, { secure: this.sessions.cookieSecure, maxAgeSeconds: SESSION_ABSOLUTE_SECONDS }),
    );
  }

  /** Login CSRF: another site must not sign a visitor into an account of its choosing. */
  private sameSite(req: FastifyRequest): void {
    if (isForeignOrigin(req, this.config.publicBaseUrl))
      throw new AppException('forbidden', 'This must come from Sway’s own page');
  }

  @Post('users')
  @Auth(PUBLIC)
  @RateLimit('auth')
  // A replay carries no session (the cookie is not replayed and the CSRF token is a secret): sign in instead.
  @Idempotent({ secretFields: ['csrfToken'] })
  @ApiOperation({
    summary: 'Create a brand and its first owner; signs the browser in (sway_session cookie)',
    description: 'An email already used by a brand or a brand user → 409.',
  })
  @ApiCreatedResponse({ type: CreateUserResponseDto })
  @ApiProblems(400, 403, 409, 429)
  async signup(
    @Body() dto: CreateUserRequestDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreateUserResponseDto> {
    this.sameSite(req);
    const { created, user, brand } = await this.teams.signup(dto, req.headers['user-agent']);
    this.setCookie(reply, created);
    return { ...created.body, user, brand, role: 'owner' };
  }

  @Post('session/brand')
  @Auth('brand')
  @Can('brand.read')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Agencies: switch this browser session to another of your brands',
    description: 'A brand you do not belong to → 404. API keys → 403 (a key belongs to one brand).',
  })
  @ApiOkResponse({ type: BrandSessionResponseDto })
  @ApiProblems(400, 401, 403, 404, 429)
  async switchBrand(
    @CurrentBrand() p: BrandPrincipal,
    @Body() dto: SwitchBrandRequestDto,
    @Req() req: FastifyRequest,
  ): Promise<BrandSessionResponseDto> {
    await this.teams.switchBrand(p, dto.brandId);
    return (await this.sessions.current(readSessionCookie(req))) as BrandSessionResponseDto;
  }

  @Get('brands/me/members')
  @Auth('brand')
  @Can('members.read')
  @ApiOperation({ summary: 'The people of the brand and their roles' })
  @ApiOkResponse({ type: MemberListDto })
  @ApiProblems(401, 403, 429)
  async members(@CurrentBrandId() brandId: string): Promise<MemberListDto> {
    return { data: await this.teams.members(brandId) };
  }

  @Patch('brands/me/members/:userId')
  @Auth('brand')
  @Can('members.write')
  @ApiOperation({
    summary: 'Change a member’s role',
    description: 'Only owners make owners or change an owner. The last owner cannot be demoted → 409.',
  })
  @ApiOkResponse({ type: MemberDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  changeRole(
    @CurrentBrand() p: BrandPrincipal,
    @Param() params: MemberParamDto,
    @Body() dto: UpdateMemberRequestDto,
  ): Promise<MemberDto> {
    return this.teams.changeRole(p, params.userId, dto.role);
  }

  @Delete('brands/me/members/:userId')
  @Auth('brand')
  @Can('members.read')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Remove a member, or leave the brand (your own userId)',
    description:
      'Anyone may leave; removing others needs members.write (owner, admin), and only owners remove owners. ' +
      'The last owner cannot leave or be removed → 409.',
  })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404, 409, 429)
  remove(@CurrentBrand() p: BrandPrincipal, @Param() params: MemberParamDto): Promise<void> {
    return this.teams.remove(p, params.userId);
  }

  @Post('brands/me/invitations')
  @Auth('brand')
  @Can('members.write')
  @RateLimit('auth')
  @Idempotent({ secretFields: ['invitation.acceptUrl'] })
  @ApiOperation({
    summary: 'Invite someone to the team by email',
    description:
      'The link is emailed; without an SMTP transport (SMTP_URL unset) it is returned as acceptUrl for you to ' +
      'pass on. Only owners invite owners. Mail server unreachable → 503 (nothing was created).',
  })
  @ApiCreatedResponse({ type: CreateInvitationResponseDto })
  @ApiProblems(400, 401, 403, 409, 422, 429, 503)
  invite(
    @CurrentBrand() p: BrandPrincipal,
    @Body() dto: CreateInvitationRequestDto,
  ): Promise<CreateInvitationResponseDto> {
    return this.teams.invite(p, dto.email, dto.role);
  }

  @Post('invitations/:token/accept')
  @Auth(PUBLIC)
  @RateLimit('auth')
  @Idempotent({ secretFields: ['csrfToken'] })
  @ApiOperation({
    summary: 'Accept an invitation; signs the browser in to the brand',
    description:
      'Signed in (cookie + X-CSRF-Token) as the invited address: joins with that account. An existing account ' +
      'not signed in: give its password. A new address: password (and name) create the account. ' +
      'Unknown token → 404; used or expired → 410.',
  })
  @ApiCreatedResponse({ type: AcceptInvitationResponseDto })
  @ApiProblems(400, 401, 403, 404, 410, 422, 429)
  async accept(
    @Param() params: InvitationTokenParamDto,
    @Body() dto: AcceptInvitationRequestDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptInvitationResponseDto> {
    this.sameSite(req);
    const signedIn = await this.signedInBrandUser(req);
    const { created, user, brand } = await this.teams.accept(
      params.token,
      dto ?? {},
      signedIn,
      req.headers['user-agent'],
    );
    this.setCookie(reply, created);
    return { ...created.body, user, brand, role: brand.role };
  }

  @Post('users/password-reset')
  @Auth(PUBLIC)
  @RateLimit('auth')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Email a password-reset link (brand users)',
    description: 'Always 202, whether or not the address has an account. Repeated requests → 429.',
  })
  @ApiAcceptedResponse()
  @ApiProblems(400, 429)
  async requestReset(@Body() dto: PasswordResetRequestDto): Promise<void> {
    await this.teams.requestPasswordReset(dto.email);
  }

  @Post('users/password-reset/confirm')
  @Auth(PUBLIC)
  @RateLimit('auth')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a new password with the emailed token; every session of the account ends',
    description: 'Invalid, used or expired token → 422.',
  })
  @ApiNoContentResponse()
  @ApiProblems(400, 422, 429)
  confirmReset(@Body() dto: PasswordResetConfirmDto): Promise<void> {
    return this.teams.confirmPasswordReset(dto.token, dto.password);
  }

  @Get('brands/me/security')
  @Auth('brand')
  @Can('brand.read')
  @ApiOperation({ summary: 'The brand’s sign-in policy' })
  @ApiOkResponse({ type: BrandSecurityDto })
  @ApiProblems(401, 403, 429)
  security(@CurrentBrandId() brandId: string): Promise<BrandSecurityDto> {
    return this.teams.security(brandId);
  }

  /** A brand user's cookie session on a public route (invitation accept), with the CSRF proof it needs. */
  private async signedInBrandUser(req: FastifyRequest): Promise<SignedInUser | null> {
    const token = readSessionCookie(req);
    const s = await this.sessions.sessionOf(token);
    if (!token || !s || s.kind !== 'brand') return null;
    const sent = req.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sameSecret(sent, s.csrfToken))
      throw new AppException('forbidden', 'Missing or wrong X-CSRF-Token for this session');
    return { userId: s.subjectId, sessionId: s.id, token, csrfToken: s.csrfToken };
  }
}
