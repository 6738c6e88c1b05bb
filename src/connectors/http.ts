import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';

/**
 * The one way connectors talk to networks: JSON over fetch with a timeout, a bounded body, and the networks'
 * rate-limit headers turned into a typed error the sync can schedule around. Bluesky's AppView sends the IETF
 * draft headers (`ratelimit-limit`, `ratelimit-remaining`, `ratelimit-reset` in epoch seconds); Mastodon sends
 * `x-ratelimit-*` with an ISO 8601 reset; either may send `retry-after` (seconds or an HTTP date) on a 429.
 */
const MAX_BODY_BYTES = 2 * 1024 * 1024;
const TIMEOUT_MS = 10_000;

export class NetworkError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** 4xx other than 408/429 will fail the same way again: do not retry the request. */
    readonly permanent = status >= 400 && status < 500 && status !== 408 && status !== 429,
    readonly body: unknown = null,
  ) {
    super(message);
  }
}

export class RateLimited extends NetworkError {
  constructor(readonly retryAt: Date) {
    super(429, `rate limited until ${retryAt.toISOString()}`, false);
  }
}

/** When the network wants us back, from whichever headers it sent; null when it did not say. */
function rateLimitResetAt(headers: Headers, now = Date.now()): Date | null {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter.trim())) return new Date(now + Number(retryAfter.trim()) * 1000);
    const d = Date.parse(retryAfter);
    if (!Number.isNaN(d)) return new Date(d);
  }
  const reset = headers.get('ratelimit-reset') ?? headers.get('x-ratelimit-reset');
  if (reset) {
    const v = reset.trim();
    if (/^\d+$/.test(v)) {
      const n = Number(v);
      // Epoch seconds (Bluesky) or, per the IETF draft, seconds from now.
      return new Date(n > 1_000_000_000 ? n * 1000 : now + n * 1000);
    }
    const d = Date.parse(v);
    if (!Number.isNaN(d)) return new Date(d);
  }
  return null;
}

/** The budget left in the current window, when the network says so. */
function rateLimitRemaining(headers: Headers): number | null {
  const v = headers.get('ratelimit-remaining') ?? headers.get('x-ratelimit-remaining');
  return v !== null && /^\d+$/.test(v.trim()) ? Number(v.trim()) : null;
}

/** The host resolved (or is) an address that is not public: permanent, and the client's choice, not an outage. */
export class AddressRefused extends NetworkError {
  constructor() {
    super(0, 'the host does not resolve to a public address', true);
  }
}

interface TransportInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** Sends one request; redirects are never followed (a 3xx is an error). */
export type Transport = (url: string, init: TransportInit) => Promise<Response>;

/** For hosts the operator configured (the Bluesky AppView): they may legitimately be internal. */
const trustedTransport: Transport = (url, init) => fetch(url, { ...init, redirect: 'error' });

export interface AddressPolicy {
  /** 127.0.0.1 and ::1 only (tests, a developer's machine): MASTODON_ALLOW_HTTP. */
  allowLoopback: boolean;
  /** Tests only: resolve names without real DNS. */
  lookup?: LookupFunction;
}

/**
 * For hosts a member chose (a Mastodon instance): every address is checked where the socket connects — a
 * literal IP in the socket's options, a name in the socket's own DNS lookup — so what is connected to is what
 * was checked and a name that re-resolves to an internal address (DNS rebinding) fails too. Private, loopback,
 * link-local (169.254.169.254, the cloud metadata service), unspecified and reserved ranges are refused. Redirects
 * are not followed, so no later hop can reach an address the first one could not.
 */
export class MemberHostTransport {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(policy: AddressPolicy) {
    const filter = {
      allowPrivateIPAddress: false,
      allowMetaIPAddress: false,
      allowIPAddressList: policy.allowLoopback ? ['127.0.0.1', '::1'] : [],
      ...(policy.lookup ? { lookup: policy.lookup } : {}),
    };
    this.httpAgent = new RequestFilteringHttpAgent({ ...filter, keepAlive: false });
    this.httpsAgent = new RequestFilteringHttpsAgent({ ...filter, keepAlive: false });
  }

  readonly send: Transport = (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      if (!secure && target.protocol !== 'http:') return reject(new AddressRefused());
      const fail = (err: Error): void => reject(refusal(err) ?? err);
      let req: http.ClientRequest;
      try {
        req = (secure ? https : http).request(target, {
          method: init.method,
          headers: {
            ...init.headers,
            ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}),
          },
          agent: secure ? this.httpsAgent : this.httpAgent,
          signal: init.signal,
        });
      } catch (err) {
        // The agent checks a literal IP synchronously, inside request().
        return fail(err as Error);
      }
      req.on('error', fail);
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 599 || (status >= 300 && status < 400)) {
          res.resume();
          return reject(new NetworkError(status, `HTTP ${status}: redirects are not followed`, true));
        }
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) headers.append(k, one);
        }
        const body = status === 204 ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        resolve(new Response(body, { status, headers }));
      });
      req.end(init.body);
    });

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function refusal(err: Error): AddressRefused | null {
  return /is not allowed/.test(err.message) ? new AddressRefused() : null;
}

export interface JsonResponse<T> {
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** JSON body, or a URLSearchParams sent as a form. */
  body?: unknown;
  timeoutMs?: number;
}

/** Every request a sync makes goes through one of these, so a test can count and a run can budget them. */
export class HttpClient {
  requests = 0;
  /** Stop well before the network's limit so the member's own apps keep working. */
  private lowWater: Date | null = null;

  constructor(
    private readonly transport: Transport = trustedTransport,
    private readonly userAgent = 'Sway-Connector/1.0 (+https://github.com/sway)',
  ) {}

  async json<T>(url: string, opts: RequestOptions = {}): Promise<JsonResponse<T>> {
    if (this.lowWater && this.lowWater.getTime() > Date.now()) throw new RateLimited(this.lowWater);
    this.requests++;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.userAgent,
      ...opts.headers,
    };
    let body: string | undefined;
    if (opts.body instanceof URLSearchParams) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = opts.body.toString();
    } else if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    let res: Response;
    try {
      res = await this.transport(url, {
        method: opts.method ?? 'GET',
        headers,
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? TIMEOUT_MS),
      });
    } catch (err) {
      if (err instanceof NetworkError) throw err;
      throw new NetworkError(0, `request failed: ${(err as Error).name}`, false);
    }
    const reset = rateLimitResetAt(res.headers);
    if (res.status === 429) {
      await res.body?.cancel();
      throw new RateLimited(reset ?? new Date(Date.now() + 60_000));
    }
    const remaining = rateLimitRemaining(res.headers);
    if (remaining !== null && remaining <= 1 && reset) this.lowWater = reset;
    const text = await readBounded(res);
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      if (res.ok) throw new NetworkError(res.status, 'response is not JSON', false);
    }
    if (!res.ok) {
      const e = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
      const what = typeof e.error === 'string' ? `: ${e.error.slice(0, 100)}` : '';
      throw new NetworkError(res.status, `HTTP ${res.status}${what}`, undefined, parsed);
    }
    return { body: parsed as T, headers: res.headers };
  }
}

async function readBounded(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>;
    try {
      chunk = await reader.read();
    } catch (err) {
      // A timeout or a reset mid-body is the network's failure like any other.
      throw new NetworkError(0, `response failed: ${(err as Error).name}`, false);
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new NetworkError(res.status, 'response too large', false);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
