import { createHmac } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { OutboxService } from '../common/outbox/outbox.service';
import { decodeCursor, toPage } from '../common/pagination/pagination';
import { PrivacyRegistry } from '../common/privacy/privacy.registry';
import { AppException } from '../common/problem/app.exception';
import { NotificationListDto, NotificationListQueryDto, NotificationPreferencesDto } from './dto/notifications.dto';
import {
  BRAND_DIGEST_KINDS,
  BrandKind,
  DeliveryMode,
  MemberKind,
  NO_PREFERENCES,
  NotificationKind,
  OFFER_REMINDER_HOURS,
  PREFERENCE_KEYS,
  PREFERENCE_OF,
  Preferences,
  RecipientKind,
  isBrandKind,
  isMemberKind,
} from './notification-kinds';
import { deliverMessage, offersMadeMessage } from './notifications.queue';
import { Params, contentOf } from './templates';
import { addressHash, verifyUnsubscribe } from './unsubscribe-token';
import type { EmailState } from './entities/notification.entity';

export type Recipient = { kind: 'member'; id: string } | { kind: 'brand'; id: string };

export interface NewNotification {
  to: Recipient;
  kind: NotificationKind;
  /** The fact it reports, unique: recording the same fact twice (a retried job) makes one notification. */
  key: string;
  /** What the recipient may see and nothing more; a brand's mail names members by the brand's pseudonym. */
  params: Params;
}

const stateFor = (mode: DeliveryMode): EmailState =>
  mode === 'instant' ? 'queued' : mode === 'daily' ? 'digest' : 'none';

interface OfferRow {
  offerId: string;
  influencerId: string;
  campaignId: string;
  perkTitle: string;
  brandName: string | null;
  expiresAt: Date;
  mode: DeliveryMode | null;
}

/**
 * The producers' entry point (call it in the transaction of the fact: the notification and its mail job commit
 * with it) and the recipients' API. Imports no business context, so any context can import it.
 */
@Injectable()
export class NotificationsService implements OnModuleInit {
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly privacy: PrivacyRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.privacy.register({
      name: 'notifications',
      export: (id, m) => this.exportFor(id, m),
      erase: (id, m) => this.eraseFor(id, m),
    });
  }

  // ---- producers ----

  async record(m: EntityManager, n: NewNotification): Promise<string | null> {
    const state = await this.stateOf(m, n.to, n.kind);
    if (state === null) return null;
    const title = contentOf(n.kind, n.params).subject;
    const rows: { id: string }[] = await m.query(
      `INSERT INTO notifications.notifications (recipient_kind, recipient_id, kind, fact_key, params, title, email_state)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)
       ON CONFLICT (fact_key) DO NOTHING RETURNING id`,
      [n.to.kind, n.to.id, n.kind, n.key, JSON.stringify(n.params), title, state],
    );
    const id = rows[0]?.id ?? null;
    if (id && state === 'queued') await this.outbox.enqueue(m, deliverMessage(id));
    return id;
  }

  /** The mail state a new notification starts in; null when it must not exist at all (an erased member). */
  private async stateOf(m: EntityManager, to: Recipient, kind: NotificationKind): Promise<EmailState | null> {
    if (to.kind === 'member') {
      if (!isMemberKind(kind)) throw new Error(`${kind} is not a member notification`);
      const [active] = await m.query(`SELECT 1 FROM influencers.active_members WHERE id = $1`, [to.id]);
      if (!active) return null;
      const pref = PREFERENCE_OF[kind];
      if (!pref) return 'queued';
      return stateFor((await this.preferencesIn(m, to.id))[pref]);
    }
    if (!isBrandKind(kind)) throw new Error(`${kind} is not a brand notification`);
    const [out] = await m.query(`SELECT 1 FROM notifications.brand_opt_outs WHERE brand_id = $1 AND kind = $2`, [
      to.id,
      kind,
    ]);
    if (out) return 'none';
    return BRAND_DIGEST_KINDS.includes(kind) ? 'digest' : 'queued';
  }

  /** A brand notice about one campaign (its brand and name from `campaigns.campaign_facts`). */
  async campaignNotice(
    m: EntityManager,
    kind: BrandKind,
    campaignId: string,
    key: string,
    extra: Params = {},
  ): Promise<string | null> {
    const [c] = await m.query(`SELECT brand_id AS "brandId", name FROM campaigns.campaign_facts WHERE id = $1`, [
      campaignId,
    ]);
    if (!c) return null;
    return this.record(m, {
      to: { kind: 'brand', id: c.brandId },
      kind,
      key,
      params: { campaignId, campaignName: c.name, ...extra },
    });
  }

  /**
   * A matching wave made offers: in the wave's transaction only the outbox message, so the wave neither writes a
   * notification per offer nor holds its locks while it does (~0.65 s of a 10,000-offer wave, bench/README.md);
   * the job then writes them all in its own transaction. Nothing is lost: the message commits with the offers.
   */
  async offersMade(m: EntityManager, campaignId: string): Promise<void> {
    await this.outbox.enqueue(m, offersMadeMessage(campaignId));
  }

  /**
   * The campaign's pending offers that have no notification yet (set-based: one read, one insert, however many
   * offers its waves made). Idempotent: a second job, or one re-delivered, finds nothing left; two at once insert
   * each offer's row once (unique fact key).
   */
  async notifyOffersMade(campaignId: string): Promise<number> {
    return this.dataSource.transaction((m) => this.offerNotifications(m, campaignId));
  }

  private async offerNotifications(m: EntityManager, campaignId: string): Promise<number> {
    const rows: OfferRow[] = await m.query(
      `SELECT o.id AS "offerId", o.influencer_id AS "influencerId", o.campaign_id AS "campaignId",
              c.perk_title AS "perkTitle", b.name AS "brandName", o.expires_at AS "expiresAt", p.offers AS mode
       FROM matching.offer_facts o
       JOIN campaigns.campaign_facts c ON c.id = o.campaign_id
       LEFT JOIN brands.brand_names b ON b.id = c.brand_id
       JOIN influencers.active_members a ON a.id = o.influencer_id
       LEFT JOIN notifications.member_preferences p ON p.member_id = o.influencer_id
       WHERE o.campaign_id = $1 AND o.status = 'pending' AND o.expires_at > now()
         AND NOT EXISTS (SELECT 1 FROM notifications.notifications n WHERE n.fact_key = 'offer:' || o.id::text)`,
      [campaignId],
    );
    return this.insertOfferNotifications(m, rows, 'offer_created', 'offer');
  }

  /** Offers that expire within the next 12 h and were not reminded of yet: the one reminder each. */
  async remindExpiring(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const rows: OfferRow[] = await m.query(
        `SELECT o.id AS "offerId", o.influencer_id AS "influencerId", o.campaign_id AS "campaignId",
                c.perk_title AS "perkTitle", b.name AS "brandName", o.expires_at AS "expiresAt",
                p.offer_expiring AS mode
         FROM matching.offer_facts o
         JOIN campaigns.campaign_facts c ON c.id = o.campaign_id
         LEFT JOIN brands.brand_names b ON b.id = c.brand_id
         JOIN influencers.active_members a ON a.id = o.influencer_id
         LEFT JOIN notifications.member_preferences p ON p.member_id = o.influencer_id
         WHERE o.status = 'pending' AND o.expires_at > now()
           AND o.expires_at <= now() + make_interval(hours => $1)
           -- An offer that lived less than the reminder window at birth had its expiry in the first mail.
           AND o.created_at < o.expires_at - make_interval(hours => $1)
           AND NOT EXISTS (SELECT 1 FROM notifications.notifications n WHERE n.fact_key = 'offer-expiring:' || o.id::text)
         LIMIT 5000`,
        [OFFER_REMINDER_HOURS],
      );
      return this.insertOfferNotifications(m, rows, 'offer_expiring', 'offer-expiring');
    });
  }

  private async insertOfferNotifications(
    m: EntityManager,
    rows: OfferRow[],
    kind: MemberKind,
    prefix: string,
  ): Promise<number> {
    if (!rows.length) return 0;
    const items = rows.map((r) => {
      const params = {
        offerId: r.offerId,
        campaignId: r.campaignId,
        perkTitle: r.perkTitle,
        brandName: r.brandName,
        expiresAt: new Date(r.expiresAt).toISOString(),
      };
      return {
        recipient_id: r.influencerId,
        fact_key: `${prefix}:${r.offerId}`,
        params,
        title: contentOf(kind, params).subject,
        email_state: stateFor(r.mode ?? 'off'),
      };
    });
    const inserted: { id: string; email_state: EmailState }[] = await m.query(
      `INSERT INTO notifications.notifications (recipient_kind, recipient_id, kind, fact_key, params, title, email_state)
       SELECT 'member', x.recipient_id, $2, x.fact_key, x.params, x.title, x.email_state
       FROM jsonb_to_recordset($1::jsonb) AS x(recipient_id uuid, fact_key text, params jsonb, title text, email_state text)
       ON CONFLICT (fact_key) DO NOTHING RETURNING id, email_state`,
      [JSON.stringify(items), kind],
    );
    const due = inserted.filter((r) => r.email_state === 'queued').map((r) => deliverMessage(r.id));
    for (let i = 0; i < due.length; i += 500) await this.outbox.enqueue(m, ...due.slice(i, i + 500));
    return inserted.length;
  }

  /**
   * A member signed in: a security notice when the browser is one we have not seen for them. The first sign-in
   * ever only remembers it (it is the device they signed up on, or their only one).
   */
  async signedIn(m: EntityManager, memberId: string, userAgent: string | null): Promise<void> {
    const device = createHmac('sha256', this.config.hashSecret)
      .update(`device:${memberId}:${(userAgent ?? '').slice(0, 200)}`)
      .digest();
    const [known] = await m.query(
      `SELECT count(*)::int AS n, bool_or(device_hash = $3) AS seen FROM notifications.known_devices
       WHERE subject_kind = $1 AND subject_id = $2`,
      ['member', memberId, device],
    );
    if (known.seen) return;
    await m.query(
      `INSERT INTO notifications.known_devices (subject_kind, subject_id, device_hash) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      ['member', memberId, device],
    );
    if (known.n === 0) return;
    const at = new Date().toISOString();
    await this.record(m, {
      to: { kind: 'member', id: memberId },
      kind: 'signin_new_device',
      key: `signin:${memberId}:${device.toString('hex').slice(0, 24)}`,
      params: { at, device: describeAgent(userAgent) },
    });
  }

  /**
   * Called in the erasure request's transaction, while the address is still known: the member's notifications
   * go, the address is suppressed, and one last notice is queued with the address on its own row (deleted once
   * sent). Nothing else can reach the member after this.
   */
  async erasureRequested(m: EntityManager, memberId: string, email: string | null): Promise<void> {
    await this.eraseFor(memberId, m);
    if (!email) return;
    await m.query(
      `INSERT INTO notifications.suppressions (address_hash, reason) VALUES ($1, 'erased')
       ON CONFLICT (address_hash) DO NOTHING`,
      [addressHash(this.config.hashSecret, email)],
    );
    const params = { at: new Date().toISOString() };
    const rows: { id: string }[] = await m.query(
      `INSERT INTO notifications.notifications
         (recipient_kind, recipient_id, kind, fact_key, params, title, email_state, address)
       VALUES ('member', $1, 'erasure_requested', $2, $3::jsonb, $4, 'queued', $5)
       ON CONFLICT (fact_key) DO NOTHING RETURNING id`,
      [memberId, `erasure:${memberId}`, JSON.stringify(params), contentOf('erasure_requested', params).subject, email],
    );
    if (rows[0]) await this.outbox.enqueue(m, deliverMessage(rows[0].id));
  }

  /** Signup's answers (in its transaction). A returning address that was suppressed by an erasure is mailable again. */
  async memberJoined(m: EntityManager, memberId: string, email: string, prefs: NotificationPreferencesDto | undefined) {
    await m.query(`DELETE FROM notifications.suppressions WHERE address_hash = $1 AND reason = 'erased'`, [
      addressHash(this.config.hashSecret, email),
    ]);
    await this.writePreferences(m, memberId, prefs ?? {});
  }

  // ---- preferences ----

  private async preferencesIn(m: EntityManager | DataSource, memberId: string): Promise<Preferences> {
    const [row] = await m.query(
      `SELECT offers, offer_expiring AS "offerExpiring", fulfilment, contests
       FROM notifications.member_preferences WHERE member_id = $1`,
      [memberId],
    );
    return row ? (row as Preferences) : { ...NO_PREFERENCES };
  }

  preferences(memberId: string): Promise<Preferences> {
    return this.preferencesIn(this.dataSource, memberId);
  }

  async setPreferences(memberId: string, dto: NotificationPreferencesDto): Promise<Preferences> {
    await this.dataSource.transaction((m) => this.writePreferences(m, memberId, dto));
    return this.preferences(memberId);
  }

  private async writePreferences(m: EntityManager, memberId: string, dto: NotificationPreferencesDto): Promise<void> {
    const cur = await this.preferencesIn(m, memberId);
    const next: Preferences = { ...cur };
    for (const k of PREFERENCE_KEYS) if (dto[k]) next[k] = dto[k];
    await m.query(
      `INSERT INTO notifications.member_preferences (member_id, offers, offer_expiring, fulfilment, contests)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (member_id) DO UPDATE SET offers = $2, offer_expiring = $3, fulfilment = $4, contests = $5,
         updated_at = now()`,
      [memberId, next.offers, next.offerExpiring, next.fulfilment, next.contests],
    );
    // Mail already waiting follows the new answer: turned off, it does not go; daily, it waits for the digest.
    for (const k of PREFERENCE_KEYS) {
      if (next[k] === cur[k] || next[k] === 'instant') continue;
      const kinds = Object.entries(PREFERENCE_OF)
        .filter(([, p]) => p === k)
        .map(([kind]) => kind);
      await m.query(
        `UPDATE notifications.notifications SET email_state = $4
         WHERE recipient_kind = 'member' AND recipient_id = $1 AND kind = ANY($2) AND email_state = ANY($3)`,
        [memberId, kinds, next[k] === 'off' ? ['queued', 'digest'] : ['queued'], stateFor(next[k])],
      );
    }
  }

  /** RFC 8058 one-click: the token names recipient and kind; no sign-in. */
  async unsubscribe(token: string): Promise<{ status: 'unsubscribed'; kind: string }> {
    const t = verifyUnsubscribe(this.config.hashSecret, token);
    if (!t) throw new AppException('not_found', 'Unknown unsubscribe link');
    await this.dataSource.transaction(async (m) => {
      if (t.recipientKind === 'member') {
        const cur = await this.preferencesIn(m, t.recipientId);
        const change: NotificationPreferencesDto = {};
        if (t.kind === 'digest') {
          for (const k of PREFERENCE_KEYS) if (cur[k] === 'daily') change[k] = 'off';
        } else {
          const pref = isMemberKind(t.kind) ? PREFERENCE_OF[t.kind] : undefined;
          if (!pref) throw new AppException('not_found', 'Unknown unsubscribe link');
          change[pref] = 'off';
        }
        await this.writePreferences(m, t.recipientId, change);
        return;
      }
      const kinds: BrandKind[] = t.kind === 'digest' ? [...BRAND_DIGEST_KINDS] : isBrandKind(t.kind) ? [t.kind] : [];
      if (!kinds.length) throw new AppException('not_found', 'Unknown unsubscribe link');
      await m.query(
        `INSERT INTO notifications.brand_opt_outs (brand_id, kind) SELECT $1, k FROM unnest($2::text[]) k
         ON CONFLICT DO NOTHING`,
        [t.recipientId, kinds],
      );
      await m.query(
        `UPDATE notifications.notifications SET email_state = 'none'
         WHERE recipient_kind = 'brand' AND recipient_id = $1 AND kind = ANY($2) AND email_state IN ('queued', 'digest')`,
        [t.recipientId, kinds],
      );
    });
    this.logger.log(`unsubscribed ${t.recipientKind} ${t.recipientId} from ${t.kind}`);
    return { status: 'unsubscribed', kind: t.kind };
  }

  // ---- the in-app list ----

  async list(kind: RecipientKind, id: string, q: NotificationListQueryDto): Promise<NotificationListDto> {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, ['micros', 'uuid']);
    const rows: { id: string; kind: string; title: string; at: Date; readAt: Date | null; us: string }[] =
      await this.dataSource.query(
        `SELECT id, kind, title, created_at AS at, read_at AS "readAt",
                (extract(epoch FROM created_at) * 1000000)::bigint::text AS us
         FROM notifications.notifications
         WHERE recipient_kind = $1 AND recipient_id = $2
           AND ($3::bigint IS NULL OR (created_at, id) < (to_timestamp($3::bigint / 1000000.0), $4::uuid))
         ORDER BY created_at DESC, id DESC LIMIT $5`,
        [kind, id, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
      );
    const [{ unread }] = await this.dataSource.query(
      `SELECT count(*)::int AS unread FROM notifications.notifications
       WHERE recipient_kind = $1 AND recipient_id = $2 AND read_at IS NULL`,
      [kind, id],
    );
    const page = toPage(
      rows,
      limit,
      (r) => ({
        id: r.id,
        kind: r.kind,
        title: r.title,
        at: new Date(r.at).toISOString(),
        ...(r.readAt ? { readAt: new Date(r.readAt).toISOString() } : {}),
      }),
      (r) => [r.us, r.id],
    );
    return { ...page, unread };
  }

  async markRead(kind: RecipientKind, id: string, ids?: string[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications.notifications SET read_at = now()
       WHERE recipient_kind = $1 AND recipient_id = $2 AND read_at IS NULL AND ($3::uuid[] IS NULL OR id = ANY($3))`,
      [kind, id, ids ?? null],
    );
  }

  // ---- privacy ----

  private async exportFor(memberId: string, m: EntityManager): Promise<unknown> {
    const notifications = await m.query(
      `SELECT id, kind, title, params, created_at AS "createdAt", read_at AS "readAt", email_state AS "emailState",
              email_sent_at AS "emailSentAt"
       FROM notifications.notifications WHERE recipient_kind = 'member' AND recipient_id = $1
       ORDER BY created_at, id`,
      [memberId],
    );
    return { preferences: await this.preferencesIn(m, memberId), notifications };
  }

  /** Idempotent. The erasure notice still on its way keeps its row until sent (then it goes too). */
  private async eraseFor(memberId: string, m: EntityManager): Promise<void> {
    await m.query(
      `DELETE FROM notifications.notifications WHERE recipient_kind = 'member' AND recipient_id = $1
         AND NOT (kind = 'erasure_requested' AND email_state IN ('queued', 'sending'))`,
      [memberId],
    );
    await m.query(`DELETE FROM notifications.digests WHERE recipient_kind = 'member' AND recipient_id = $1`, [
      memberId,
    ]);
    await m.query(`DELETE FROM notifications.member_preferences WHERE member_id = $1`, [memberId]);
    await m.query(`DELETE FROM notifications.known_devices WHERE subject_kind = 'member' AND subject_id = $1`, [
      memberId,
    ]);
    await m.query(`DELETE FROM notifications.bounces WHERE recipient_kind = 'member' AND recipient_id = $1`, [
      memberId,
    ]);
  }
}

/** A coarse name for a browser ("Firefox on Linux"): enough for the member to recognise it, no version. */
function describeAgent(ua: string | null): string | null {
  if (!ua) return null;
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrome\/|Chromium\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : null;
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad/.test(ua)
        ? 'iOS'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null;
  return browser && os ? `${browser} on ${os}` : (browser ?? os);
}
