import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Bluesky public AppView, answering the XRPC queries Sway uses with the shapes of the
 * AT Protocol lexicons (bluesky-social/atproto `lexicons/`, 2025): com.atproto.identity.resolveHandle,
 * app.bsky.actor.getProfile (#profileViewDetailed), app.bsky.feed.getAuthorFeed (#feedViewPost with #postView,
 * cursor pagination, `reason` for reposts), getLikes, getRepostedBy, getPostThread (#threadViewPost). Errors are
 * XRPC errors `{ error, message }`; responses carry `ratelimit-*` headers like the real AppView. Failures are
 * scripted: `failNext(status)`, `rateLimitNext(seconds)`, and malformed records can be added to a feed.
 */
export interface FakeBskyPost {
  rkey: string;
  text: string;
  createdAt: string;
  tags?: string[];
  links?: string[];
  likers?: string[];
  reposters?: string[];
  repliers?: string[];
}

interface Actor {
  did: string;
  handle: string;
  description: string;
  followersCount: number;
  posts: (FakeBskyPost | { malformed: unknown })[];
}

export class FakeBluesky {
  readonly actors = new Map<string, Actor>();
  readonly requests: string[] = [];
  private failures: { status: number; nsid?: string }[] = [];
  private rateLimits: number[] = [];
  private server: Server | null = null;
  pageSize = 2;

  get url(): string {
    const port = (this.server?.address() as AddressInfo | null)?.port;
    if (!port) throw new Error('fake Bluesky is not started');
    return `http://127.0.0.1:${port}`;
  }

  get env(): Record<string, string> {
    return { PUBLIC_BSKY_APPVIEW_URL: this.url };
  }

  addActor(handle: string, did: string, o: Partial<Omit<Actor, 'handle' | 'did'>> = {}): Actor {
    const a: Actor = { did, handle, description: '', followersCount: 0, posts: [], ...o };
    this.actors.set(did, a);
    return a;
  }

  /** The next request (or the next one to `nsid`) answers `status`. */
  failNext(status: number, nsid?: string): void {
    this.failures.push({ status, nsid });
  }

  rateLimitNext(retryAfterSeconds: number): void {
    this.rateLimits.push(retryAfterSeconds);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private byActor(actor: string | null): Actor | undefined {
    if (!actor) return undefined;
    return this.actors.get(actor) ?? [...this.actors.values()].find((a) => a.handle === actor);
  }

  private postOf(uri: string | null): { actor: Actor; post: FakeBskyPost } | null {
    const m = uri ? /^at:\/\/([^/]+)\/app\.bsky\.feed\.post\/(.+)$/.exec(uri) : null;
    const actor = m ? this.actors.get(m[1]) : undefined;
    const post = actor?.posts.find((p): p is FakeBskyPost => 'rkey' in p && p.rkey === m![2]);
    return actor && post ? { actor, post } : null;
  }

  private profileView(did: string): Record<string, unknown> {
    const a = this.actors.get(did);
    return { did, handle: a?.handle ?? `${did.slice(-6)}.test`, displayName: '', avatar: undefined, labels: [] };
  }

  private postView(a: Actor, p: FakeBskyPost): Record<string, unknown> {
    const facets = [
      ...(p.tags ?? []).map((tag) => ({
        index: { byteStart: 0, byteEnd: 1 },
        features: [{ $type: 'app.bsky.richtext.facet#tag', tag }],
      })),
      ...(p.links ?? []).map((uri) => ({
        index: { byteStart: 0, byteEnd: 1 },
        features: [{ $type: 'app.bsky.richtext.facet#link', uri }],
      })),
    ];
    return {
      uri: `at://${a.did}/app.bsky.feed.post/${p.rkey}`,
      cid: `bafyrei${p.rkey}`,
      author: { did: a.did, handle: a.handle, labels: [] },
      record: { $type: 'app.bsky.feed.post', text: p.text, createdAt: p.createdAt, langs: ['en'], facets },
      replyCount: (p.repliers ?? []).length,
      repostCount: (p.reposters ?? []).length,
      likeCount: (p.likers ?? []).length,
      quoteCount: 0,
      indexedAt: p.createdAt,
      labels: [],
    };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const u = new URL(req.url ?? '/', 'http://x');
    this.requests.push(u.pathname);
    const reset = Math.ceil(Date.now() / 1000) + 300;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'ratelimit-limit': '3000',
        'ratelimit-remaining': '2999',
        'ratelimit-reset': String(reset),
        'ratelimit-policy': '3000;w=300',
        ...headers,
      });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const rl = this.rateLimits.shift();
    if (rl !== undefined) {
      return send(
        429,
        { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' },
        {
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + rl),
          'retry-after': String(rl),
        },
      );
    }
    const fi = this.failures.findIndex((f) => !f.nsid || u.pathname === `/xrpc/${f.nsid}`);
    if (fi >= 0) {
      const [f] = this.failures.splice(fi, 1);
      return send(f.status, { error: 'InternalServerError', message: 'Internal Server Error' });
    }
    const q = u.searchParams;
    const bad = (message: string): void => send(400, { error: 'InvalidRequest', message });
    switch (u.pathname) {
      case '/xrpc/com.atproto.identity.resolveHandle': {
        const a = [...this.actors.values()].find((x) => x.handle === q.get('handle'));
        return a ? send(200, { did: a.did }) : bad('Unable to resolve handle');
      }
      case '/xrpc/app.bsky.actor.getProfile': {
        const a = this.byActor(q.get('actor'));
        if (!a) return bad('Profile not found');
        return send(200, {
          ...this.profileView(a.did),
          description: a.description,
          followersCount: a.followersCount,
          followsCount: 10,
          postsCount: a.posts.length,
          indexedAt: new Date().toISOString(),
        });
      }
      case '/xrpc/app.bsky.feed.getAuthorFeed': {
        const a = this.byActor(q.get('actor'));
        if (!a) return bad('Profile not found');
        const limit = Math.min(Number(q.get('limit') ?? 50), 100, this.pageSize);
        const start = Number(q.get('cursor') ?? 0);
        const sorted = [...a.posts].sort((x, y) =>
          'rkey' in x && 'rkey' in y ? y.createdAt.localeCompare(x.createdAt) : 0,
        );
        const page = sorted.slice(start, start + limit);
        const feed = page.map((p) => ('malformed' in p ? { post: p.malformed } : { post: this.postView(a, p) }));
        const next = start + limit < sorted.length ? String(start + limit) : undefined;
        return send(200, { feed, ...(next ? { cursor: next } : {}) });
      }
      case '/xrpc/app.bsky.feed.getLikes': {
        const r = this.postOf(q.get('uri'));
        if (!r) return bad('Post not found');
        return send(200, {
          uri: q.get('uri'),
          likes: (r.post.likers ?? []).map((did) => ({
            indexedAt: r.post.createdAt,
            createdAt: r.post.createdAt,
            actor: this.profileView(did),
          })),
        });
      }
      case '/xrpc/app.bsky.feed.getRepostedBy': {
        const r = this.postOf(q.get('uri'));
        if (!r) return bad('Post not found');
        return send(200, { uri: q.get('uri'), repostedBy: (r.post.reposters ?? []).map((d) => this.profileView(d)) });
      }
      case '/xrpc/app.bsky.feed.getPostThread': {
        const r = this.postOf(q.get('uri'));
        if (!r) return send(400, { error: 'NotFound', message: 'Post not found' });
        return send(200, {
          thread: {
            $type: 'app.bsky.feed.defs#threadViewPost',
            post: this.postView(r.actor, r.post),
            replies: [
              ...(r.post.repliers ?? []).map((did, i) => ({
                $type: 'app.bsky.feed.defs#threadViewPost',
                post: {
                  uri: `at://${did}/app.bsky.feed.post/reply${i}`,
                  cid: `bafyreireply${i}`,
                  author: this.profileView(did),
                  record: { $type: 'app.bsky.feed.post', text: 'nice!', createdAt: r.post.createdAt },
                  indexedAt: r.post.createdAt,
                },
                replies: [],
              })),
              {
                $type: 'app.bsky.feed.defs#notFoundPost',
                uri: 'at://did:plc:gone/app.bsky.feed.post/x',
                notFound: true,
              },
            ],
          },
        });
      }
      default:
        return send(404, { error: 'MethodNotImplemented', message: 'Method Not Implemented' });
    }
  }
}
