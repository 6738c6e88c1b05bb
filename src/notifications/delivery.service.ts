import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { MailRejectedError, MailService } from '../common/mail/mail.service';
import { BrandAction, PERMISSIONS } from '../common/auth/permissions';
import { NotificationDirectory } from './directory';
import {
  BrandKind,
  INSTANT_MAILS_PER_HOUR,
  NotificationKind,
  PREFERENCE_OF,
  RecipientKind,
  SECURITY_MAILS_PER_HOUR,
  isSecurityKind,
} from './notification-kinds';
import { NOTIFICATIONS_QUEUE, NotificationsJob, SEND_LOCK_SECONDS, digestJobId } from './notifications.queue';
import { NotificationsService } from './notifications.service';
import { Content, Language, Params, contentOf, digestSubject, languageOf, render } from './templates';
import { addressHash, signUnsubscribe } from './unsubscribe-token';

interface Claimed {
  id: string;
  recipientKind: RecipientKind;
  recipientId: string;
  kind: NotificationKind;
  params: Params;
  address: string | null;
}

/** Who acts on each brand kind: the roles allowed this action (src/common/auth/permissions.ts). */
const DIGEST_FANOUT_PAGE = 1_000;

const ACTS_ON: Record<BrandKind, BrandAction> = {
  claims_awaiting_shipping: 'claims.fulfil',
  funding_failed: 'funding.write',
  funding_refunded: 'ledger.read',
  campaign_sold_out: 'campaigns.write',
  campaign_completed: 'campaigns.write',
  webhook_endpoint_disabled: 'webhooks.write',
  fraud_signal_opened: 'fraud.write',
};

type Target = { address: string; language: Language } | { skip: 'skipped' | 'suppressed' };

export type DeliverOutcome = 'sent' | 'busy' | 'done' | 'skipped' | 'suppressed' | 'bounced' | 'digest' | 'none';

/**
 * Sends the mail of notifications and digests. The row is the state of record: `queued → sending → sent`, one
 * attempt in flight (locked_until); a transient SMTP failure puts it back to `queued` and the job retries; a
 * permanent refusal records a bounce and suppresses the address. See docs/notifications.md for the crash case.
 */
@Injectable()
export class NotificationDelivery {
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly directory: NotificationDirectory,
    private readonly notifications: NotificationsService,
    @InjectQueue(NOTIFICATIONS_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get base(): string {
    return this.config.publicBaseUrl.replace(/\/$/, '');
  }

  /**
   * Where one mail goes. A member: their address (asked from influencers). A brand: the people whose role may act
   * on it (`teams.brand_recipients`, roles from the permission table), else the brand account's email.
   */
  private async target(
    kind: RecipientKind,
    id: string,
    stored: string | null,
    about?: NotificationKind,
  ): Promise<Target> {
    // The erasure notice goes to an address its own erasure just suppressed: that one mail is the exception.
    if (stored) return { address: stored, language: 'en' };
    let addresses: string[] = [];
    let language: Language = 'en';
    if (kind === 'member') {
      const c = await this.directory.member(id);
      if (c?.email) addresses = [c.email];
      language = languageOf(c?.language);
    } else {
      const roles = PERMISSIONS[ACTS_ON[(about ?? '') as BrandKind] ?? 'brand.manage'];
      const team: { email: string }[] = await this.dataSource.query(
        `SELECT DISTINCT email FROM teams.brand_recipients WHERE brand_id = $1 AND role = ANY($2) AND email IS NOT NULL
         ORDER BY email LIMIT 20`,
        [id, roles],
      );
      addresses = team.length ? team.map((r) => r.email) : await this.directory.brand(id);
    }
    if (!addresses.length) return { skip: 'skipped' };
    const suppressed: { h: Buffer }[] = await this.dataSource.query(
      `SELECT address_hash AS h FROM notifications.suppressions WHERE address_hash = ANY($1)`,
      [addresses.map((a) => addressHash(this.config.hashSecret, a))],
    );
    const blocked = new Set(suppressed.map((r) => r.h.toString('hex')));
    const ok = addresses.filter((a) => !blocked.has(addressHash(this.config.hashSecret, a).toString('hex')));
    if (!ok.length) return { skip: 'suppressed' };
    return { address: ok.join(', '), language };
  }

  /** Mail sent to this recipient in the last hour (instant and digests), under a per-recipient lock. */
  private async sentLastHour(m: EntityManager, kind: RecipientKind, id: string): Promise<number> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('notifications:' || $1 || ':' || $2))`, [kind, id]);
    const [r] = await m.query(
      `SELECT (SELECT count(*) FROM notifications.notifications WHERE recipient_kind = $1 AND recipient_id = $2
                 AND (email_sent_at > now() - interval '1 hour'
                      OR (email_state = 'sending' AND locked_until > now())))
            + (SELECT count(*) FROM notifications.digests WHERE recipient_kind = $1 AND recipient_id = $2
                 AND sent_at > now() - interval '1 hour') AS n`,
      [kind, id],
    );
    return Number(r.n);
  }

  async deliver(notificationId: string): Promise<DeliverOutcome> {
    const head: Claimed | undefined = (
      await this.dataSource.query(
        `SELECT id, recipient_kind AS "recipientKind", recipient_id AS "recipientId", kind, params, address
         FROM notifications.notifications WHERE id = $1`,
        [notificationId],
      )
    )[0];
    if (!head) return 'done'; // erased meanwhile
    const target = await this.target(head.recipientKind, head.recipientId, head.address, head.kind);
    const claimed = await this.dataSource.transaction(async (m): Promise<DeliverOutcome | Claimed> => {
      const [row] = await m.query(
        `SELECT email_state AS state, locked_until > now() AS locked FROM notifications.notifications
         WHERE id = $1 FOR UPDATE`,
        [notificationId],
      );
      if (!row) return 'done';
      if (row.state === 'sending' && row.locked) return 'busy';
      if (row.state !== 'queued' && row.state !== 'sending') return 'done';
      if ('skip' in target) {
        await this.setState(m, notificationId, target.skip);
        return target.skip;
      }
      const security = isSecurityKind(head.kind);
      const n = await this.sentLastHour(m, head.recipientKind, head.recipientId);
      if (n >= (security ? SECURITY_MAILS_PER_HOUR : INSTANT_MAILS_PER_HOUR)) {
        // Over the hourly budget: optional mail joins tomorrow's digest; a flood of security notices stays in-app.
        const next = security ? 'none' : 'digest';
        await this.setState(m, notificationId, next);
        return next;
      }
      await m.query(
        `UPDATE notifications.notifications SET email_state = 'sending', email_attempts = email_attempts + 1,
           locked_until = now() + make_interval(secs => $2) WHERE id = $1`,
        [notificationId, SEND_LOCK_SECONDS],
      );
      return head;
    });
    if (typeof claimed === 'string') return claimed;
    const t = target as { address: string; language: Language };
    const content = contentOf(head.kind, head.params, t.language);
    const unsubscribable = !isSecurityKind(head.kind);
    const result = await this.send(
      t,
      content.subject,
      [content],
      unsubscribable ? head.kind : null,
      head,
      `n-${head.id}`,
    );
    await this.dataSource.transaction(async (m) => {
      if (head.address) {
        // The erasure notice: its job is done, and with it the last trace of the address.
        await m.query(`DELETE FROM notifications.notifications WHERE id = $1`, [head.id]);
      } else if (result === 'sent') {
        await m.query(
          `UPDATE notifications.notifications SET email_state = 'sent', email_sent_at = now(), locked_until = NULL
           WHERE id = $1`,
          [head.id],
        );
      } else {
        await this.bounce(m, head.recipientKind, head.recipientId, t.address, result, { notificationId: head.id });
        await this.setState(m, head.id, 'bounced');
      }
    });
    return result === 'sent' ? 'sent' : 'bounced';
  }

  private async setState(m: EntityManager, id: string, state: string): Promise<void> {
    await m.query(`UPDATE notifications.notifications SET email_state = $2, locked_until = NULL WHERE id = $1`, [
      id,
      state,
    ]);
  }

  private async bounce(
    m: EntityManager,
    kind: RecipientKind,
    id: string,
    address: string,
    code: { code: number | undefined },
    ref: { notificationId?: string; digestId?: string },
  ): Promise<void> {
    // One refusal of a message to several people (a brand team) does not say whose address failed: record it for
    // each, suppress none; a single recipient's address is suppressed.
    const list = address.split(', ');
    for (const a of list) {
      const hash = addressHash(this.config.hashSecret, a);
      await m.query(
        `INSERT INTO notifications.bounces (recipient_kind, recipient_id, address_hash, notification_id, digest_id, response_code)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [kind, id, hash, ref.notificationId ?? null, ref.digestId ?? null, code.code ?? null],
      );
      if (list.length === 1)
        await m.query(
          `INSERT INTO notifications.suppressions (address_hash, reason) VALUES ($1, 'bounce') ON CONFLICT DO NOTHING`,
          [hash],
        );
    }
    this.logger.warn(`mail to ${kind} ${id} refused for good (${code.code ?? 'no code'}): address suppressed`);
  }

  /**
   * One SMTP transaction. A transient failure releases the row (back to queued) and throws, so BullMQ retries:
   * nothing was accepted, so the retry sends the only copy.
   */
  private async send(
    t: { address: string; language: Language },
    subject: string,
    items: Content[],
    unsubscribeKind: string | null,
    who: { recipientKind: RecipientKind; recipientId: string },
    key: string,
  ): Promise<'sent' | { code: number | undefined }> {
    const settings = `${this.base}${who.recipientKind === 'member' ? '/me/privacy' : '/console/settings'}`;
    const unsubscribeUrl = unsubscribeKind
      ? `${this.base}/v1/unsubscribe/${signUnsubscribe(this.config.hashSecret, {
          recipientKind: who.recipientKind,
          recipientId: who.recipientId,
          kind: unsubscribeKind,
        })}`
      : undefined;
    const body = render(this.base, subject, items, { unsubscribeUrl, settingsUrl: settings }, t.language);
    const headers: Record<string, string> = { 'Auto-Submitted': 'auto-generated' };
    if (unsubscribeUrl) {
      headers['List-Unsubscribe'] = `<${unsubscribeUrl}>`;
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    try {
      await this.mail.send({
        to: t.address,
        subject: body.subject,
        text: body.text,
        html: body.html,
        headers,
        messageId: this.mail.messageIdFor(key),
      });
      return 'sent';
    } catch (err) {
      if (err instanceof MailRejectedError) return { code: err.responseCode };
      await this.release(key);
      throw err;
    }
  }

  private async release(key: string): Promise<void> {
    const [kind, ...rest] = key.split('-');
    const id = rest.join('-');
    const table = kind === 'n' ? 'notifications.notifications' : 'notifications.digests';
    const state = kind === 'n' ? 'email_state' : 'state';
    await this.dataSource.query(
      `UPDATE ${table} SET ${state} = 'queued', locked_until = NULL WHERE id = $1 AND ${state} = 'sending'`,
      [id],
    );
  }

  // ---- digests ----

  /** Daily: the brands' shipping reminders, then one digest job per recipient with something waiting. */
  async fanOutDigests(day = new Date().toISOString().slice(0, 10)): Promise<number> {
    await this.dataSource.transaction(async (m) => {
      const rows: { brandId: string; campaignId: string; name: string; n: number }[] = await m.query(
        `SELECT c.brand_id AS "brandId", c.id AS "campaignId", c.name, count(*)::int AS n
         FROM redemptions.claim_facts cl JOIN campaigns.campaign_facts c ON c.id = cl.campaign_id
         WHERE cl.status = 'claimed' AND c.perk_kind = 'product'
         GROUP BY c.brand_id, c.id, c.name ORDER BY c.brand_id, n DESC`,
      );
      const byBrand = new Map<string, { id: string; name: string; count: number }[]>();
      for (const r of rows)
        byBrand.set(r.brandId, [...(byBrand.get(r.brandId) ?? []), { id: r.campaignId, name: r.name, count: r.n }]);
      for (const [brandId, campaigns] of byBrand) {
        await this.notifications.record(m, {
          to: { kind: 'brand', id: brandId },
          kind: 'claims_awaiting_shipping',
          key: `shipping:${brandId}:${day}`,
          params: { day, count: campaigns.reduce((s, c) => s + c.count, 0), campaigns: campaigns.slice(0, 20) },
        });
      }
    });
    // Every member in digest mode with something waiting can be most of the population: page through them on
    // the (email_state, recipient_kind, recipient_id) index rather than hold them all in the worker.
    let n = 0;
    for (let after: { kind: RecipientKind; id: string } | null = null; ;) {
      const page: { kind: RecipientKind; id: string }[] = await this.dataSource.query(
        `SELECT DISTINCT recipient_kind AS kind, recipient_id AS id FROM notifications.notifications
         WHERE email_state = 'digest' AND ($1::text IS NULL OR (recipient_kind, recipient_id) > ($1, $2::uuid))
         ORDER BY recipient_kind, recipient_id LIMIT $3`,
        [after?.kind ?? null, after?.id ?? null, DIGEST_FANOUT_PAGE],
      );
      await this.queue.addBulk(
        page.map((r) => ({
          name: NotificationsJob.Digest,
          data: { recipientKind: r.kind, recipientId: r.id, day },
          opts: { jobId: digestJobId(r.kind, r.id, day) },
        })),
      );
      n += page.length;
      if (page.length < DIGEST_FANOUT_PAGE) return n;
      after = page[page.length - 1];
    }
  }

  async sendDigest(recipientKind: RecipientKind, recipientId: string, day: string): Promise<DeliverOutcome> {
    const target = await this.target(recipientKind, recipientId, null);
    const claimed = await this.dataSource.transaction(
      async (m): Promise<DeliverOutcome | { id: string; items: Claimed[] }> => {
        await m.query(
          `INSERT INTO notifications.digests (recipient_kind, recipient_id, day) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING`,
          [recipientKind, recipientId, day],
        );
        const [d] = await m.query(
          `SELECT id, state, locked_until > now() AS locked FROM notifications.digests
           WHERE recipient_kind = $1 AND recipient_id = $2 AND day = $3 FOR UPDATE`,
          [recipientKind, recipientId, day],
        );
        if (d.state === 'sending' && d.locked) return 'busy';
        if (d.state !== 'queued' && d.state !== 'sending') return 'done';
        await m.query(
          `UPDATE notifications.notifications SET digest_id = $3
           WHERE recipient_kind = $1 AND recipient_id = $2 AND email_state = 'digest' AND digest_id IS NULL`,
          [recipientKind, recipientId, d.id],
        );
        const items: Claimed[] = await m.query(
          `SELECT id, recipient_kind AS "recipientKind", recipient_id AS "recipientId", kind, params, address
           FROM notifications.notifications WHERE digest_id = $1 AND email_state = 'digest' ORDER BY created_at, id`,
          [d.id],
        );
        const finish = async (state: string): Promise<void> => {
          await m.query(`UPDATE notifications.digests SET state = $2, locked_until = NULL WHERE id = $1`, [
            d.id,
            state,
          ]);
          await m.query(
            `UPDATE notifications.notifications SET email_state = $2 WHERE digest_id = $1 AND email_state = 'digest'`,
            [d.id, state === 'skipped' ? 'skipped' : 'suppressed'],
          );
        };
        if (!items.length) {
          await m.query(`UPDATE notifications.digests SET state = 'skipped' WHERE id = $1`, [d.id]);
          return 'skipped';
        }
        if ('skip' in target) {
          await finish(target.skip);
          return target.skip;
        }
        await m.query(
          `UPDATE notifications.digests SET state = 'sending', attempts = attempts + 1,
             locked_until = now() + make_interval(secs => $2) WHERE id = $1`,
          [d.id, SEND_LOCK_SECONDS],
        );
        return { id: d.id, items };
      },
    );
    if (typeof claimed === 'string') return claimed;
    const t = target as { address: string; language: Language };
    const contents = claimed.items.map((i) => contentOf(i.kind, i.params, t.language));
    const anyOptional = claimed.items.some(
      (i) =>
        !isSecurityKind(i.kind) && (recipientKind === 'brand' || PREFERENCE_OF[i.kind as keyof typeof PREFERENCE_OF]),
    );
    const result = await this.send(
      t,
      digestSubject(t.language, contents.length),
      contents,
      anyOptional ? 'digest' : null,
      { recipientKind, recipientId },
      `d-${claimed.id}`,
    );
    await this.dataSource.transaction(async (m) => {
      if (result === 'sent') {
        await m.query(
          `UPDATE notifications.digests SET state = 'sent', sent_at = now(), locked_until = NULL WHERE id = $1`,
          [claimed.id],
        );
        await m.query(
          `UPDATE notifications.notifications SET email_state = 'digested', email_sent_at = now()
           WHERE digest_id = $1 AND email_state = 'digest'`,
          [claimed.id],
        );
      } else {
        await this.bounce(m, recipientKind, recipientId, t.address, result, { digestId: claimed.id });
        await m.query(`UPDATE notifications.digests SET state = 'bounced', locked_until = NULL WHERE id = $1`, [
          claimed.id,
        ]);
        await m.query(
          `UPDATE notifications.notifications SET email_state = 'bounced' WHERE digest_id = $1 AND email_state = 'digest'`,
          [claimed.id],
        );
      }
    });
    return result === 'sent' ? 'sent' : 'bounced';
  }

  /** Mail whose job is gone (Redis lost it, every retry failed) or whose attempt crashed gets a new job. */
  async sweep(): Promise<number> {
    const rows: { id: string; attempts: number }[] = await this.dataSource.query(
      `SELECT id, email_attempts AS attempts FROM notifications.notifications
       WHERE (email_state = 'queued' AND created_at < now() - interval '10 minutes')
          OR (email_state = 'sending' AND locked_until < now())
       ORDER BY created_at LIMIT 1000`,
    );
    await this.queue.addBulk(
      rows.map((r) => ({
        name: NotificationsJob.Deliver,
        data: { notificationId: r.id },
        opts: { jobId: `notify-sweep-${r.id}-${r.attempts}-${Math.floor(Date.now() / 3_600_000)}` },
      })),
    );
    const digests: { kind: RecipientKind; id: string; day: string }[] = await this.dataSource.query(
      `SELECT recipient_kind AS kind, recipient_id AS id, to_char(day, 'YYYY-MM-DD') AS day FROM notifications.digests
       WHERE (state = 'queued' AND created_at < now() - interval '10 minutes') OR (state = 'sending' AND locked_until < now())
       LIMIT 1000`,
    );
    await this.queue.addBulk(
      digests.map((d) => ({
        name: NotificationsJob.Digest,
        data: { recipientKind: d.kind, recipientId: d.id, day: d.day },
        opts: { jobId: `${digestJobId(d.kind, d.id, d.day)}-sweep-${Math.floor(Date.now() / 3_600_000)}` },
      })),
    );
    return rows.length + digests.length;
  }
}
