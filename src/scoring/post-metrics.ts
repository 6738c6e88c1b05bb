/**
 * How a post URL is compared across sources (a member's pasted link vs a connector's canonical one): scheme,
 * `www.`/`m.`, fragment and trailing slashes do not matter; the query does (YouTube's video id lives there).
 * `POST_URL_KEY_SQL` is the same function in SQL, so both sides always agree.
 */
export function postUrlKey(url: string): string {
  return url
    .split('#')[0]
    .replace(/^[a-z]+:\/\/(www\.|m\.)?/i, '')
    .replace(/\/+$/, '');
}

export const POST_URL_KEY_SQL = (col: string): string =>
  `regexp_replace(regexp_replace(split_part(${col}, '#', 1), '^[a-zA-Z]+://(www\\.|m\\.)?', ''), '/+$', '')`;

export interface PostMetrics {
  /** Distinct accounts that reacted (keyed hashes; nobody outside Sway is profiled). */
  reach: number;
  /** Reactions of any kind. */
  engagements: number;
}
