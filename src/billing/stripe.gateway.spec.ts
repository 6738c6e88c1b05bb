import Stripe from 'stripe';
import { classifyStripeError } from './stripe.gateway';

/** The SDK's own raw error `type` union. */
type RawType = NonNullable<NonNullable<ConstructorParameters<typeof Stripe.errors.StripeError>[0]>['type']>;
const raw = (type: RawType, statusCode: number) => ({ type, message: `fake ${type}`, code: 'x', statusCode });

describe('classifyStripeError', () => {
  it.each([
    [new Stripe.errors.StripeCardError(raw('card_error', 402)), 'refused'],
    [new Stripe.errors.StripeInvalidRequestError(raw('invalid_request_error', 400)), 'refused'],
    [new Stripe.errors.StripeIdempotencyError(raw('idempotency_error', 400)), 'conflict'],
    [new Stripe.errors.StripeAuthenticationError(raw('authentication_error', 401)), 'misconfigured'],
    [new Stripe.errors.StripePermissionError(raw('invalid_request_error', 403)), 'misconfigured'],
    [new Stripe.errors.StripeRateLimitError(raw('rate_limit_error', 429)), 'unavailable'],
    [new Stripe.errors.StripeAPIError(raw('api_error', 500)), 'unavailable'],
    [new Stripe.errors.StripeConnectionError(raw('api_error', 0)), 'unavailable'],
    // Connect OAuth errors carry their own classes (raw `{ error: "invalid_grant" }` bodies).
    [new Stripe.errors.StripeInvalidGrantError({ message: 'Authorization code already used: ac_x' }), 'refused'],
    [new Stripe.errors.StripeInvalidClientError({ message: 'No such application: ca_x' }), 'misconfigured'],
    [new Error('socket hang up'), 'unavailable'],
    [undefined, 'unavailable'],
  ])('%#: classifies by error class, not message', (err, kind) => {
    const failure = classifyStripeError(err);
    expect(failure.kind).toBe(kind);
    expect(typeof failure.stripeMessage).toBe('string');
  });
});
