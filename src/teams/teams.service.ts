import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit.service';
import { BrandsService } from '../brands/brands.service';
import { BrandRole, can, covers } from '../common/auth/permissions';
import { BrandPrincipal } from '../common/auth/principal';
import { MailRejectedError, MailService } from '../common/mail/mail.service';
import { AccountLimiter } from '../common/rate-limit/account-limiter';
import { AppException } from '../common/problem/app.exception';
import { APP_CONFIG, AppConfig } from '../config/config';
import { constraintOf, isUniqueViolation } from '../database/pg-errors';
import { CreatedSession, SessionsService } from '../sessions/sessions.service';
import {
  AcceptInvitationRequestDto,
  BrandSessionResponseDto,
  CreateInvitationResponseDto,
  CreateUserRequestDto,
  MemberDto,
  UserDto,
  WorkspaceDto,
} from './dto/teams.dto';
import {
  BrowserSessionOnly,
  InvitationForAnotherAccount,
  InvitationGone,
  InvitationNotFound,
  LastOwner,
  MailUnavailable,
  MemberNotFound,
  PasskeyNeededFirst,
  PasswordRequired,
  ResetTokenInvalid,
  RoleNotYours,
  SignInToAccept,
  UserEmailTaken,
} from './teams.exception';
import { MembershipRow, TeamsRepository, UserRow } from './teams.repository';

// OWASP's argon2id baseline, as for members.
const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const INVITATION_DAYS = 7;
const RESET_MINUTES = 60;

const sha256 = (token: string): Buffer => createHash('sha256').update(token).digest();
const newToken = (): string => randomBytes(32).toString('base64url');

/** The per-account throttle key of password-reset requests (so nobody floods an inbox). */
const resetAccountKey = (email: string): string => `user-reset:${email.trim().toLowerCase()}`;

export interface SignedInUser {
  userId: string;
  sessionId: string;
  token: string;
  csrfToken: string;
}

@Injectable()
export class TeamsService implements OnModuleInit {
  private readonly logger = new Logger(TeamsService.name);
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly repo: TeamsRepository,
    private readonly dataSource: DataSource,
    private readonly brands: BrandsService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditLog,
    private readonly mail: MailService,
    private readonly accountLimiter: AccountLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.sessions.registerSubjects({
      kind: 'brand',
      authenticate: (email, password) => this.authenticate(email, password),
      principal: (userId, sessionId) => this.principal(userId, sessionId),
      subjectOf: (p) => (p.kind === 'brand' && p.userId ? p.userId : null),
      describe: (userId, sessionId) => this.describe(userId, sessionId),
      started: (userId, sessionId, opts) => this.started(userId, sessionId, opts),
    });
    // A brand with a team may revoke its last API key: its people still sign in.
    this.brands.registerTeamCheck((brandId) => this.repo.hasMembers(brandId));
  }

  // ---- sign-in -------------------------------------------------------------------------------------------------

  async authenticate(email: string, password: string): Promise<string | null> {
    const user = await this.repo.userByEmail(email);
    // A dummy hash for unknown emails, so timing does not tell who has an account.
    const hash = user?.passwordHash ?? (await (this.dummyHash ??= argon2.hash('not-a-real-password', ARGON2)));
    const ok = await argon2.verify(hash, password).catch(() => false);
    return user && ok ? user.id : null;
  }

  /**
   * The principal of a brand user's session: the brand it points at, under the person's current role there (a
   * role change or removal takes effect on the next request). A session whose brand the person left falls back
   * to another of their brands; a brand that requires a second factor authorizes only sessions that proved one.
   */
  async principal(userId: string, sessionId: string): Promise<BrandPrincipal | null> {
    let sb = await this.repo.sessionBrand(sessionId, userId);
    if (!sb) {
      const first = (await this.repo.membershipsOf(userId))[0];
      if (!first) return null;
      await this.repo.setSessionBrand(sessionId, userId, first.brandId);
      sb = await this.repo.sessionBrand(sessionId, userId);
      if (!sb) return null;
    }
    if (sb.secondFactorRequired && !sb.secondFactorAt) return null;
    return { kind: 'brand', brandId: sb.brandId, role: sb.role, userId, sessionId };
  }

  private async started(
    userId: string,
    sessionId: string,
    opts: { secondFactor: boolean },
  ): Promise<{ secondFactorRequired?: boolean }> {
    const first = (await this.repo.membershipsOf(userId))[0];
    if (!first) return {};
    await this.repo.setSessionBrand(sessionId, userId, first.brandId);
    if (opts.secondFactor) await this.repo.markSecondFactor(sessionId, userId);
    const required = !opts.secondFactor && (await this.repo.secondFactorRequired(first.brandId));
    return required ? { secondFactorRequired: true } : {};
  }

  async describe(userId: string, sessionId: string): Promise<Omit<BrandSessionResponseDto, 'session' | 'csrfToken'>> {
    const user = await this.repo.userById(userId);
    if (!user) throw new AppException('unauthenticated', 'The account no longer exists');
    const brands = await this.workspaces(userId);
    const sb = await this.repo.sessionBrand(sessionId, userId);
    const brand = brands.find((b) => b.id === sb?.brandId) ?? brands[0];
    return { user: toUser(user), brand, brands };
  }

  private async workspaces(userId: string): Promise<WorkspaceDto[]> {
    const ms = await this.repo.membershipsOf(userId);
    const names = await this.brands.namesOf(ms.map((m) => m.brandId));
    return ms
      .filter((m) => names.has(m.brandId))
      .map((m) => ({ id: m.brandId, name: names.get(m.brandId)!, role: m.role }));
  }

  /** Agencies: the session acts for another of the person's brands from the next request on. */
  async switchBrand(
    p: BrandPrincipal,
    brandId: string,
  ): Promise<Omit<BrandSessionResponseDto, 'session' | 'csrfToken'>> {
    if (!p.userId || !p.sessionId) throw new BrowserSessionOnly();
    const ms = await this.repo.membershipsOf(p.userId);
    // Not a member: the same 404 as a brand that does not exist.
    if (!ms.some((m) => m.brandId === brandId)) throw new AppException('not_found', 'Brand not found');
    const current = await this.repo.sessionBrand(p.sessionId, p.userId);
    if (!current?.secondFactorAt && (await this.repo.secondFactorRequired(brandId)))
      throw new AppException('forbidden', 'This brand requires a passkey: sign in with your passkey to open it');
    await this.repo.setSessionBrand(p.sessionId, p.userId, brandId);
    return this.describe(p.userId, p.sessionId);
  }

  // ---- signup --------------------------------------------------------------------------------------------------

  async signup(
    dto: CreateUserRequestDto,
    userAgent?: string,
  ): Promise<{ created: CreatedSession; user: UserDto; brand: WorkspaceDto }> {
    const passwordHash = await argon2.hash(dto.password, ARGON2);
    let out: { user: UserRow; brand: WorkspaceDto };
    try {
      out = await this.dataSource.transaction(async (m) => {
        if (await this.repo.userByEmail(dto.email, m)) throw new UserEmailTaken();
        const brand = await this.brands.createBrandFor(m, dto.brandName, dto.email);
        const user = await this.repo.insertUser(m, dto.email, passwordHash, dto.name ?? null);
        await this.repo.insertMembership(m, brand.id, user.id, 'owner');
        await this.audit.record(m, {
          brandId: brand.id,
          action: 'brand.created',
          target: { type: 'brand', id: brand.id },
          actor: { kind: 'user', id: user.id },
        });
        return { user, brand: { id: brand.id, name: brand.name, role: 'owner' as const } };
      });
    } catch (err) {
      if (isUniqueViolation(err) && constraintOf(err) === 'users_email_lower_uq') throw new UserEmailTaken();
      throw err;
    }
    const created = await this.sessions.start('brand', out.user.id, userAgent);
    return { created, user: toUser(out.user), brand: out.brand };
  }

  /**
   * For the demo and operators' scripts: makes `email` an owner of an existing brand with this password (the
   * account is created or its password replaced). Not reachable over HTTP.
   */
  async provisionOwner(brandId: string, email: string, password: string, name: string): Promise<string> {
    const hash = await argon2.hash(password, ARGON2);
    return this.dataSource.transaction(async (m) => {
      let user = await this.repo.userByEmail(email, m);
      if (user) await this.repo.setPassword(m, user.id, hash);
      else user = await this.repo.insertUser(m, email, hash, name);
      if (!(await this.repo.insertMembership(m, brandId, user.id, 'owner')))
        await this.repo.setRole(m, brandId, user.id, 'owner');
      return user.id;
    });
  }

  // ---- members -------------------------------------------------------------------------------------------------

  async members(brandId: string): Promise<MemberDto[]> {
    return (await this.repo.members(brandId)).map((r) => ({
      userId: r.userId,
      email: r.email,
      name: r.name,
      role: r.role,
      joinedAt: r.createdAt.toISOString(),
    }));
  }

  async changeRole(caller: BrandPrincipal, userId: string, role: BrandRole): Promise<MemberDto> {
    await this.dataSource.transaction(async (m) => {
      const team = await this.repo.lockMembers(m, caller.brandId);
      const target = team.find((t) => t.userId === userId);
      if (!target) throw new MemberNotFound();
      if (target.role === role) return;
      if (!covers(caller.role, target.role) || !covers(caller.role, role))
        throw new RoleNotYours('Only owners make owners or change an owner’s role');
      if (target.role === 'owner' && ownersOf(team) === 1) throw new LastOwner();
      await this.repo.setRole(m, caller.brandId, userId, role);
      await this.audit.record(m, {
        brandId: caller.brandId,
        action: 'member.role_changed',
        target: { type: 'user', id: userId },
        changes: { role: { from: target.role, to: role } },
      });
    });
    const member = (await this.members(caller.brandId)).find((x) => x.userId === userId);
    if (!member) throw new MemberNotFound();
    return member;
  }

  /** Removes a member, or lets a person leave (any role may leave; only managers remove others). */
  async remove(caller: BrandPrincipal, userId: string): Promise<void> {
    const self = caller.userId === userId;
    if (!self && !can(caller.role, 'members.write'))
      throw new AppException('forbidden', `The ${caller.role} role may not remove members`);
    await this.dataSource.transaction(async (m) => {
      const team = await this.repo.lockMembers(m, caller.brandId);
      const target = team.find((t) => t.userId === userId);
      if (!target) throw new MemberNotFound();
      if (!self && !covers(caller.role, target.role)) throw new RoleNotYours('Only owners remove owners');
      if (target.role === 'owner' && ownersOf(team) === 1) throw new LastOwner();
      await this.repo.removeMember(m, caller.brandId, userId);
      await this.audit.record(m, {
        brandId: caller.brandId,
        action: self ? 'member.left' : 'member.removed',
        target: { type: 'user', id: userId },
        changes: { role: target.role },
      });
    });
  }

  // ---- invitations ---------------------------------------------------------------------------------------------

  async invite(caller: BrandPrincipal, email: string, role: BrandRole): Promise<CreateInvitationResponseDto> {
    const token = newToken();
    const inv = await this.dataSource.transaction(async (m) => {
      const team = await this.repo.lockMembers(m, caller.brandId);
      // A brand made through the API (keys only) gets its first owner from an admin key; after that only owners.
      const bootstrap = role === 'owner' && ownersOf(team) === 0;
      if (!covers(caller.role, role) && !bootstrap) throw new RoleNotYours('Only owners invite owners');
      const existing = await this.repo.userByEmail(email, m);
      if (existing && team.some((t) => t.userId === existing.id))
        throw new AppException('conflict', 'This person is already in the team');
      const row = await this.repo.insertInvitation(m, {
        brandId: caller.brandId,
        email,
        role,
        tokenHash: sha256(token),
        invitedBy: caller.userId ?? null,
        days: INVITATION_DAYS,
      });
      await this.audit.record(m, {
        brandId: caller.brandId,
        action: 'member.invited',
        target: { type: 'invitation', id: row.id },
        changes: { role },
      });
      return row;
    });
    const acceptUrl = `${this.config.publicBaseUrl.replace(/\/$/, '')}/console/invitations/${token}`;
    const brandName = (await this.brands.namesOf([caller.brandId])).get(caller.brandId) ?? 'a brand';
    try {
      await this.mail.send({
        to: email,
        subject: `You are invited to ${brandName} on Sway`,
        text:
          `You have been invited to join ${brandName} on Sway as ${role}.\n\n` +
          `Accept the invitation: ${acceptUrl}\n\nThe link works once and expires in ${INVITATION_DAYS} days. ` +
          `If you did not expect this, ignore this email.`,
        messageId: this.mail.messageIdFor(`invitation.${inv.id}`),
      });
    } catch (err) {
      // An invitation nobody received is withdrawn, so the inviter's retry is a clean new one.
      await this.repo.deleteInvitation(inv.id);
      if (err instanceof MailRejectedError)
        throw new AppException('unprocessable', 'The mail server refused this address', [
          { field: 'email', message: 'refused by the mail server' },
        ]);
      this.logger.warn(`invitation mail not sent: ${(err as Error).message}`);
      throw new MailUnavailable();
    }
    return {
      invitation: {
        id: inv.id,
        email: inv.email,
        role: inv.role,
        expiresAt: inv.expiresAt.toISOString(),
        // Without SMTP the link only went to the log (addressless): the inviter passes it on.
        ...(this.mail.configured ? {} : { acceptUrl }),
      },
    };
  }

  /**
   * Accepts an invitation: a signed-in person joins with their account (it must be the invited address); an
   * existing account not signed in proves itself with its password; a new address creates the account.
   */
  async accept(
    token: string,
    dto: AcceptInvitationRequestDto,
    signedIn: SignedInUser | null,
    userAgent?: string,
  ): Promise<{ created: CreatedSession; user: UserDto; brand: WorkspaceDto }> {
    const newHash = dto.password ? await argon2.hash(dto.password, ARGON2) : null;
    const joined = await this.dataSource.transaction(async (m) => {
      const inv = await this.repo.lockInvitation(m, sha256(token));
      if (!inv) throw new InvitationNotFound();
      if (inv.acceptedAt) throw new InvitationGone('used');
      if (inv.expiresAt.getTime() <= Date.now()) throw new InvitationGone('expired');
      const existing = await this.repo.userByEmail(inv.email, m);
      let user: UserRow;
      if (signedIn) {
        if (!existing || existing.id !== signedIn.userId) throw new InvitationForAnotherAccount();
        user = existing;
      } else if (existing) {
        if (!dto.password) throw new SignInToAccept();
        const locked = await this.sessions.lockedFor('brand', inv.email);
        if (locked > 0)
          throw new AppException('rate_limited', `Too many failed sign-ins; try again in ${locked} s`, undefined, {
            'retry-after': String(locked),
          });
        if (!(await argon2.verify(existing.passwordHash, dto.password).catch(() => false))) {
          await this.sessions.recordFailure('brand', inv.email);
          throw new SignInToAccept();
        }
        user = existing;
      } else {
        if (!newHash) throw new PasswordRequired();
        user = await this.repo.insertUser(m, inv.email, newHash, dto.name ?? null);
      }
      await this.repo.insertMembership(m, inv.brandId, user.id, inv.role);
      await this.repo.markAccepted(m, inv.id);
      await this.audit.record(m, {
        brandId: inv.brandId,
        action: 'member.joined',
        target: { type: 'user', id: user.id },
        changes: { role: inv.role, invitationId: inv.id },
        actor: { kind: 'user', id: user.id },
      });
      return { user, brandId: inv.brandId };
    });
    let created: CreatedSession;
    if (signedIn) {
      await this.repo.setSessionBrand(signedIn.sessionId, joined.user.id, joined.brandId);
      const current = await this.sessions.current(signedIn.token);
      created = { token: signedIn.token, body: { session: current.session, csrfToken: current.csrfToken } };
    } else {
      created = await this.sessions.start('brand', joined.user.id, userAgent);
      await this.repo.setSessionBrand(created.body.session.id, joined.user.id, joined.brandId);
      const owes = await this.repo.secondFactorRequired(joined.brandId);
      created.body.secondFactorRequired = owes || undefined;
    }
    const brand = (await this.workspaces(joined.user.id)).find((w) => w.id === joined.brandId)!;
    return { created, user: toUser(joined.user), brand };
  }

  // ---- password reset ------------------------------------------------------------------------------------------

  /** Always the same answer, so the route does not tell who has an account; throttled per address. */
  async requestPasswordReset(email: string): Promise<void> {
    await this.accountLimiter.attempt(resetAccountKey(email));
    const user = await this.repo.userByEmail(email);
    if (!user) return;
    const token = newToken();
    await this.dataSource.transaction((m) => this.repo.insertReset(m, sha256(token), user.id, RESET_MINUTES));
    const url = `${this.config.publicBaseUrl.replace(/\/$/, '')}/console/password-reset/${token}`;
    try {
      await this.mail.send({
        to: user.email,
        subject: 'Reset your Sway password',
        text:
          `Someone (hopefully you) asked to reset the password of your Sway brand account.\n\n` +
          `Choose a new password: ${url}\n\nThe link works once and expires in ${RESET_MINUTES} minutes. ` +
          `If you did not ask, ignore this email: your password stays as it is.`,
      });
    } catch (err) {
      // Same answer either way (no account enumeration); the person can ask again.
      this.logger.warn(`password reset mail not sent: ${(err as Error).message}`);
    }
  }

  /** Sets the new password, ends every session of the account and every other reset link. */
  async confirmPasswordReset(token: string, password: string): Promise<void> {
    const hash = await argon2.hash(password, ARGON2);
    const userId = await this.dataSource.transaction(async (m) => {
      const id = await this.repo.useReset(m, sha256(token));
      if (!id) throw new ResetTokenInvalid();
      await this.repo.setPassword(m, id, hash);
      await this.repo.expireResets(m, id);
      return id;
    });
    await this.sessions.endAll('brand', userId);
    const user = await this.repo.userById(userId);
    if (user) await this.accountLimiter.succeeded(resetAccountKey(user.email));
  }

  // ---- brand security policy -----------------------------------------------------------------------------------

  async security(brandId: string): Promise<{ secondFactorRequired: boolean }> {
    return { secondFactorRequired: await this.repo.secondFactorRequired(brandId) };
  }

  async setSecurity(
    caller: BrandPrincipal,
    required: boolean,
    hasPasskey: (userId: string) => Promise<boolean>,
  ): Promise<{ secondFactorRequired: boolean }> {
    if (required && caller.userId && !(await hasPasskey(caller.userId))) throw new PasskeyNeededFirst();
    await this.dataSource.transaction(async (m: EntityManager) => {
      await this.repo.setSecondFactorRequired(m, caller.brandId, required);
      await this.audit.record(m, {
        brandId: caller.brandId,
        action: 'brand.security_changed',
        target: { type: 'brand', id: caller.brandId },
        changes: { secondFactorRequired: required },
      });
    });
    return { secondFactorRequired: required };
  }
}

function toUser(u: UserRow): UserDto {
  return { id: u.id, email: u.email, name: u.name };
}

function ownersOf(team: MembershipRow[]): number {
  return team.filter((t) => t.role === 'owner').length;
}
