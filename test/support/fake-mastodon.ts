import { createHash, randomBytes } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A local Mastodon instance for the endpoints Sway uses, with the entity shapes of docs.joinmastodon.org
 * (Mastodon 4.3): Application, Token, CredentialAccount, Account, Status, Context; OAuth 2 authorization code
 * with PKCE (S256 checked at the token endpoint); `Link` header pagination (`max_id`, `rel="next"`);
 * `X-RateLimit-Limit/Remaining/Reset` (ISO 8601) on every answer and 429s on demand.
 * `authorize(url, username)` plays the member approving the app in their browser: it returns the redirect.
 */
export interface FakeStatus {
  id: string;
  content: string;
  createdAt: string;
  visibility?: 'public' | 'unlisted' | 'private' | 'direct';
  tags?: string[];
  favouritedBy?: string[];
  rebloggedBy?: string[];
  repliesFrom?: string[];
}

interface Acct {
  id: string;
  username: string;
  followers: number;
  statuses: FakeStatus[];
}

export class FakeMastodon {
  readonly accounts = new Map<string, Acct>();
  readonly apps = new Map<string, { secret: string; redirectUri: string }>();
  readonly revoked: string[] = [];
  private readonly codes = new Map<string, { clientId: string; challenge: string; username: string }>();
  private readonly tokens = new Map<string, string>();
  private rateLimits: number[] = [];
  private server: Server | null = null;
  pageSize = 2;
  /** Every request that reached the instance, to prove that a refused one did not. */
  requestCount = 0;

  get host(): string {
    const port = (this.server?.address() as AddressInfo | null)?.port;
    if (!port) throw new Error('fake Mastodon is not started');
    return `127.0.0.1:${port}`;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  addAccount(username: string, o: Partial<Omit<Acct, 'username'>> = {}): Acct {
    const a: Acct = { id: String(100 + this.accounts.size), username, followers: 0, statuses: [], ...o };
    this.accounts.set(username, a);
    return a;
  }

  rateLimitNext(seconds: number): void {
    this.rateLimits.push(seconds);
  }

  /** The member approves on the instance: the redirect back to Sway, with `code` and `state`. */
  authorize(authorizeUrl: string, username: string): string {
    const u = new URL(authorizeUrl);
    const p = u.searchParams;
    const app = this.apps.get(p.get('client_id') ?? '');
    if (!app || app.redirectUri !== p.get('redirect_uri')) throw new Error('unknown client or redirect_uri');
    if (p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge')) throw new Error('PKCE required');
    if (p.get('scope') !== 'read:accounts read:statuses') throw new Error(`unexpected scope ${p.get('scope')}`);
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { clientId: p.get('client_id')!, challenge: p.get('code_challenge')!, username });
    const back = new URL(app.redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', p.get('state')!);
    return `${back.pathname}${back.search}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accountJson(a: Acct | string): Record<string, unknown> {
    if (typeof a === 'string') {
      // A remote account as the instance knows it: acct carries the domain.
      return { id: `9${createHash('sha1').update(a).digest('hex').slice(0, 8)}`, username: a.split('@')[0], acct: a };
    }
    return {
      id: a.id,
      username: a.username,
      acct: a.username,
      display_name: a.username,
      url: `http://${this.host}/@${a.username}`,
      followers_count: a.followers,
      following_count: 3,
      statuses_count: a.statuses.length,
      created_at: '2022-11-01T00:00:00.000Z',
    };
  }

  private statusJson(a: Acct, s: FakeStatus): Record<string, unknown> {
    return {
      id: s.id,
      uri: `http://${this.host}/users/${a.username}/statuses/${s.id}`,
      url: `http://${this.host}/@${a.username}/${s.id}`,
      created_at: s.createdAt,
      account: this.accountJson(a),
      content: s.content,
      visibility: s.visibility ?? 'public',
      sensitive: false,
      spoiler_text: '',
      in_reply_to_id: null,
      reblog: null,
      tags: (s.tags ?? []).map((name) => ({ name, url: `http://${this.host}/tags/${name}` })),
      favourites_count: (s.favouritedBy ?? []).length,
      reblogs_count: (s.rebloggedBy ?? []).length,
      replies_count: (s.repliesFrom ?? []).length,
      card: null,
    };
  }

  private find(statusId: string): { a: Acct; s: FakeStatus } | null {
    for (const a of this.accounts.values()) {
      const s = a.statuses.find((x) => x.id === statusId);
      if (s) return { a, s };
    }
    return null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requestCount++;
    const u = new URL(req.url ?? '/', `http://${this.host}`);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const form: Record<string, string> = (req.headers['content-type'] ?? '').includes('json')
      ? JSON.parse(raw || '{}')
      : Object.fromEntries(new URLSearchParams(raw));
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'x-ratelimit-limit': '300',
        'x-ratelimit-remaining': '299',
        'x-ratelimit-reset': new Date(Date.now() + 300_000).toISOString(),
        ...headers,
      });
      res.end(JSON.stringify(body));
    };
    const rl = this.rateLimits.shift();
    if (rl !== undefined && u.pathname.startsWith('/api/v1/accounts/') && u.pathname.endsWith('/statuses')) {
      return send(
        429,
        { error: 'Too many requests' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': new Date(Date.now() + rl * 1000).toISOString() },
      );
    } else if (rl !== undefined) this.rateLimits.unshift(rl);

    if (req.method === 'POST' && u.pathname === '/api/v1/apps') {
      if (!form.client_name || !form.redirect_uris) return send(422, { error: 'Validation failed' });
      const clientId = randomBytes(8).toString('hex');
      const secret = randomBytes(16).toString('hex');
      this.apps.set(clientId, { secret, redirectUri: form.redirect_uris });
      return send(200, {
        id: String(this.apps.size),
        name: form.client_name,
        website: form.website ?? null,
        scopes: (form.scopes ?? 'read').split(' '),
        redirect_uri: form.redirect_uris,
        redirect_uris: [form.redirect_uris],
        client_id: clientId,
        client_secret: secret,
      });
    }
    if (req.method === 'POST' && u.pathname === '/oauth/token') {
      const code = this.codes.get(form.code ?? '');
      const app = this.apps.get(form.client_id ?? '');
      const pkceOk =
        code &&
        createHash('sha256')
          .update(form.code_verifier ?? '')
          .digest('base64url') === code.challenge;
      if (!code || !app || app.secret !== form.client_secret || !pkceOk || form.grant_type !== 'authorization_code') {
        return send(400, { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid' });
      }
      this.codes.delete(form.code);
      const token = randomBytes(20).toString('hex');
      this.tokens.set(token, code.username);
      return send(200, {
        access_token: token,
        token_type: 'Bearer',
        scope: 'read:accounts read:statuses',
        created_at: 1,
      });
    }
    if (req.method === 'POST' && u.pathname === '/oauth/revoke') {
      this.revoked.push(form.token);
      this.tokens.delete(form.token);
      return send(200, {});
    }
    const user = this.tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!user) return send(401, { error: 'The access token is invalid' });
    const me = this.accounts.get(user)!;
    if (u.pathname === '/api/v1/accounts/verify_credentials') return send(200, this.accountJson(me));
    let m = /^\/api\/v1\/accounts\/([^/]+)\/statuses$/.exec(u.pathname);
    if (m) {
      const a = [...this.accounts.values()].find((x) => x.id === m![1]);
      if (!a) return send(404, { error: 'Record not found' });
      const maxId = u.searchParams.get('max_id');
      const sorted = [...a.statuses].sort((x, y) => Number(y.id) - Number(x.id));
      const rest = maxId ? sorted.filter((s) => Number(s.id) < Number(maxId)) : sorted;
      const limit = Math.min(Number(u.searchParams.get('limit') ?? 20), 40, this.pageSize);
      const page = rest.slice(0, limit);
      const headers: Record<string, string> = {};
      if (rest.length > limit) {
        const next = `http://${this.host}/api/v1/accounts/${a.id}/statuses?limit=${limit}&max_id=${page[page.length - 1].id}`;
        headers.link = `<${next}>; rel="next", <http://${this.host}/api/v1/accounts/${a.id}/statuses?min_id=${page[0].id}>; rel="prev"`;
      }
      return send(
        200,
        page.map((s) => this.statusJson(a, s)),
        headers,
      );
    }
    m = /^\/api\/v1\/statuses\/([^/]+)\/(favourited_by|reblogged_by|context)$/.exec(u.pathname);
    if (m) {
      const f = this.find(m[1]);
      if (!f) return send(404, { error: 'Record not found' });
      if (m[2] === 'favourited_by')
        return send(
          200,
          (f.s.favouritedBy ?? []).map((x) => this.accountJson(x)),
        );
      if (m[2] === 'reblogged_by')
        return send(
          200,
          (f.s.rebloggedBy ?? []).map((x) => this.accountJson(x)),
        );
      return send(200, {
        ancestors: [],
        descendants: (f.s.repliesFrom ?? []).map((x, i) => ({
          id: `${f.s.id}${i}`,
          created_at: f.s.createdAt,
          in_reply_to_id: f.s.id,
          account: this.accountJson(x),
          content: '<p>great</p>',
          visibility: 'public',
        })),
      });
    }
    return send(404, { error: 'Record not found' });
  }
}
