import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { brandPseudonym } from '../common/privacy/pseudonym';
import * as argon2 from 'argon2';
import { DataSource, EntityManager } from 'typeorm';
import { AuthRegistry } from '../common/auth/auth.registry';
import { LinkedAccountView, LinkedAccountsRegistry } from '../common/accounts/linked-accounts.registry';
import { OutboxService } from '../common/outbox/outbox.service';
import { isUniqueViolation, constraintOf } from '../database/pg-errors';
import { TopicsService } from '../topics/topics.service';
import { isAdultOn } from './age';
import {
  ConsentsResponseDto,
  LinkSocialAccountRequestDto,
  LoginResponseDto,
  ProfileResponseDto,
  SignupRequestDto,
  SignupResponseDto,
  SocialAccountDto,
  TopicVisibilityDto,
  UpdateConsentsRequestDto,
  UpdateProfileRequestDto,
} from './dto/influencer.dto';
import { InfluencerTokens } from './influencer-tokens.service';
import {
  BadCredentials,
  EmailTaken,
  SocialAccountNotFound,
  SocialAccountTaken,
  UnderAge,
} from './influencers.exception';
import { ConsentRow, InfluencerRow, InfluencersRepository, SocialAccountRow } from './influencers.repository';
import './influencers.events';
import { AppException } from '../common/problem/app.exception';
import { ShippingAddress } from './entities/influencer.entity';
import { AccountLimiter } from '../common/rate-limit/account-limiter';
import { NotificationDirectory } from '../notifications/directory';
import { NotificationsService } from '../notifications/notifications.service';

/** Version of the privacy notice a consent was given under; bump when the notice text changes. */
const PRIVACY_NOTICE_VERSION = '2026-11-01';

// OWASP's argon2id baseline (19 MiB, 2 passes): slow for guessing, fast enough for a login per request.
const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function toProfile(r: InfluencerRow): ProfileResponseDto {
  return {
    id: r.id,
    email: r.email,
    displayName: r.displayName,
    country: r.country,
    createdAt: r.createdAt.toISOString(),
    shippingAddress: r.shippingAddress,
    adultVerifiedAt: r.adultVerifiedAt.toISOString(),
    consents: { matching: r.consentMatching, shareStatsWithBrands: r.consentShareStats },
  };
}

export interface BrandView {
  ref: string;
  displayName?: string;
  handles?: { network: string; handle: string }[];
}

export const toSocialAccount = (r: SocialAccountRow): SocialAccountDto => ({
  id: r.id,
  network: r.network,
  handle: r.handle,
  externalId: r.externalId,
  createdAt: r.createdAt.toISOString(),
});

export const toConsentHistory = (rows: ConsentRow[]): ConsentsResponseDto['history'] =>
  rows.map((c) => ({ purpose: c.purpose, granted: c.granted, at: c.at.toISOString(), noticeVersion: c.noticeVersion }));

/**
 * The per-account throttle key of a member's password login (`AccountLimiter`). Every route that checks a
 * member's password uses it, so they share one budget; emails compare case-insensitively, so do keys.
 */
function memberAccountKey(email: string): string {
  return `member:${email.trim().toLowerCase()}`;
}

@Injectable()
export class InfluencersService implements OnModuleInit {
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly repo: InfluencersRepository,
    private readonly dataSource: DataSource,
    private readonly tokens: InfluencerTokens,
    private readonly auth: AuthRegistry,
    private readonly outbox: OutboxService,
    private readonly topics: TopicsService,
    private readonly linked: LinkedAccountsRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accountLimiter: AccountLimiter,
    private readonly notifications: NotificationsService,
    private readonly directory: NotificationDirectory,
  ) {}

  onModuleInit(): void {
    this.directory.registerMembers(async (id) => {
      const r = await this.repo.findActive(id);
      return r?.email ? { email: r.email } : null;
    });
    // Every request re-checks that the member is active, so erasure cuts off a token that has not expired.
    this.auth.register({
      accepts: (t) => this.tokens.looksLikeToken(t),
      verify: async (t) => {
        const id = this.tokens.verify(t);
        return id && (await this.repo.isActive(id)) ? { kind: 'influencer', influencerId: id } : null;
      },
    });
  }

  async signup(dto: SignupRequestDto, today = new Date()): Promise<SignupResponseDto> {
    // Decided before anything touches the database: for a minor, nothing is stored, not even the email.
    if (!isAdultOn(dto.dateOfBirth, today)) throw new UnderAge();
    const passwordHash = await argon2.hash(dto.password, ARGON2);
    const matching = dto.consents?.matching ?? false;
    const shareStats = dto.consents?.shareStatsWithBrands ?? false;
    const row = await this.dataSource
      .transaction(async (m) => {
        const r = await this.repo.insert(m, {
          email: dto.email,
          displayName: dto.displayName,
          passwordHash,
          country: dto.country,
          matching,
          shareStats,
        });
        await this.repo.appendConsents(
          m,
          r.id,
          [
            { purpose: 'matching', granted: matching },
            { purpose: 'shareStatsWithBrands', granted: shareStats },
          ],
          PRIVACY_NOTICE_VERSION,
        );
        await this.repo.audit(m, r.id, 'signup', { matching, shareStatsWithBrands: shareStats });
        await this.notifications.memberJoined(m, r.id, dto.email, dto.notifications);
        return r;
      })
      .catch((err: unknown) => {
        if (isUniqueViolation(err) && constraintOf(err) === 'influencers_email_lower_uq') throw new EmailTaken();
        throw err;
      });
    return {
      influencer: {
        id: row.id,
        email: row.email,
        displayName: row.displayName,
        country: row.country,
        createdAt: row.createdAt.toISOString(),
      },
      accessToken: this.tokens.sign(row.id),
      expiresIn: this.tokenTtl(),
    };
  }

  async login(email: string, password: string): Promise<LoginResponseDto> {
    // Before any lookup, so a locked account costs no argon2 verification and an unknown email is throttled alike.
    await this.accountLimiter.attempt(memberAccountKey(email));
    const id = await this.authenticate(email, password);
    if (!id) throw new BadCredentials();
    await this.accountLimiter.succeeded(memberAccountKey(email));
    return { accessToken: this.tokens.sign(id), expiresIn: this.tokenTtl() };
  }

  /**
   * The active member's id when the password matches, else null. Browser sessions sign in through this too, with
   * their own per-account lockout (src/sessions), so the token login's limiter is not counted twice.
   */
  async authenticate(email: string, password: string): Promise<string | null> {
    const creds = await this.repo.credentialsByEmail(email);
    // Verify against a dummy hash for unknown emails, so timing does not tell which emails are members.
    const hash = creds?.passwordHash ?? (await (this.dummyHash ??= argon2.hash('not-a-real-password', ARGON2)));
    const ok = await argon2.verify(hash, password).catch(() => false);
    return creds && ok ? creds.id : null;
  }

  /** False once the member asked for erasure: credentials of every kind stop working at that moment. */
  isActive(id: string): Promise<boolean> {
    return this.repo.isActive(id);
  }

  async profile(id: string): Promise<ProfileResponseDto> {
    return toProfile(await this.mustBeActive(id));
  }

  async updateProfile(id: string, dto: UpdateProfileRequestDto): Promise<ProfileResponseDto> {
    await this.dataSource.transaction((m) => this.repo.updateProfile(m, id, dto));
    return this.profile(id);
  }

  async consents(id: string): Promise<ConsentsResponseDto> {
    const r = await this.mustBeActive(id);
    return {
      matching: r.consentMatching,
      shareStatsWithBrands: r.consentShareStats,
      history: toConsentHistory(await this.repo.consentHistory(id)),
    };
  }

  async updateConsents(id: string, dto: UpdateConsentsRequestDto): Promise<ConsentsResponseDto> {
    await this.dataSource.transaction(async (m) => {
      const cur = await this.repo.lockActive(m, id);
      if (!cur) throw new AppException('unauthenticated', 'Unknown member');
      const matching = dto.matching ?? cur.consentMatching;
      const shareStats = dto.shareStatsWithBrands ?? cur.consentShareStats;
      // Only changes enter the ledger: re-sending the current state is not a new grant.
      const changes: { purpose: ConsentRow['purpose']; granted: boolean }[] = [];
      if (matching !== cur.consentMatching) changes.push({ purpose: 'matching', granted: matching });
      if (shareStats !== cur.consentShareStats) changes.push({ purpose: 'shareStatsWithBrands', granted: shareStats });
      if (!changes.length) return;
      await this.repo.setConsentState(m, id, matching, shareStats);
      await this.repo.appendConsents(m, id, changes, PRIVACY_NOTICE_VERSION);
      for (const c of changes) {
        await this.repo.audit(m, id, 'consent_changed', { purpose: c.purpose, granted: c.granted });
        await this.notifications.record(m, {
          to: { kind: 'member', id },
          kind: 'consent_changed',
          key: `consent:${id}:${c.purpose}:${Date.now()}`,
          params: { purpose: c.purpose, granted: c.granted, at: new Date().toISOString() },
        });
      }
      if (cur.consentMatching && !matching) await this.publishMatchingWithdrawn(m, id, 'consent_withdrawn');
      // Offers follow within seconds, not at the next sweep (issue #18).
      if (!cur.consentMatching && matching)
        await this.outbox.publish(m, 'member.matching_granted', { influencerId: id });
    });
    return this.consents(id);
  }

  /** Whether the member is active and has given `matching` consent: connectors fetch nothing otherwise. */
  async hasMatchingConsent(id: string): Promise<boolean> {
    const r = await this.repo.findActive(id);
    return !!r && r.consentMatching;
  }

  /** Pending offers are withdrawn by the matching context when it consumes this. */
  async publishMatchingWithdrawn(m: EntityManager, id: string, reason: 'consent_withdrawn' | 'erased'): Promise<void> {
    await this.outbox.publish(m, 'member.matching_withdrawn', { influencerId: id, reason });
  }

  async linkSocialAccount(id: string, dto: LinkSocialAccountRequestDto): Promise<SocialAccountDto> {
    try {
      return toSocialAccount(
        await this.dataSource.transaction(async (m) => {
          const row = await this.repo.insertSocialAccount(m, id, dto);
          await this.repo.audit(m, id, 'social_account_linked', { network: dto.network, accountId: row.id });
          await this.accountChanged(m, id, 'linked', dto.network, row.id);
          return row;
        }),
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw new SocialAccountTaken();
      throw err;
    }
  }

  /** Declared accounts, then those verified by a connector (which add their sync state). */
  async socialAccounts(id: string): Promise<(SocialAccountDto | LinkedAccountView)[]> {
    const own: (SocialAccountDto | LinkedAccountView)[] = (await this.repo.socialAccounts(id)).map(toSocialAccount);
    for (const p of this.linked.all()) own.push(...(await p.list(id)));
    return own;
  }

  async unlinkSocialAccount(id: string, accountId: string): Promise<void> {
    const removed = await this.dataSource.transaction(async (m) => {
      const row = await this.repo.deleteSocialAccount(m, id, accountId);
      if (row) {
        await this.repo.audit(m, id, 'social_account_unlinked', { network: row.network, accountId });
        await this.accountChanged(m, id, 'unlinked', row.network, accountId);
      }
      return !!row;
    });
    if (removed) return;
    for (const p of this.linked.all()) {
      if (await p.unlink(id, accountId)) {
        await this.dataSource.transaction(async (m) => {
          await this.repo.audit(m, id, 'social_account_unlinked', { provider: p.name, accountId });
          await this.accountChanged(m, id, 'unlinked', p.name, accountId);
        });
        return;
      }
    }
    throw new SocialAccountNotFound();
  }

  /** A security notice: linking or removing an account is how a takeover would start. */
  private accountChanged(
    m: EntityManager,
    id: string,
    change: 'linked' | 'unlinked',
    network: string,
    accountId: string,
  ) {
    return this.notifications.record(m, {
      to: { kind: 'member', id },
      kind: 'account_changed',
      key: `account:${accountId}:${change}`,
      params: { change, network, at: new Date().toISOString() },
    });
  }

  async setTopicHidden(id: string, slug: string, hidden: boolean): Promise<TopicVisibilityDto> {
    const topic = await this.topics.get(slug);
    const topicId = await this.topics.idOf(topic.slug);
    await this.dataSource.transaction(async (m) => {
      await this.repo.setTopicHidden(m, id, topicId, hidden);
      if (!hidden) await this.outbox.publish(m, 'member.topic_unhidden', { influencerId: id, topicId });
    });
    return { slug: topic.slug, hidden };
  }

  /**
   * How each member appears to one brand: a per-brand pseudonym always; display name and handles only with
   * `shareStatsWithBrands` (and never after erasure).
   */
  /** The member's shipping address, for a product claim in the caller's transaction. */
  shippingAddressOf(m: EntityManager, id: string): Promise<ShippingAddress | null> {
    return this.repo.shippingAddressOf(m, id);
  }

  /** For keyed hashing at claim time (the self-referral rule); callers never store it. */
  emailOf(m: EntityManager, id: string): Promise<string | null> {
    return this.repo.emailOf(m, id);
  }

  async brandViews(brandId: string, ids: string[]): Promise<Map<string, BrandView>> {
    const unique = [...new Set(ids)];
    const out = new Map<string, BrandView>();
    if (!unique.length) return out;
    for (const r of await this.repo.sharingProfiles(unique)) {
      const ref = brandPseudonym(this.config.hashSecret, brandId, r.id);
      out.set(r.id, r.shares ? { ref, displayName: r.displayName ?? undefined, handles: r.handles } : { ref });
    }
    return out;
  }

  private async mustBeActive(id: string): Promise<InfluencerRow> {
    const r = await this.repo.findActive(id);
    // The guard checked the member a moment ago; only a concurrent erasure gets here.
    if (!r) throw new AppException('unauthenticated', 'Unknown member');
    return r;
  }

  private tokenTtl(): number {
    return this.tokens.ttlSeconds;
  }
}
