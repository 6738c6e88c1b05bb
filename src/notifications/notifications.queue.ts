import { OutboxMessage } from '../common/outbox/outbox.service';
import { QUEUES } from '../common/queue/queues';
import { defineJobs } from '../common/messaging/catalogue';

export const NOTIFICATIONS_QUEUE = QUEUES.notifications;

export enum NotificationsJob {
  /** From the outbox: send the mail of one notification (at most one attempt in flight; see the entity). */
  Deliver = 'deliver',
  /** Repeatable: the offer reminders that fell due (once per offer, 12 h before expiry). */
  RemindExpiring = 'remind-expiring',
  /** Repeatable, daily: the brands' shipping reminders, then one `digest` job per recipient with waiting items. */
  DigestFanOut = 'digest-fan-out',
  /** One recipient's digest of one day (job id carries both, so the day's digest is one job). */
  Digest = 'digest',
  /** Repeatable: re-queues mail whose job Redis lost or whose attempt crashed. */
  Sweep = 'sweep',
  /** From a matching wave's outbox: the new offers' notifications, written after the wave committed. */
  OffersMade = 'offers-made',
}

interface DigestPayload {
  recipientKind: string;
  recipientId: string;
  day: string;
  [key: string]: string;
}

declare module '../common/messaging/catalogue' {
  interface JobCatalogue {
    notifications: {
      [NotificationsJob.Deliver]: { notificationId: string };
      [NotificationsJob.RemindExpiring]: Record<string, never>;
      /** `day` only when an operator re-runs a past day's digests. */
      [NotificationsJob.DigestFanOut]: { day?: string };
      [NotificationsJob.Digest]: DigestPayload;
      [NotificationsJob.Sweep]: Record<string, never>;
      [NotificationsJob.OffersMade]: { campaignId: string };
    };
  }
}
defineJobs(NOTIFICATIONS_QUEUE, {
  [NotificationsJob.Deliver]: true,
  [NotificationsJob.RemindExpiring]: true,
  [NotificationsJob.DigestFanOut]: true,
  [NotificationsJob.Digest]: true,
  [NotificationsJob.Sweep]: true,
  [NotificationsJob.OffersMade]: true,
});

export const deliverMessage = (notificationId: string): OutboxMessage => ({
  queue: NOTIFICATIONS_QUEUE,
  name: NotificationsJob.Deliver,
  payload: { notificationId },
});

export const offersMadeMessage = (campaignId: string): OutboxMessage => ({
  queue: NOTIFICATIONS_QUEUE,
  name: NotificationsJob.OffersMade,
  payload: { campaignId },
});

export const digestJobId = (recipientKind: string, recipientId: string, day: string): string =>
  `digest-${recipientKind}-${recipientId}-${day}`;

export const REMIND_EVERY_MS = 5 * 60_000;
export const SWEEP_EVERY_MS = 5 * 60_000;
/** How long one mail attempt keeps other jobs away (nodemailer's own timeouts are shorter). */
export const SEND_LOCK_SECONDS = 120;
