import { createHash, randomBytes } from 'node:crypto';
import {
  Connector,
  FetchedPost,
  FetchedReaction,
  SyncAccount,
  SyncLimits,
  SyncResult,
  arr,
  count,
  date,
  obj,
  str,
  newestPostAt,
  windowStart,
} from '../connector';
import { HttpClient, NetworkError } from '../http';

/**
 * Mastodon's REST API (docs.joinmastodon.org, Mastodon 4.x): `POST /api/v1/apps`, `/oauth/authorize` and
 * `/oauth/token` (authorization code with PKCE S256, supported since 4.3), `GET /api/v1/accounts/verify_credentials`,
 * `/api/v1/accounts/:id/statuses`, `/api/v1/statuses/:id/favourited_by`, `/reblogged_by`, `/context`. Lists page
 * with `max_id` (the `Link` header's `rel="next"`); rate limits come as `X-RateLimit-*` (reset in ISO 8601).
 */
export const MASTODON_SCOPES = 'read:accounts read:statuses';
const STATUS_PAGE = 40;
const ACCOUNT_PAGE = 80;

export interface MastodonAccount {
  id: string;
  username: string;
  acct: string;
  followersCount: number | null;
}

/** `@user@host` (the host may carry a port) → parts; null when it is not a Mastodon address. */
export function parseMastodonAddress(raw: string): { username: string; host: string } | null {
  const m = /^@?([A-Za-z0-9_]{1,30})@([A-Za-z0-9.-]{1,253}(?::\d{1,5})?)$/.exec(raw.trim());
  if (!m || !m[2].includes('.')) return null;
  return { username: m[1], host: m[2].toLowerCase() };
}

/** A DNS name with a public-looking suffix: no port, no IP literal, no local or internal names. */
export function isPublicHostname(host: string): boolean {
  if (host.includes(':') || /^[\d.]+$/.test(host)) return false;
  return !/(^|\.)(localhost|local|internal|intranet|lan|home|corp|test|example|invalid)$/.test(host);
}

/** The canonical id of an account anywhere in the fediverse: `user@host`, as `acct` is relative to the instance. */
export function canonicalAcct(acct: string, instanceHost: string): string {
  return (acct.includes('@') ? acct : `${acct}@${instanceHost}`).toLowerCase();
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The HTML of a status as plain text (Mastodon sends `content` as sanitised HTML). */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(
      /&(amp|lt|gt|quot|#39|apos|nbsp);/g,
      (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' })[e] ?? '',
    );
}

function nextMaxId(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    if (/rel="?next"?/.test(part)) {
      const m = /<([^>]+)>/.exec(part);
      if (m) return new URL(m[1]).searchParams.get('max_id');
    }
  }
  return null;
}

export class MastodonClient {
  constructor(private readonly http: HttpClient) {}

  async registerApp(
    instanceUrl: string,
    redirectUri: string,
    website: string,
  ): Promise<{ clientId: string; clientSecret: string }> {
    const { body } = await this.http.json<unknown>(`${instanceUrl}/api/v1/apps`, {
      method: 'POST',
      body: { client_name: 'Sway', redirect_uris: redirectUri, scopes: MASTODON_SCOPES, website },
    });
    const b = obj(body);
    const clientId = str(b?.client_id, 1000);
    const clientSecret = str(b?.client_secret, 1000);
    if (!clientId || !clientSecret) throw new NetworkError(502, 'malformed application', false);
    return { clientId, clientSecret };
  }

  async token(
    instanceUrl: string,
    v: { clientId: string; clientSecret: string; redirectUri: string; code: string; codeVerifier: string },
  ): Promise<string> {
    const { body } = await this.http.json<unknown>(`${instanceUrl}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: v.code,
        client_id: v.clientId,
        client_secret: v.clientSecret,
        redirect_uri: v.redirectUri,
        code_verifier: v.codeVerifier,
        scope: MASTODON_SCOPES,
      }),
    });
    const token = str(obj(body)?.access_token, 2000);
    if (!token) throw new NetworkError(502, 'malformed token response', false);
    return token;
  }

  async revoke(instanceUrl: string, v: { clientId: string; clientSecret: string; token: string }): Promise<void> {
    await this.http.json<unknown>(`${instanceUrl}/oauth/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: v.clientId, client_secret: v.clientSecret, token: v.token }),
    });
  }

  async verifyCredentials(instanceUrl: string, token: string): Promise<MastodonAccount> {
    const { body } = await this.http.json<unknown>(`${instanceUrl}/api/v1/accounts/verify_credentials`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const a = readAccount(body);
    if (!a) throw new NetworkError(502, 'malformed account', false);
    return a;
  }
}

function readAccount(v: unknown): MastodonAccount | null {
  const a = obj(v);
  const id = str(a?.id, 100);
  const username = str(a?.username, 100);
  const acct = str(a?.acct, 400);
  if (!a || !id || !username || !acct) return null;
  return {
    id,
    username,
    acct,
    followersCount: typeof a.followers_count === 'number' ? count(a.followers_count) : null,
  };
}

export class MastodonConnector implements Connector {
  readonly network = 'mastodon' as const;

  async sync(account: SyncAccount, limits: SyncLimits, http: HttpClient): Promise<SyncResult> {
    const base = account.instanceUrl;
    if (!base || !account.accessToken) throw new NetworkError(401, 'no grant for this account');
    const host = new URL(base).host;
    const auth = { authorization: `Bearer ${account.accessToken}` };
    const me = await new MastodonClient(http).verifyCredentials(base, account.accessToken);
    const start = windowStart(account.cursor, limits);
    const posts: FetchedPost[] = [];
    const reactions: FetchedReaction[] = [];
    let malformed = 0;
    let complete = true;
    let maxId: string | null = null;
    const budget = (): boolean => http.requests < limits.maxRequests;

    page: for (;;) {
      if (!budget()) {
        complete = false;
        break;
      }
      const u = new URL(`${base}/api/v1/accounts/${encodeURIComponent(me.id)}/statuses`);
      u.searchParams.set('limit', String(STATUS_PAGE));
      u.searchParams.set('exclude_reblogs', 'true');
      if (maxId) u.searchParams.set('max_id', maxId);
      const { body, headers } = await http.json<unknown>(u.toString(), { headers: auth });
      const list = arr(body);
      for (const s of list) {
        const post = readStatus(s, me.id);
        if (post === 'skip') continue;
        if (!post) {
          malformed++;
          continue;
        }
        if (post.postedAt < start) break page;
        if (posts.length >= limits.maxPosts) {
          complete = false;
          break page;
        }
        posts.push(post);
      }
      maxId = nextMaxId(headers.get('link'));
      if (!maxId || list.length === 0) break;
    }

    const max = limits.maxReactorsPerPost;
    const self = canonicalAcct(me.acct, host);
    const add = (postId: string, kind: FetchedReaction['kind'], a: unknown, at: Date): void => {
      const acc = readAccount(a);
      if (!acc) {
        malformed++;
        return;
      }
      const id = canonicalAcct(acc.acct, host);
      if (id !== self) reactions.push({ postId, kind, actorId: id, at });
    };
    for (const p of posts) {
      if (!budget()) {
        complete = false;
        break;
      }
      const sid = encodeURIComponent(p.postId);
      if (p.likes > 0) {
        const { body } = await http.json<unknown>(
          `${base}/api/v1/statuses/${sid}/favourited_by?limit=${ACCOUNT_PAGE}`,
          {
            headers: auth,
          },
        );
        // The API gives no time for a favourite: the post's time keeps the event stable across syncs.
        for (const a of arr(body).slice(0, max)) add(p.postId, 'like', a, p.postedAt);
      }
      if (p.reposts > 0 && budget()) {
        const { body } = await http.json<unknown>(`${base}/api/v1/statuses/${sid}/reblogged_by?limit=${ACCOUNT_PAGE}`, {
          headers: auth,
        });
        for (const a of arr(body).slice(0, max)) add(p.postId, 'reshare', a, p.postedAt);
      }
      if (p.replies > 0 && budget()) {
        const { body } = await http.json<unknown>(`${base}/api/v1/statuses/${sid}/context`, { headers: auth });
        const direct = arr(obj(body)?.descendants).filter((d) => obj(d)?.in_reply_to_id === p.postId);
        for (const d of direct.slice(0, max))
          add(p.postId, 'reply', obj(d)?.account, date(obj(d)?.created_at) ?? p.postedAt);
      }
    }
    return {
      handle: `@${me.username}@${host}`,
      followers: me.followersCount,
      posts,
      reactions,
      cursor: { newestPostAt: newestPostAt(posts, account.cursor), accountId: me.id },
      complete,
      malformed,
    };
  }
}

/** A public or unlisted status of the member; 'skip' for followers-only and direct ones (never read). */
function readStatus(v: unknown, accountId: string): FetchedPost | null | 'skip' {
  const s = obj(v);
  if (!s) return null;
  if (s.visibility !== 'public' && s.visibility !== 'unlisted') return 'skip';
  if (s.reblog) return 'skip';
  const id = str(s.id, 100);
  const postedAt = date(s.created_at);
  const url = str(s.url, 2048) ?? str(s.uri, 2048);
  if (!id || !postedAt || !url || !/^https?:\/\//.test(url) || str(obj(s.account)?.id, 100) !== accountId) return null;
  if (typeof s.content !== 'string') return null;
  const hashtags = arr(s.tags)
    .map((t) => str(obj(t)?.name, 200))
    .filter((t): t is string => !!t);
  const links = [...s.content.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  const card = str(obj(s.card)?.url, 2048);
  if (card) links.push(card);
  return {
    postId: id,
    url,
    postedAt,
    text: htmlToText(s.content).slice(0, 10_000),
    hashtags,
    links,
    likes: count(s.favourites_count),
    reposts: count(s.reblogs_count),
    replies: count(s.replies_count),
  };
}
