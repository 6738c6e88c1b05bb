import { Inject, Injectable, Logger } from '@nestjs/common';
import Stripe from 'stripe';
import { APP_CONFIG, AppConfig } from '../config/config';

/**
 * How a failed Stripe call should be answered: `unavailable` (network, timeout, 5xx, rate limit: retry later,
 * nothing is lost), `refused` (Stripe will not do this with these parameters: a 4xx for the caller),
 * `conflict` (idempotency key reused with other parameters), `misconfigured` (our key is wrong: an operator's
 * problem, never the caller's).
 */
export type StripeFailureKind = 'unavailable' | 'refused' | 'conflict' | 'misconfigured';

export class StripeCallFailed extends Error {
  constructor(
    readonly kind: StripeFailureKind,
    readonly stripeMessage: string,
    readonly stripeCode?: string,
  ) {
    super(`Stripe ${kind}: ${stripeMessage}`);
  }
}

/** Classified by the SDK's error class (its `type`), never by message text. */
export function classifyStripeError(err: unknown): StripeCallFailed {
  const e = err as { type?: unknown; message?: unknown; code?: unknown };
  const message = typeof e?.message === 'string' ? e.message : 'unknown error';
  const code = typeof e?.code === 'string' ? e.code : undefined;
  switch (e?.type) {
    // Connect OAuth's grant errors are refusals too: an unknown, expired or already used code.
    case 'StripeCardError':
    case 'StripeInvalidRequestError':
    case 'StripeInvalidGrantError':
    case 'StripeOAuthInvalidRequestError':
    case 'StripeInvalidScopeError':
    case 'StripeUnsupportedGrantTypeError':
    case 'StripeUnsupportedResponseTypeError':
      return new StripeCallFailed('refused', message, code);
    case 'StripeIdempotencyError':
      return new StripeCallFailed('conflict', message, code);
    case 'StripeAuthenticationError':
    case 'StripePermissionError':
    case 'StripeInvalidClientError':
      return new StripeCallFailed('misconfigured', message, code);
    default:
      return new StripeCallFailed('unavailable', message, code);
  }
}

export interface CheckoutRequest {
  fundingId: string;
  campaignId: string;
  campaignName: string;
  amountCents: number;
  currency: string;
}

export interface RefundRequest {
  paymentIntentId: string;
  amountCents: number;
  idempotencyKey: string;
  metadata: Record<string, string>;
}

/** The SDK in one place: built from config (STRIPE_API_URL points it at a fake in tests), errors classified. */
@Injectable()
export class StripeGateway {
  private readonly logger = new Logger(StripeGateway.name);
  private readonly client: Stripe | null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.client = config.stripeSecretKey ? new Stripe(config.stripeSecretKey, clientOptions(config)) : null;
  }

  get enabled(): boolean {
    return this.client !== null;
  }

  get webhooksEnabled(): boolean {
    return this.config.stripeWebhookSecret !== null;
  }

  /** Stripe's key `funding:<id>`: a retry of the same funding returns the same session, never a second one. */
  async createCheckoutSession(r: CheckoutRequest): Promise<{ id: string; url: string; expiresAt: Date | null }> {
    const base = this.config.publicBaseUrl;
    const session = await this.call((s) =>
      s.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [
            {
              quantity: 1,
              price_data: { currency: r.currency, unit_amount: r.amountCents, product_data: { name: r.campaignName } },
            },
          ],
          metadata: { campaignId: r.campaignId, fundingId: r.fundingId },
          payment_intent_data: { metadata: { campaignId: r.campaignId, fundingId: r.fundingId } },
          client_reference_id: r.fundingId,
          success_url: `${base}/console/campaigns/${r.campaignId}?funding=success`,
          cancel_url: `${base}/console/campaigns/${r.campaignId}?funding=cancelled`,
        },
        { idempotencyKey: `funding:${r.fundingId}` },
      ),
    );
    if (!session.url) throw new StripeCallFailed('unavailable', 'Stripe returned a session without a URL');
    return {
      id: session.id,
      url: session.url,
      expiresAt: session.expires_at ? new Date(session.expires_at * 1000) : null,
    };
  }

  async paymentIntentOf(sessionId: string): Promise<string | null> {
    const session = await this.call((s) => s.checkout.sessions.retrieve(sessionId));
    return paymentIntentId(session);
  }

  /** Expires an open session so it can no longer be paid; `false` when it is no longer open (e.g. paid). */
  async expireCheckoutSession(sessionId: string): Promise<boolean> {
    try {
      await this.call((s) => s.checkout.sessions.expire(sessionId));
      return true;
    } catch (err) {
      if (err instanceof StripeCallFailed && err.kind === 'refused') return false;
      throw err;
    }
  }

  async refund(r: RefundRequest): Promise<{ id: string; amountCents: number }> {
    const refund = await this.call((s) =>
      s.refunds.create(
        { payment_intent: r.paymentIntentId, amount: r.amountCents, metadata: r.metadata },
        { idempotencyKey: r.idempotencyKey },
      ),
    );
    return { id: refund.id, amountCents: refund.amount };
  }

  /** Connect OAuth needs both the secret key and the platform's client id. */
  get connectEnabled(): boolean {
    return this.client !== null && this.config.stripeConnectClientId !== null;
  }

  /**
   * Where a brand approves Sway's read-only access to its own account: Stripe then redirects to the platform's
   * registered redirect URI with `code` and our `state`. Read-only is enough: Sway only needs the account's
   * Connect webhooks, never to act on it.
   */
  connectAuthorizeUrl(state: string): string {
    if (!this.client || !this.config.stripeConnectClientId) {
      throw new StripeCallFailed('misconfigured', 'STRIPE_SECRET_KEY or STRIPE_CONNECT_CLIENT_ID is not set');
    }
    return this.client.oauth.authorizeUrl({
      response_type: 'code',
      client_id: this.config.stripeConnectClientId,
      scope: 'read_only',
      state,
    });
  }

  /**
   * Exchanges an authorization code (single use, issued by Stripe to whoever approved in the account's own
   * dashboard) for the id of the account that approved it: the proof of ownership. The access token Stripe
   * returns with it is dropped, never stored or logged: Sway does not call the brand's account.
   */
  async exchangeConnectCode(code: string): Promise<string> {
    const token = await this.call((s) => s.oauth.token({ grant_type: 'authorization_code', code }));
    if (!token.stripe_user_id) throw new StripeCallFailed('unavailable', 'Stripe returned no account id');
    return token.stripe_user_id;
  }

  /** Verifies Stripe-Signature on the exact bytes received; throws on any mismatch, staleness or malformation. */
  verifyWebhook(rawBody: Buffer, signature: string): Stripe.Event {
    if (!this.config.stripeWebhookSecret) throw new Error('STRIPE_WEBHOOK_SECRET is not set');
    return Stripe.webhooks.constructEvent(rawBody, signature, this.config.stripeWebhookSecret);
  }

  private async call<T>(fn: (s: Stripe) => Promise<T>): Promise<T> {
    if (!this.client) throw new StripeCallFailed('misconfigured', 'STRIPE_SECRET_KEY is not set');
    try {
      return await fn(this.client);
    } catch (err) {
      const failure = classifyStripeError(err);
      if (failure.kind === 'misconfigured')
        this.logger.error(`Stripe rejected our credentials: ${failure.stripeMessage}`);
      throw failure;
    }
  }
}

export function paymentIntentId(session: Pick<Stripe.Checkout.Session, 'payment_intent'>): string | null {
  const pi = session.payment_intent;
  return typeof pi === 'string' ? pi : (pi?.id ?? null);
}

function clientOptions(config: AppConfig): Stripe.StripeConfig {
  const options: Stripe.StripeConfig = {
    // The SDK retries network errors, 409 and 5xx with the same idempotency key.
    maxNetworkRetries: 2,
    timeout: config.stripeTimeoutMs,
    telemetry: false,
    appInfo: { name: 'sway' },
  };
  if (config.stripeApiUrl) {
    const u = new URL(config.stripeApiUrl);
    const protocol = u.protocol === 'http:' ? 'http' : 'https';
    options.host = u.hostname;
    options.port = u.port || (protocol === 'http' ? 80 : 443);
    options.protocol = protocol;
  }
  return options;
}
