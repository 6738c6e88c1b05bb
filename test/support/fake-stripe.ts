import { randomBytes } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/**
 * A small stand-in for the Stripe API, enough for what Sway calls: Checkout Sessions (create, retrieve, expire),
 * Refunds and Connect OAuth's token exchange (`approve` plays the account owner approving in Stripe). It speaks the SDK's wire format (form-encoded bodies, Stripe-shaped JSON objects and errors) and
 * keeps Stripe's idempotency semantics: the same Idempotency-Key with the same parameters replays the first
 * response; with other parameters it is a 400 `idempotency_error`. Failures are scripted with `failNext` and
 * `hangNext` (a request that never gets an answer, to exercise the SDK timeout).
 */

type Json = Record<string, unknown>;

export interface FakeSession extends Json {
  id: string;
  object: 'checkout.session';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  amount_total: number;
  currency: string;
  metadata: Record<string, string>;
  client_reference_id: string | null;
  payment_intent: string | null;
  url: string | null;
}

export interface FakeRefund extends Json {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  status: 'succeeded';
  metadata: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  params: Json;
}

interface StripeErrorSpec {
  status: number;
  type: string;
  code?: string;
  message?: string;
}

/** Connect OAuth answers errors in OAuth's own shape, `{ error: "invalid_grant", error_description }`. */
class OAuthHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

class StripeHttpError extends Error {
  constructor(readonly spec: StripeErrorSpec) {
    super(spec.message ?? spec.type);
  }
}

const rid = (prefix: string): string => `${prefix}_test_${randomBytes(12).toString('base64url')}`;

/** `a[b][0][c]=1` → `{ a: { b: [ { c: '1' } ] } }`, as Stripe reads the SDK's bodies. */
function parseStripeForm(body: string): Json {
  const root: Json = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, '').split('[');
    let node: Json = root;
    path.forEach((seg, i) => {
      if (i === path.length - 1) node[seg] = value;
      else node = (node[seg] ??= {}) as Json;
    });
  }
  const arrays = (v: unknown): unknown => {
    if (!v || typeof v !== 'object') return v;
    const o = v as Json;
    const keys = Object.keys(o);
    const mapped = Object.fromEntries(keys.map((k) => [k, arrays(o[k])]));
    return keys.length && keys.every((k) => /^\d+$/.test(k))
      ? keys.sort((a, b) => +a - +b).map((k) => mapped[k])
      : mapped;
  };
  return arrays(root) as Json;
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Json)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export class FakeStripe {
  readonly sessions = new Map<string, FakeSession>();
  readonly refunds = new Map<string, FakeRefund>();
  readonly requests: RecordedRequest[] = [];
  private readonly paymentIntents = new Map<string, { amount: number; refunded: number; currency: string }>();
  private readonly idempotent = new Map<string, { fingerprint: string; status: number; body: Json }>();
  private failures: StripeErrorSpec[] = [];
  private hangs = 0;
  private server: Server | null = null;

  /** Authorization codes handed out by `approve`, as Stripe keeps them for the token exchange (single use). */
  readonly connectGrants = new Map<string, { accountId: string; used: boolean }>();

  static readonly SECRET_KEY = 'sk_test_fake_0123456789';
  static readonly CONNECT_CLIENT_ID = 'ca_test_fake_0123456789';
  static readonly WEBHOOK_SECRET = 'whsec_test_fake_0123456789';

  get url(): string {
    const port = (this.server?.address() as AddressInfo | null)?.port;
    if (!port) throw new Error('fake Stripe is not started');
    return `http://127.0.0.1:${port}`;
  }

  /** The env that points the app at this fake. */
  get env(): Record<string, string> {
    return {
      STRIPE_API_URL: this.url,
      STRIPE_SECRET_KEY: FakeStripe.SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: FakeStripe.WEBHOOK_SECRET,
      STRIPE_CONNECT_CLIENT_ID: FakeStripe.CONNECT_CLIENT_ID,
    };
  }

  /**
   * The owner of `accountId`, signed in to Stripe, opens Sway's Connect authorize URL and approves: Stripe would
   * redirect to the platform's redirect URI with these query parameters. Checks the URL as Stripe does.
   */
  approve(authorizeUrl: string, accountId: string): { code: string; state: string } {
    const u = new URL(authorizeUrl);
    if (!/\/oauth\/authorize$/.test(u.pathname)) throw new Error(`not a Connect authorize URL: ${u.pathname}`);
    if (u.searchParams.get('client_id') !== FakeStripe.CONNECT_CLIENT_ID) throw new Error('unknown client_id');
    if (u.searchParams.get('response_type') !== 'code') throw new Error('response_type must be code');
    const code = rid('ac');
    this.connectGrants.set(code, { accountId, used: false });
    return { code, state: u.searchParams.get('state') ?? '' };
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** The next `count` requests answer this error (no effect, nothing stored: Stripe does not save 5xx). */
  failNext(count: number, spec: StripeErrorSpec = { status: 500, type: 'api_error' }): void {
    for (let i = 0; i < count; i++) this.failures.push(spec);
  }

  /** The next `count` requests are never answered. */
  hangNext(count: number): void {
    this.hangs += count;
  }

  calls(method: string, pathPrefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix));
  }

  /** The customer pays: the session completes with a payment intent, as after a real Checkout. */
  pay(sessionId: string): FakeSession {
    const s = this.sessions.get(sessionId);
    if (!s) throw new Error(`no session ${sessionId}`);
    if (s.status !== 'open') throw new Error(`session ${sessionId} is ${s.status}`);
    const pi = rid('pi');
    this.paymentIntents.set(pi, { amount: s.amount_total, refunded: 0, currency: s.currency });
    Object.assign(s, { status: 'complete', payment_status: 'paid', payment_intent: pi, url: null });
    return structuredClone(s);
  }

  /** Stripe lets a session lapse after 24 h. */
  lapse(sessionId: string): FakeSession {
    const s = this.sessions.get(sessionId);
    if (!s || s.status !== 'open') throw new Error(`session ${sessionId} is not open`);
    Object.assign(s, { status: 'expired', url: null });
    return structuredClone(s);
  }

  refundedOn(paymentIntentId: string): number {
    return this.paymentIntents.get(paymentIntentId)?.refunded ?? 0;
  }

  /** A Stripe event object around `object`, as the webhook would deliver it. */
  event(type: string, object: Json, opts: { id?: string; account?: string } = {}): Json {
    return {
      id: opts.id ?? rid('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION ?? '2026-10-28.endive',
      created: Math.floor(Date.now() / 1000),
      type,
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      ...(opts.account ? { account: opts.account } : {}),
    };
  }

  /** Body and Stripe-Signature header, signed with the SDK's own test helper. */
  static sign(event: Json, opts: { secret?: string; timestamp?: number } = {}): { payload: string; header: string } {
    const payload = JSON.stringify(event);
    const header = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: opts.secret ?? FakeStripe.WEBHOOK_SECRET,
      timestamp: opts.timestamp,
    });
    return { payload, header };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const params = method === 'GET' ? Object.fromEntries(url.searchParams) : parseStripeForm(raw);
    const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
    this.requests.push({ method, path: url.pathname, idempotencyKey: key, params });

    if (this.hangs > 0) {
      this.hangs--;
      return; // never answered; the socket is destroyed at stop()
    }
    const send = (status: number, body: Json, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': rid('req'), ...headers });
      res.end(JSON.stringify(body));
    };
    const sendError = (e: StripeErrorSpec): void =>
      send(e.status, { error: { type: e.type, code: e.code, message: e.message ?? `fake ${e.type}` } });

    if (!/^Bearer sk_test_/.test(String(req.headers.authorization ?? ''))) {
      return sendError({ status: 401, type: 'invalid_request_error', message: 'Invalid API Key provided' });
    }
    const failure = this.failures.shift();
    if (failure) return sendError(failure);

    const fingerprint = `${method} ${url.pathname} ${stableJson(params)}`;
    if (method === 'POST' && key) {
      const prior = this.idempotent.get(key);
      if (prior && prior.fingerprint !== fingerprint) {
        return sendError({
          status: 400,
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      }
      if (prior) return send(prior.status, prior.body, { 'idempotent-replayed': 'true' });
    }
    let status = 200;
    let body: Json;
    try {
      body = this.route(method, url.pathname, params);
    } catch (err) {
      if (err instanceof OAuthHttpError) {
        status = err.status;
        body = { error: err.error, error_description: err.description };
      } else if (err instanceof StripeHttpError) {
        status = err.spec.status;
        body = { error: { type: err.spec.type, code: err.spec.code, message: err.spec.message } };
      } else throw err;
    }
    // Like Stripe: a result is saved for the key once the request was executed, errors included.
    if (method === 'POST' && key) this.idempotent.set(key, { fingerprint, status, body });
    send(status, body);
  }

  private route(method: string, path: string, p: Json): Json {
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/v1/checkout/sessions') return this.createSession(p);
    if (method === 'GET' && (m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path))) return this.session(m[1]);
    if (method === 'POST' && (m = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(path))) {
      const s = this.session(m[1]);
      if (s.status !== 'open') {
        throw invalid(`This Checkout Session is not open (status: ${s.status}) and can no longer be expired.`);
      }
      Object.assign(this.sessions.get(s.id)!, { status: 'expired', url: null });
      return structuredClone(this.sessions.get(s.id)!);
    }
    if (method === 'POST' && path === '/v1/refunds') return this.createRefund(p);
    if (method === 'POST' && path.replace(/^\/+/, '/') === '/oauth/token') return this.oauthToken(p);
    throw new StripeHttpError({
      status: 404,
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method}: ${path})`,
    });
  }

  /** Connect's token exchange: a code from `approve`, once, for the approving account's id and tokens. */
  private oauthToken(p: Json): Json {
    if (p.grant_type !== 'authorization_code') {
      throw new OAuthHttpError(400, 'unsupported_grant_type', `Unsupported grant type: ${String(p.grant_type)}`);
    }
    const code = typeof p.code === 'string' ? p.code : '';
    const grant = this.connectGrants.get(code);
    if (!grant) throw new OAuthHttpError(400, 'invalid_grant', `Authorization code does not exist: ${code}`);
    if (grant.used) throw new OAuthHttpError(400, 'invalid_grant', `Authorization code already used: ${code}`);
    grant.used = true;
    return {
      access_token: rid('sk'),
      livemode: false,
      refresh_token: rid('rt'),
      token_type: 'bearer',
      stripe_publishable_key: rid('pk'),
      stripe_user_id: grant.accountId,
      scope: 'read_only',
    };
  }

  private session(id: string): FakeSession {
    const s = this.sessions.get(id);
    if (!s)
      throw new StripeHttpError({
        status: 404,
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: `No such checkout.session: '${id}'`,
      });
    return structuredClone(s);
  }

  private createSession(p: Json): FakeSession {
    if (p.mode !== 'payment') throw invalid('mode must be payment', 'parameter_invalid_string');
    const items = (p.line_items ?? []) as Json[];
    if (!Array.isArray(items) || !items.length) throw invalid('line_items is required', 'parameter_missing');
    let total = 0;
    let currency = '';
    for (const item of items) {
      const pd = item.price_data as Json | undefined;
      const unit = Number(pd?.unit_amount);
      const qty = Number(item.quantity ?? 1);
      if (!pd || !Number.isInteger(unit) || unit < 0)
        throw invalid('Invalid integer: unit_amount', 'parameter_invalid_integer');
      if (typeof pd.currency !== 'string' || !/^[a-z]{3}$/.test(pd.currency))
        throw invalid('Invalid currency', 'parameter_invalid_string');
      currency = pd.currency;
      total += unit * qty;
    }
    if (total < 50)
      throw invalid("The Checkout Session's total amount due must add up to at least $0.50 usd", 'amount_too_small');
    if (total > 99_999_999)
      throw invalid("The Checkout Session's total amount due must be no more than $999,999.99", 'amount_too_large');
    const id = rid('cs');
    const session: FakeSession = {
      id,
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_subtotal: total,
      amount_total: total,
      currency,
      metadata: (p.metadata ?? {}) as Record<string, string>,
      client_reference_id: (p.client_reference_id as string | undefined) ?? null,
      payment_intent: null,
      success_url: p.success_url ?? null,
      cancel_url: p.cancel_url ?? null,
      url: `https://checkout.stripe.test/c/pay/${id}`,
      created: Math.floor(Date.now() / 1000),
      expires_at: Math.floor(Date.now() / 1000) + 24 * 3600,
      livemode: false,
    };
    this.sessions.set(id, session);
    return structuredClone(session);
  }

  private createRefund(p: Json): FakeRefund {
    const piId = p.payment_intent as string | undefined;
    const pi = piId ? this.paymentIntents.get(piId) : undefined;
    if (!piId || !pi)
      throw new StripeHttpError({
        status: 404,
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: `No such payment_intent: '${piId}'`,
      });
    const amount = p.amount === undefined ? pi.amount - pi.refunded : Number(p.amount);
    if (!Number.isInteger(amount) || amount < 1)
      throw invalid('Invalid positive integer: amount', 'parameter_invalid_integer');
    if (amount > pi.amount - pi.refunded) {
      throw invalid(
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${pi.amount - pi.refunded})`,
        'amount_too_large',
      );
    }
    pi.refunded += amount;
    const refund: FakeRefund = {
      id: rid('re'),
      object: 'refund',
      amount,
      currency: pi.currency,
      payment_intent: piId,
      status: 'succeeded',
      metadata: (p.metadata ?? {}) as Record<string, string>,
      created: Math.floor(Date.now() / 1000),
    };
    this.refunds.set(refund.id, refund);
    return structuredClone(refund);
  }
}

function invalid(message: string, code?: string): StripeHttpError {
  return new StripeHttpError({ status: 400, type: 'invalid_request_error', code, message });
}
