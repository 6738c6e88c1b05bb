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
 * Bluesky through the public AppView's XRPC queries (lexicons of bluesky-social/atproto, `lexicons/app/bsky`,
 * as of 2025): `app.bsky.actor.getProfile`, `app.bsky.feed.getAuthorFeed`, `getLikes`, `getRepostedBy`,
 * `getPostThread`; handles through `com.atproto.identity.resolveHandle`. No authentication: these are public.
 */
export interface BlueskyProfile {
  did: string;
  handle: string;
  description: string;
  followersCount: number | null;
}

const PAGE = 100;

export class BlueskyConnector implements Connector {
  readonly network = 'bluesky' as const;

  constructor(
    private readonly appViewUrl: string,
    private readonly resolverUrl: string,
  ) {}

  private xrpc(base: string, nsid: string, params: Record<string, string | number | undefined>): string {
    const u = new URL(`/xrpc/${nsid}`, base);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  /** Handle → DID; null when the handle does not resolve (400 InvalidRequest in the lexicon). */
  async resolveHandle(handle: string, http: HttpClient): Promise<string | null> {
    try {
      const { body } = await http.json<unknown>(
        this.xrpc(this.resolverUrl, 'com.atproto.identity.resolveHandle', { handle }),
      );
      const did = str(obj(body)?.did, 2048);
      return did && /^did:[a-z]+:[A-Za-z0-9._:%-]+$/.test(did) ? did : null;
    } catch (err) {
      if (err instanceof NetworkError && err.status === 400) return null;
      throw err;
    }
  }

  async profile(actor: string, http: HttpClient): Promise<BlueskyProfile | null> {
    try {
      const { body } = await http.json<unknown>(this.xrpc(this.appViewUrl, 'app.bsky.actor.getProfile', { actor }));
      const p = obj(body);
      const did = str(p?.did, 2048);
      const handle = str(p?.handle, 253);
      if (!p || !did || !handle) throw new NetworkError(502, 'malformed profile', false);
      return {
        did,
        handle,
        description: str(p.description) ?? '',
        followersCount: typeof p.followersCount === 'number' ? count(p.followersCount) : null,
      };
    } catch (err) {
      if (err instanceof NetworkError && err.status === 400) return null;
      throw err;
    }
  }

  async sync(account: SyncAccount, limits: SyncLimits, http: HttpClient): Promise<SyncResult> {
    const did = account.externalId;
    const profile = await this.profile(did, http);
    if (!profile) throw new NetworkError(404, 'profile not found');
    const start = windowStart(account.cursor, limits);
    const posts: FetchedPost[] = [];
    const reactions: FetchedReaction[] = [];
    let malformed = 0;
    let complete = true;
    let cursor: string | undefined;
    const budget = (): boolean => http.requests < limits.maxRequests;

    feed: for (;;) {
      if (!budget()) {
        complete = false;
        break;
      }
      const { body } = await http.json<unknown>(
        this.xrpc(this.appViewUrl, 'app.bsky.feed.getAuthorFeed', {
          actor: did,
          limit: PAGE,
          cursor,
          filter: 'posts_with_replies',
        }),
      );
      const page = obj(body);
      const items = arr(page?.feed);
      for (const item of items) {
        const fv = obj(item);
        // Reposts of other people's posts appear in the author feed with a `reason`; they are not the member's.
        if (fv?.reason) continue;
        const post = this.readPost(fv?.post, did);
        if (!post) {
          malformed++;
          continue;
        }
        if (post.postedAt < start) break feed;
        if (posts.length >= limits.maxPosts) {
          complete = false;
          break feed;
        }
        posts.push(post);
      }
      cursor = str(page?.cursor, 1000) ?? undefined;
      if (!cursor || items.length === 0) break;
    }

    for (const p of posts) {
      if (!budget()) {
        complete = false;
        break;
      }
      const r = await this.reactionsOf(p, did, limits, http);
      reactions.push(...r.reactions);
      malformed += r.malformed;
    }
    return {
      handle: profile.handle,
      followers: profile.followersCount,
      posts,
      reactions,
      cursor: { newestPostAt: newestPostAt(posts, account.cursor) },
      complete,
      malformed,
    };
  }

  /** app.bsky.feed.defs#postView with an app.bsky.feed.post record; null when it lacks what we need. */
  private readPost(v: unknown, did: string): FetchedPost | null {
    const p = obj(v);
    const uri = str(p?.uri, 2048);
    const author = obj(p?.author);
    const record = obj(p?.record);
    if (!p || !uri || !record || str(author?.did, 2048) !== did) return null;
    const m = /^at:\/\/([^/]+)\/app\.bsky\.feed\.post\/([A-Za-z0-9._:~-]+)$/.exec(uri);
    const postedAt = date(record.createdAt) ?? date(p.indexedAt);
    if (!m || !postedAt || typeof record.text !== 'string') return null;
    const hashtags: string[] = [];
    const links: string[] = [];
    for (const f of arr(record.facets)) {
      for (const feat of arr(obj(f)?.features)) {
        const ft = obj(feat);
        if (ft?.$type === 'app.bsky.richtext.facet#tag' && str(ft.tag, 640)) hashtags.push(ft.tag as string);
        if (ft?.$type === 'app.bsky.richtext.facet#link' && str(ft.uri, 2048)) links.push(ft.uri as string);
      }
    }
    const external = obj(obj(record.embed)?.external);
    if (str(external?.uri, 2048)) links.push(external!.uri as string);
    return {
      postId: uri,
      url: `https://bsky.app/profile/${did}/post/${m[2]}`,
      postedAt,
      text: record.text.slice(0, 10_000),
      hashtags,
      links,
      likes: count(p.likeCount),
      reposts: count(p.repostCount),
      replies: count(p.replyCount),
    };
  }

  private async reactionsOf(
    post: FetchedPost,
    did: string,
    limits: SyncLimits,
    http: HttpClient,
  ): Promise<{ reactions: FetchedReaction[]; malformed: number }> {
    const out: FetchedReaction[] = [];
    let malformed = 0;
    const max = limits.maxReactorsPerPost;
    const add = (kind: FetchedReaction['kind'], actor: unknown, at: Date | null): void => {
      const id = str(actor, 2048);
      if (!id || !at) {
        malformed++;
        return;
      }
      // A member liking their own post is not engagement.
      if (id !== did) out.push({ postId: post.postId, kind, actorId: id, at });
    };
    if (post.likes > 0) {
      const { body } = await http.json<unknown>(
        this.xrpc(this.appViewUrl, 'app.bsky.feed.getLikes', { uri: post.postId, limit: Math.min(PAGE, max) }),
      );
      for (const l of arr(obj(body)?.likes).slice(0, max)) {
        const like = obj(l);
        add('like', obj(like?.actor)?.did, date(like?.createdAt) ?? date(like?.indexedAt));
      }
    }
    if (post.reposts > 0 && http.requests < limits.maxRequests) {
      const { body } = await http.json<unknown>(
        this.xrpc(this.appViewUrl, 'app.bsky.feed.getRepostedBy', { uri: post.postId, limit: Math.min(PAGE, max) }),
      );
      // getRepostedBy gives no time: the post's own time keeps the event stable across syncs (de-duplication).
      for (const a of arr(obj(body)?.repostedBy).slice(0, max)) add('reshare', obj(a)?.did, post.postedAt);
    }
    if (post.replies > 0 && http.requests < limits.maxRequests) {
      const { body } = await http.json<unknown>(
        this.xrpc(this.appViewUrl, 'app.bsky.feed.getPostThread', { uri: post.postId, depth: 1, parentHeight: 0 }),
      );
      for (const r of arr(obj(obj(body)?.thread)?.replies).slice(0, max)) {
        const rp = obj(obj(r)?.post);
        // notFoundPost / blockedPost entries carry no post: nothing to count.
        if (!rp) continue;
        add('reply', obj(rp.author)?.did, date(obj(rp.record)?.createdAt) ?? date(rp.indexedAt));
      }
    }
    return { reactions: out, malformed };
  }
}
