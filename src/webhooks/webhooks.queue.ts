import { OutboxMessage } from '../common/outbox/outbox.service';
import { QUEUES } from '../common/queue/queues';
import { defineJobs } from '../common/messaging/catalogue';

export const WEBHOOKS_QUEUE = QUEUES.webhooks;

export enum WebhooksJob {
  /** From the outbox: create the deliveries of one event and queue their first attempt. */
  FanOut = 'fan-out',
  /** One attempt of one delivery; `lease` must match the delivery's, so lost or duplicate jobs do nothing. */
  Deliver = 'deliver',
  /** Repeatable: re-queue deliveries whose job Redis lost; purge events past retention. */
  Sweep = 'sweep',
}

/** Events (and their delivery log) are kept this long: the window a brand can replay. */
export const EVENT_RETENTION_DAYS = 30;
/** A replay queues at most this many events per call; ask again with a later `from` for more. */
export const REPLAY_LIMIT = 10_000;
export const MAX_ENDPOINTS_PER_BRAND = 20;
/** How long a running attempt keeps others away beyond its own timeout. */
export const ATTEMPT_LOCK_MARGIN_MS = 5_000;

export const fanOutMessage = (eventId: string): OutboxMessage => ({
  queue: WEBHOOKS_QUEUE,
  name: WebhooksJob.FanOut,
  payload: { eventId },
});

/** Deterministic: re-queuing the same (delivery, lease) is deduplicated by BullMQ. */
export const deliverJobId = (deliveryId: string, lease: number): string => `whd-${deliveryId}-${lease}`;

interface FanOutPayload {
  [k: string]: string;
  eventId: string;
}
interface DeliverPayload {
  [k: string]: string | number;
  deliveryId: string;
  lease: number;
}

declare module '../common/messaging/catalogue' {
  interface JobCatalogue {
    webhooks: {
      [WebhooksJob.FanOut]: FanOutPayload;
      [WebhooksJob.Deliver]: DeliverPayload;
      [WebhooksJob.Sweep]: Record<string, never>;
    };
  }
}
defineJobs(WEBHOOKS_QUEUE, { [WebhooksJob.FanOut]: true, [WebhooksJob.Deliver]: true, [WebhooksJob.Sweep]: true });
