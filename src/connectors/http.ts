/**
 * The one way connectors talk to networks: JSON over fetch with a timeout, a bounded body, and the networks'
 * rate-limit headers turned into a typed error the sync can schedule around. Bluesky's AppView sends the IETF
 * draft headers (`ratelimit-limit`, `ratelimit-remaining`, `ratelimit-reset` in epoch seconds); Mastodon sends
 * `x-ratelimit-*` with an ISO 8601 reset; either may send `retry-after` (seconds or an HTTP date) on a 429.
 */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
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
export function rateLimitResetAt(headers: Headers, now = Date.now()): Date | null {
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
export function rateLimitRemaining(headers: Headers): number | null {
  const v = headers.get('ratelimit-remaining') ?? headers.get('x-ratelimit-remaining');
  return v !== null && /^\d+$/.test(v.trim()) ? Number(v.trim()) : null;
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

  constructor(private readonly userAgent = 'Sway-Connector/1.0 (+https://github.com/sway)') {}

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
      res = await fetch(url, {
        method: opts.method ?? 'GET',
        headers,
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(opts.timeoutMs ?? TIMEOUT_MS),
      });
    } catch (err) {
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
    const { done, value } = await reader.read();
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
