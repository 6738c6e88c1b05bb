/**
 * The catalogue of outgoing webhook events (docs/webhooks.md documents each payload). Payloads carry ids and
 * what the brand's own API views already show — never a member's personal data: the events table and the
 * receivers' logs outlive an erasure request. A payload only ever gains fields (version 1 of every event).
 */
export const WEBHOOK_EVENT_TYPES = [
  'campaign.activated',
  'campaign.sold_out',
  'campaign.completed',
  'claim.created',
  'claim.fulfilled',
  'share.created',
  'conversion.created',
  'conversion.refunded',
  'funding.succeeded',
  'refund.succeeded',
  'fraud_signal.opened',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by `POST /v1/webhook-endpoints/{id}/test`; not subscribable, never replayed. */
export const TEST_EVENT_TYPE = 'webhook.test';

export interface WebhookEventData {
  'campaign.activated': { campaignId: string; via: 'payment' | 'offline'; fundedCents: number };
  'campaign.sold_out': { campaignId: string };
  'campaign.completed': { campaignId: string; reason: 'closed' | 'ended' };
  'claim.created': { claimId: string; campaignId: string; offerId: string; code: string };
  'claim.fulfilled': { claimId: string; campaignId: string; trackingNumber: string | null };
  'share.created': {
    shareId: string;
    claimId: string;
    campaignId: string;
    network: string;
    disclosed: boolean;
    postedAt: string | null;
  };
  'conversion.created': {
    conversionId: string;
    orderId: string;
    amountCents: number;
    currency: string;
    campaignId: string | null;
    claimId: string | null;
    attributedBy: 'code' | 'click' | null;
    possibleCodeLeak: boolean;
    source: string;
  };
  'conversion.refunded': { conversionId: string; refundedCents: number; deltaCents: number };
  'funding.succeeded': {
    campaignId: string;
    fundingId: string;
    method: 'checkout' | 'offline';
    amountCents: number;
    currency: string;
  };
  'refund.succeeded': { campaignId: string; fundingId: string; amountCents: number; currency: string };
  'fraud_signal.opened': {
    signalId: string;
    campaignId: string;
    claimId: string | null;
    type: string;
    severity: 'low' | 'medium' | 'high';
  };
}

export interface WebhookEventInput<T extends WebhookEventType = WebhookEventType> {
  brandId: string;
  type: T;
  data: WebhookEventData[T];
}
