import { DataSource } from 'typeorm';
import { NotificationsService } from '../notifications/notifications.service';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { AuthRegistry } from '../common/auth/auth.registry';
import { Principal } from '../common/auth/principal';
import { PrivacyRegistry } from '../common/privacy/privacy.registry';
import { APP_CONFIG, AppConfig } from '../config/config';
import { InfluencersService } from '../influencers/influencers.service';
import {
  CreateSessionResponseDto,
  CurrentSessionResponseDto,
  SessionDto,
  SessionListResponseDto,
} from './dto/session.dto';
import { SessionKind } from './entities/session.entity';
import { memberSubjects } from './member-subjects';
import { SessionSubjects } from './session-subjects';
import {
  NoBrowserSession,
  SessionAccountLocked,
  SessionBadCredentials,
  SessionKindUnavailable,
  SessionNotFound,
} from './sessions.exception';
import { SessionsRepository } from './sessions.repository';

/** A session not used for this long ends (a forgotten tab on a shared computer). */
const SESSION_IDLE_SECONDS = 12 * 3600;
/** However active, a session ends after this; the person signs in again. */
export const SESSION_ABSOLUTE_SECONDS = 14 * 86_400;
/** Failures per account before each further one locks it, with doubling waits (see the repository). */
const FREE_LOGIN_FAILURES = 5;

export interface CreatedSession {
  /** The opaque cookie value; exists only in the reply, never stored. */
  token: string;
  body: CreateSessionResponseDto;
}

@Injectable()
export class SessionsService implements OnModuleInit {
  private readonly subjects = new Map<SessionKind, SessionSubjects>();

  constructor(
    private readonly repo: SessionsRepository,
    private readonly auth: AuthRegistry,
    private readonly privacy: PrivacyRegistry,
    private readonly influencers: InfluencersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.registerSubjects(memberSubjects(this.influencers));
    this.auth.registerSessions({ verify: (t) => this.verify(t) });
    // Erasure ends the member's sessions (they already stop at once: the subject check fails) and removes them.
    this.privacy.register({
      name: 'sessions',
      export: (id, m) => this.repo.exportFor('member', id, m),
      erase: (id, m) => this.repo.deleteFor('member', id, m),
    });
  }

  /** Brand users plug in here (console), with their own authenticate and principal. */
  registerSubjects(s: SessionSubjects): void {
    this.subjects.set(s.kind, s);
  }

  get cookieSecure(): boolean {
    return this.config.publicBaseUrl.startsWith('https:');
  }

  async create(kind: SessionKind, email: string, password: string, userAgent?: string): Promise<CreatedSession> {
    const subjects = this.subjects.get(kind);
    if (!subjects) throw new SessionKindUnavailable(kind);
    const key = this.accountKey(kind, email);
    // Checked before the password, so a locked account cannot be guessed at during its lock.
    const locked = await this.repo.lockedFor(key);
    if (locked > 0) throw new SessionAccountLocked(locked);
    const subjectId = await subjects.authenticate(email, password);
    if (!subjectId) {
      const lockedNow = await this.repo.recordFailure(key, FREE_LOGIN_FAILURES);
      if (lockedNow > 0) throw new SessionAccountLocked(lockedNow);
      throw new SessionBadCredentials();
    }
    await this.repo.clearFailures(key);
    return this.start(kind, subjectId, userAgent);
  }

  /**
   * A session for a subject whose identity was proved another way (a signup that just set the password, an
   * accepted invitation, a passkey). `secondFactor`: the proof was a passkey, so no second factor is owed.
   */
  async start(
    kind: SessionKind,
    subjectId: string,
    userAgent?: string,
    opts: { secondFactor: boolean } = { secondFactor: false },
  ): Promise<CreatedSession> {
    const subjects = this.subjects.get(kind);
    if (!subjects) throw new SessionKindUnavailable(kind);
    const token = randomBytes(32).toString('base64url');
    const row = await this.repo.insert({
      tokenHash: this.hash(token),
      kind,
      subjectId,
      userAgent: userAgent ? userAgent.slice(0, 200) : null,
      absoluteSeconds: SESSION_ABSOLUTE_SECONDS,
    });
    // A security notice when the browser is new to this member (brand users: not yet, see docs/notifications.md).
    if (kind === 'member')
      await this.dataSource.transaction((m) => this.notifications.signedIn(m, subjectId, userAgent ?? null));
    const extra = subjects.started ? await subjects.started(subjectId, row.id, opts) : {};
    return {
      token,
      body: { session: SessionDto.fromRow(row, SESSION_IDLE_SECONDS), csrfToken: this.csrf(token), ...extra },
    };
  }

  /** The live session row behind a cookie, whatever its principal says (a session still owing a second factor). */
  async sessionOf(
    token: string | null,
  ): Promise<{ id: string; kind: SessionKind; subjectId: string; csrfToken: string } | null> {
    if (!token) return null;
    const row = await this.repo.findLive(this.hash(token), SESSION_IDLE_SECONDS);
    return row ? { id: row.id, kind: row.kind, subjectId: row.subjectId, csrfToken: this.csrf(token) } : null;
  }

  /** Ends every session of a subject (a password reset: whoever knew the old password is signed out). */
  async endAll(kind: SessionKind, subjectId: string): Promise<void> {
    await this.repo.revoke(kind, subjectId);
  }

  /** Fails the sign-in of an account after a failed check done elsewhere (a passkey), with the same lockout. */
  async lockedFor(kind: SessionKind, email: string): Promise<number> {
    return this.repo.lockedFor(this.accountKey(kind, email));
  }

  async recordFailure(kind: SessionKind, email: string): Promise<number> {
    return this.repo.recordFailure(this.accountKey(kind, email), FREE_LOGIN_FAILURES);
  }

  /** The AuthGuard's view of a cookie: the principal and the CSRF token that must accompany changes. */
  async verify(token: string): Promise<{ principal: Principal; csrfToken: string } | null> {
    const row = await this.repo.findLive(this.hash(token), SESSION_IDLE_SECONDS);
    if (!row) return null;
    const principal = await this.subjects.get(row.kind)?.principal(row.subjectId, row.id);
    if (!principal) return null;
    await this.repo.touch(row.id);
    return { principal, csrfToken: this.csrf(token) };
  }

  async current(token: string | null): Promise<CurrentSessionResponseDto> {
    const row = token ? await this.repo.findLive(this.hash(token), SESSION_IDLE_SECONDS) : null;
    const subjects = row && this.subjects.get(row.kind);
    if (!row || !token || !subjects || !(await subjects.principal(row.subjectId, row.id))) throw new NoBrowserSession();
    return {
      session: SessionDto.fromRow(row, SESSION_IDLE_SECONDS),
      csrfToken: this.csrf(token),
      ...(await subjects.describe(row.subjectId, row.id)),
    };
  }

  async list(p: Principal): Promise<SessionListResponseDto> {
    const { kind, subjectId } = this.subjectOf(p);
    const rows = await this.repo.listLive(kind, subjectId, SESSION_IDLE_SECONDS);
    const current = 'sessionId' in p ? p.sessionId : undefined;
    return {
      data: rows.map((r) => ({ ...SessionDto.fromRow(r, SESSION_IDLE_SECONDS), current: r.id === current })),
      nextCursor: null,
    };
  }

  async signOut(p: Principal): Promise<void> {
    const sessionId = 'sessionId' in p ? p.sessionId : undefined;
    if (!sessionId) throw new NoBrowserSession();
    const { kind, subjectId } = this.subjectOf(p);
    await this.repo.revoke(kind, subjectId, sessionId);
  }

  async revoke(p: Principal, sessionId: string): Promise<void> {
    const { kind, subjectId } = this.subjectOf(p);
    if ((await this.repo.revoke(kind, subjectId, sessionId)) === 0) throw new SessionNotFound();
  }

  async signOutEverywhere(p: Principal): Promise<void> {
    const { kind, subjectId } = this.subjectOf(p);
    await this.repo.revoke(kind, subjectId);
  }

  private subjectOf(p: Principal): { kind: SessionKind; subjectId: string } {
    for (const s of this.subjects.values()) {
      const subjectId = s.subjectOf(p);
      if (subjectId) return { kind: s.kind, subjectId };
    }
    throw new NoBrowserSession();
  }

  private hash(token: string): Buffer {
    return createHash('sha256').update(token).digest();
  }

  /** Derived from the session's secret, so it needs no storage and dies with the session. */
  private csrf(token: string): string {
    return createHmac('sha256', this.config.hashSecret).update(`csrf:${token}`).digest('base64url');
  }

  private accountKey(kind: SessionKind, email: string): Buffer {
    return createHmac('sha256', this.config.hashSecret).update(`login:${kind}:${email.trim().toLowerCase()}`).digest();
  }
}
