import { OutboxMessage } from '../common/outbox/outbox.service';
import { QUEUES } from '../common/queue/queues';
import { defineJobs } from '../common/messaging/catalogue';

export const BILLING_QUEUE = QUEUES.billingEvents;

export enum BillingJob {
  /** Apply one stored, verified Stripe event. */
  ProcessStripeEvent = 'process-stripe-event',
  /** Refund what a campaign owes back: its unused budget once completed, and any payment it had to reject. */
  SettleCampaign = 'settle-campaign',
  /** Expire a campaign's open checkout(s) at Stripe, so a cancelled or otherwise funded campaign is not paid. */
  ExpireCheckouts = 'expire-checkouts',
  /** Repeatable safety net: re-queues settlement for campaigns that still owe a refund (e.g. Stripe was down). */
  SettleOutstanding = 'settle-outstanding',
}

export const BILLING_SCHEDULES: { id: BillingJob; everyMs: number }[] = [
  { id: BillingJob.SettleOutstanding, everyMs: 10 * 60_000 },
];

export const processStripeEvent = (eventId: string): OutboxMessage => ({
  queue: BILLING_QUEUE,
  name: BillingJob.ProcessStripeEvent,
  payload: { eventId },
});

export const settleCampaign = (campaignId: string): OutboxMessage => ({
  queue: BILLING_QUEUE,
  name: BillingJob.SettleCampaign,
  payload: { campaignId },
});

export const expireCheckouts = (campaignId: string): OutboxMessage => ({
  queue: BILLING_QUEUE,
  name: BillingJob.ExpireCheckouts,
  payload: { campaignId },
});

interface StripeEventPayload {
  [k: string]: string;
  eventId: string;
}
interface CampaignPayload {
  [k: string]: string;
  campaignId: string;
}

declare module '../common/messaging/catalogue' {
  interface JobCatalogue {
    'billing-events': {
      [BillingJob.ProcessStripeEvent]: StripeEventPayload;
      [BillingJob.SettleCampaign]: CampaignPayload;
      [BillingJob.ExpireCheckouts]: CampaignPayload;
      [BillingJob.SettleOutstanding]: Record<string, never>;
    };
  }
}
defineJobs(BILLING_QUEUE, {
  [BillingJob.ProcessStripeEvent]: true,
  [BillingJob.SettleCampaign]: true,
  [BillingJob.ExpireCheckouts]: true,
  [BillingJob.SettleOutstanding]: true,
});
