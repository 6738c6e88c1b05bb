import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';

/** Read at most this much of a receiver's answer; then the connection is cut. */
const MAX_RESPONSE_BYTES = 64 * 1024;
/** Kept in the delivery log. */
const LOGGED_RESPONSE_BYTES = 4 * 1024;
const LOOPBACK = ['127.0.0.1', '::1'];

export interface SendResult {
  status: number | null;
  durationMs: number;
  body: string | null;
  error: string | null;
  retryAfter: string | undefined;
}

export interface SenderOptions {
  allowInsecure: boolean;
  timeoutMs: number;
  lookup?: LookupFunction;
}

/**
 * Why a URL may not be an endpoint, or null. HTTPS only, and no literal address that is not public; `http://` and
 * loopback only with the insecure allowance. Hostnames are judged again by the agent after DNS resolution, at
 * connect time, because a name can resolve anywhere (and change between this check and a delivery).
 */
export function endpointUrlProblem(raw: string, allowInsecure: boolean): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (u.username || u.password) return 'must not contain credentials';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const loopback = isIP(host) ? ipaddr.process(host).range() === 'loopback' : /^localhost\.?$/i.test(host);
  if (u.protocol === 'http:') {
    if (!allowInsecure || !loopback) return 'must use https';
  } else if (u.protocol !== 'https:') {
    return 'must use https';
  }
  if (loopback && !allowInsecure) return 'must not point at a loopback address';
  if (isIP(host) && !loopback && ipaddr.process(host).range() !== 'unicast') {
    return 'must not point at a private, link-local or reserved address';
  }
  return null;
}

/**
 * POSTs one delivery through an SSRF-filtering agent: every address a hostname resolves to is checked in the
 * socket's own lookup, so what is connected to is what was checked (DNS rebinding fails). No redirects (Node's
 * http client never follows them; a 3xx is a failure), one overall timeout, the response read up to a bound.
 */
export class WebhookSender {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(private readonly opts: SenderOptions) {
    const filter = {
      allowPrivateIPAddress: false,
      allowMetaIPAddress: false,
      allowIPAddressList: opts.allowInsecure ? LOOPBACK : [],
      // http.Agent passes its options to createConnection, where the filtering lookup wraps this one.
      ...(opts.lookup ? { lookup: opts.lookup } : {}),
    };
    this.httpAgent = new RequestFilteringHttpAgent({ ...filter, keepAlive: false });
    this.httpsAgent = new RequestFilteringHttpsAgent({ ...filter, keepAlive: false });
  }

  send(url: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = process.hrtime.bigint();
    const elapsed = (): number => Number((process.hrtime.bigint() - started) / 1_000_000n);
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      // Set once the request exists; `done` may run before that (an invalid URL).
      const timing: { timer?: NodeJS.Timeout } = {};
      const done = (r: Omit<SendResult, 'durationMs'>): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timing.timer);
        resolve({ ...r, durationMs: elapsed() });
      };
      const fail = (error: string): void => done({ status: null, body: null, error, retryAfter: undefined });
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        fail('invalid URL');
        return;
      }
      const problem = endpointUrlProblem(url, this.opts.allowInsecure);
      if (problem) {
        fail(`refused: URL ${problem}`);
        return;
      }
      const lib = target.protocol === 'https:' ? https : http;
      const req = lib.request(target, {
        method: 'POST',
        agent: target.protocol === 'https:' ? this.httpsAgent : this.httpAgent,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Sway-Webhooks/1.0',
        },
      });
      timing.timer = setTimeout(() => {
        fail(`timeout after ${this.opts.timeoutMs} ms`);
        req.destroy();
      }, this.opts.timeoutMs);
      req.on('error', (err) => fail(describe(err)));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = (): void => {
          const text = Buffer.concat(chunks).subarray(0, LOGGED_RESPONSE_BYTES).toString('utf8');
          const retryAfter = res.headers['retry-after'];
          done({ status: res.statusCode ?? null, body: text || null, error: null, retryAfter });
        };
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(c);
          else {
            // Enough to log; the status is what matters, so the rest is not read.
            finish();
            res.destroy();
          }
        });
        res.on('end', finish);
        res.on('error', () => finish());
      });
      req.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** Error text for the delivery log: what went wrong, without stack or secrets. */
function describe(err: Error & { code?: string }): string {
  if (/is not allowed/.test(err.message)) return `refused: ${err.message}`;
  return err.code ? `${err.code}: ${err.message}` : err.message;
}
