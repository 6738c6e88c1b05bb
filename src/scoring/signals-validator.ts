import { FieldError } from '../common/problem/app.exception';
import { NETWORKS } from '../influencers/entities/social-account.entity';
import { parseTimestamp } from '../common/validation/dates';

/** The declared networks plus those a connector verifies and syncs (their accounts live in `connectors`). */
export const SIGNAL_NETWORKS = [...NETWORKS, 'bluesky', 'mastodon'] as const;
export type SignalNetwork = (typeof SIGNAL_NETWORKS)[number];

export const MAX_EVENTS = 5_000;
const MAX_ID = 200;
const MAX_TOPICS = 20;
const MAX_URL = 2_048;
const MAX_ERRORS = 100;
const FUTURE_SLACK_MS = 24 * 3_600_000;
const EARLIEST = Date.UTC(2000, 0, 1);

type ReactionType = 'like' | 'reply' | 'reshare' | 'click';

export type SignalEvent =
  | {
      type: 'post';
      network: SignalNetwork;
      externalId: string;
      postId: string;
      occurredAt: Date;
      topics: string[];
      url: string | null;
    }
  | {
      type: ReactionType;
      network: SignalNetwork;
      externalId: string;
      postId: string;
      actorExternalId: string;
      occurredAt: Date;
    }
  | { type: 'followers'; network: SignalNetwork; externalId: string; value: number; occurredAt: Date };

const FIELDS: Record<string, readonly string[]> = {
  post: ['type', 'network', 'externalId', 'postId', 'occurredAt', 'topics', 'url'],
  like: ['type', 'network', 'externalId', 'postId', 'actorExternalId', 'occurredAt'],
  reply: ['type', 'network', 'externalId', 'postId', 'actorExternalId', 'occurredAt'],
  reshare: ['type', 'network', 'externalId', 'postId', 'actorExternalId', 'occurredAt'],
  click: ['type', 'network', 'externalId', 'postId', 'actorExternalId', 'occurredAt'],
  followers: ['type', 'network', 'externalId', 'value', 'occurredAt'],
};
const NETWORK_SET = new Set<string>(SIGNAL_NETWORKS);

/**
 * Hand-written rather than one class-validator instance per event: 5,000 events validate in a few
 * milliseconds, and every error names its place (`events[12].occurredAt`). All or nothing: the caller stores
 * nothing when any event is invalid.
 */
export function validateSignals(body: unknown, now = Date.now()): { events: SignalEvent[] } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const err = (field: string, message: string): void => {
    if (errors.length < MAX_ERRORS) errors.push({ field, message });
  };
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { errors: [{ field: '', message: 'must be a JSON object' }] };
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) if (k !== 'events') err(k, 'unknown field');
  const list = b.events;
  if (!Array.isArray(list)) {
    err('events', 'events must be an array');
    return { errors };
  }
  if (list.length < 1 || list.length > MAX_EVENTS) err('events', `events must hold 1 to ${MAX_EVENTS} events`);
  if (errors.length) return { errors };

  const events: SignalEvent[] = [];
  for (let i = 0; i < list.length && errors.length < MAX_ERRORS; i++) {
    const at = `events[${i}]`;
    const e = list[i] as Record<string, unknown>;
    if (!e || typeof e !== 'object' || Array.isArray(e)) {
      err(at, 'must be an object');
      continue;
    }
    const type = e.type;
    const allowed = typeof type === 'string' ? FIELDS[type] : undefined;
    if (!allowed) {
      err(`${at}.type`, 'type must be one of post, like, reply, reshare, click, followers');
      continue;
    }
    let ok = true;
    const bad = (f: string, m: string): void => {
      ok = false;
      err(`${at}.${f}`, m);
    };
    for (const k of Object.keys(e)) if (!allowed.includes(k)) bad(k, 'unknown field');
    const str = (f: string, max = MAX_ID): string => {
      const v = e[f];
      if (typeof v !== 'string' || v.length === 0 || v.length > max)
        bad(f, `${f} must be a string of 1 to ${max} characters`);
      return v as string;
    };
    const network = e.network;
    if (typeof network !== 'string' || !NETWORK_SET.has(network))
      bad('network', `network must be one of ${SIGNAL_NETWORKS.join(', ')}`);
    const externalId = str('externalId');
    const occurredRaw = e.occurredAt;
    // ISO 8601 with an explicit offset: a timestamp without one would be read in the server's zone.
    const occurredAt = parseTimestamp(occurredRaw) ?? new Date(NaN);
    const t = occurredAt.getTime();
    if (Number.isNaN(t)) bad('occurredAt', 'occurredAt must be an ISO 8601 timestamp with a time zone');
    else if (t < EARLIEST || t > now + FUTURE_SLACK_MS)
      bad('occurredAt', 'occurredAt must be after 2000 and not in the future');

    if (type === 'post') {
      const postId = str('postId');
      const topics = e.topics;
      let slugs: string[] = [];
      if (!Array.isArray(topics) || topics.length > MAX_TOPICS)
        bad('topics', `topics must be an array of at most ${MAX_TOPICS} slugs`);
      else {
        topics.forEach((s, j) => {
          if (typeof s !== 'string' || s.length === 0 || s.length > MAX_ID) bad(`topics[${j}]`, 'must be a topic slug');
        });
        slugs = topics as string[];
      }
      let url: string | null = null;
      if (e.url !== undefined && e.url !== null) {
        const u = e.url;
        if (typeof u !== 'string' || u.length > MAX_URL || !/^https?:\/\/[^\s]+$/i.test(u))
          bad('url', 'url must be an http(s) URL');
        else url = u;
      }
      if (ok)
        events.push({ type, network: network as SignalNetwork, externalId, postId, occurredAt, topics: slugs, url });
    } else if (type === 'followers') {
      const v = e.value;
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
        bad('value', 'value must be a non-negative integer');
      if (ok) events.push({ type, network: network as SignalNetwork, externalId, value: v as number, occurredAt });
    } else {
      const postId = str('postId');
      const actorExternalId = str('actorExternalId');
      if (ok) {
        events.push({
          type: type as ReactionType,
          network: network as SignalNetwork,
          externalId,
          postId,
          actorExternalId,
          occurredAt,
        });
      }
    }
  }
  return errors.length ? { errors } : { events };
}
