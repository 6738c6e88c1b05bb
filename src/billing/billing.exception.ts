import { AppException } from '../common/problem/app.exception';
import { CampaignStatus, wrongStateMessage } from '../campaigns/campaign-status';

export class CardFundingNotConfigured extends AppException {
  constructor() {
    super(
      'unavailable',
      'Card funding is not configured on this Sway (no Stripe key); ask the operator to fund the campaign offline',
    );
  }
}

/** Nothing is lost: the funding is kept and a retry returns the same checkout (Stripe idempotency key). */
export class StripeUnavailable extends AppException {
  constructor() {
    super(
      'unavailable',
      'Stripe did not answer in time; retry shortly and the same checkout will be returned',
      undefined,
      {
        'retry-after': '5',
      },
    );
  }
}

export class CheckoutRefused extends AppException {
  constructor(stripeMessage: string) {
    super('unprocessable', `Stripe refused the checkout: ${stripeMessage}. The campaign is back in draft`);
  }
}

export class CheckoutConflict extends AppException {
  constructor() {
    super('conflict', 'The campaign changed while its checkout was being created; retry');
  }
}

export class NothingToFund extends AppException {
  constructor() {
    super(
      'unprocessable',
      'Nothing to pay: the perk costs 0, so there is no checkout; the operator activates free-perk campaigns with offline funding of 0',
      [{ field: 'perk.unitCostCents', message: 'is 0' }],
    );
  }
}

export class FundingAfterEnd extends AppException {
  constructor(endsAt: Date) {
    super('unprocessable', `The campaign ended at ${endsAt.toISOString()}; move endsAt (PATCH, in draft) first`, [
      { field: 'endsAt', message: 'is in the past' },
    ]);
  }
}

export class OfflineAmountMismatch extends AppException {
  constructor(expected: number, currency: string) {
    super(
      'unprocessable',
      `amountCents must be exactly what a checkout would charge: inventory × unitCostCents + platform fee = ${expected} ${currency}`,
      [{ field: 'amountCents', message: `must be ${expected}` }],
    );
  }
}

export class InvalidStripeSignature extends AppException {
  constructor(detail = 'The Stripe-Signature header does not verify against the request body') {
    super('bad_request', detail, [{ field: 'Stripe-Signature', message: 'invalid' }]);
  }
}

export class StripeWebhooksNotConfigured extends AppException {
  constructor() {
    super('unavailable', 'Stripe webhooks are not configured on this Sway (no webhook secret)');
  }
}

export class PaymentsMisconfigured extends AppException {
  constructor() {
    super('unavailable', 'Card payments are unavailable right now; the operator has been alerted');
  }
}

/** 409 naming the state, worded like the campaigns context's own transitions. */
export class CampaignNotFundable extends AppException {
  constructor(current: CampaignStatus) {
    const allowed: CampaignStatus[] = ['draft', 'pending_funding'];
    super('conflict', wrongStateMessage('fund', current, allowed), [
      { field: 'status', message: `is ${current}; fund needs ${allowed.join(' or ')}` },
    ]);
  }
}
