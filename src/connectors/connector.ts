import { ConnectorNetwork } from './entities/connector-account.entity';
import { HttpClient } from './http';

/**
 * What every network connector implements. A connector reads; it never stores. The sync service turns what it
 * returns into signals (through the scoring ingest), ledger rows and shares, then forgets the text.
 * The next connector (X, Instagram, TikTok, YouTube with a self-hoster's credentials) implements this and is
 * added to `CONNECTORS` in connectors.module.ts; docs/connectors.md walks through it.
 */
export interface SyncAccount {
  externalId: string;
  handle: string;
  instanceUrl: string | null;
  accessToken: string | null;
  cursor: Record<string, unknown>;
}

export interface SyncLimits {
  /** Posts older than this are not read (the first sync goes back this far). */
  since: Date;
  /** Posts already read are re-read this far back for their newer reactions. */
  refreshSince: Date;
  maxPosts: number;
  /** Reactors read per post and kind (likes, reposts, replies). */
  maxReactorsPerPost: number;
  /** Requests to the network per run; the rest waits for the next run. */
  maxRequests: number;
}

export interface FetchedPost {
  /** The network's id of the post (AT URI, status id). */
  postId: string;
  /** Its public web address (what a member would paste as a share). */
  url: string;
  postedAt: Date;
  /** Held only while the sync runs: topics, disclosure and claim links are read from it, then it is dropped. */
  text: string;
  hashtags: string[];
  links: string[];
  likes: number;
  reposts: number;
  replies: number;
}

export interface FetchedReaction {
  postId: string;
  kind: 'like' | 'reshare' | 'reply';
  /** The reactor's id on the network: only ever stored as a keyed hash (scoring ingest). */
  actorId: string;
  at: Date;
}

export interface SyncResult {
  handle: string;
  followers: number | null;
  posts: FetchedPost[];
  reactions: FetchedReaction[];
  cursor: Record<string, unknown>;
  /** false when a limit stopped the run before the window was read. */
  complete: boolean;
  /** Records skipped because they did not have the shape the lexicon or API documents. */
  malformed: number;
}

export interface Connector {
  readonly network: ConnectorNetwork;
  sync(account: SyncAccount, limits: SyncLimits, http: HttpClient): Promise<SyncResult>;
}

/** Tolerant readers for network JSON: a malformed record is skipped, never a crash. */
export const str = (v: unknown, max = 10_000): string | null =>
  typeof v === 'string' && v.length > 0 && v.length <= max ? v : null;
export const count = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);
export const date = (v: unknown): Date | null => {
  if (typeof v !== 'string') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
};
export const obj = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Where an incremental sync starts reading: everything newer than the newest post seen, plus the refresh window
 * for late reactions; the first sync goes back `limits.since`.
 */
export function windowStart(cursor: Record<string, unknown>, limits: SyncLimits): Date {
  const seen = date(cursor.newestPostAt);
  if (!seen) return limits.since;
  const refresh = limits.refreshSince < seen ? limits.refreshSince : seen;
  return refresh > limits.since ? refresh : limits.since;
}

/** The cursor's next `newestPostAt`. */
export function newestPostAt(posts: FetchedPost[], cursor: Record<string, unknown>): string | null {
  const newest = posts.reduce<Date | null>(
    (m, p) => (!m || p.postedAt > m ? p.postedAt : m),
    date(cursor.newestPostAt),
  );
  return newest?.toISOString() ?? null;
}
