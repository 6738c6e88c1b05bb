import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Deterministic synthetic social data (same seed and parameters → identical output). Parameters from the
 * literature (docs/scoring.md, "Synthetic data"):
 * - followers: discrete power law, exponent 2.2 (Kwak et al. 2010 measured 2.276 up to ~10^5), min 20;
 * - mostly passive audiences: per post, reactions ≈ followers^0.55 × latent quality × a small rate (Romero 2011);
 *   latent quality is lognormal and independent of followers, so popularity ≠ influence (Cha et al. 2010);
 * - reshares are first-hop only (Goel et al. 2012/2015): a reshare is a reaction of the author's audience;
 *   the reshare probability grows with latent quality — what "influence" means in this world;
 * - sparse topic interests: 1–3 real ontology topics per member, 1–2 per post;
 * - reaction delays drawn from the real Klout when-to-post samples (about half within the hour);
 * - labelled gaming: bot likers (hundreds of likes a day), reaction pods (groups of members who reshare and
 *   reply to each other's every post), bought followers (×10 followers, no engagement, arriving as a jump in the
 *   follower snapshots), and (issue 17) slow bots — a larger farm whose accounts stay under the daily bot
 *   volume (40–150 reactions a day) — and circular like rings: 8–12 members, each reacting to every post of the
 *   next three around the circle, so no two of them react to each other (the pod rule's mutual pair never forms).
 * Ground truth (latent quality, labels) is returned separately and never reaches the model.
 */
export interface SynthParams {
  members: number;
  seed: number;
  days: number;
  /** Exclusive end of the generated period (UTC ms). */
  end: number;
  /** Mean reactions per member per 90 days (the bench target is 100: 100k members → 10M reactions). */
  reactionsPer90d: number;
}

export interface SynthMember {
  index: number;
  externalId: string;
  followers: number;
  quality: number;
  postsPerDay: number;
  interests: number[];
  bought: boolean;
  botCustomer: boolean;
  pod: number | null;
  /** Buys likes from the slow-bot farm. */
  slowBotCustomer: boolean;
  /** Ring id and position in the ring (members of a ring are ordered by index). */
  ring: number | null;
}

export interface SynthPost {
  member: number;
  postId: string;
  at: number;
  topics: number[];
}

export interface SynthReaction {
  member: number;
  postId: string;
  /** Actor id as the network would report it: `a<id>` for the audience, `b<id>` for bots, a member's externalId for members. */
  actor: string;
  type: 'like' | 'reply' | 'reshare' | 'click';
  at: number;
  label: 'organic' | 'bot' | 'pod' | 'member' | 'slowbot' | 'ring';
}

export const DAY = 86_400_000;
const ALPHA = 2.2;
const MIN_FOLLOWERS = 20;
const MAX_FOLLOWERS = 5_000_000;

/** mulberry32: small, fast, and good enough for simulation; one stream per purpose keeps output stable. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hash32(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    h = Math.imul(h ^ (x >>> 0), 0x01000193);
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995);
  }
  return (h ^ (h >>> 15)) >>> 0;
}

function normal(rnd: () => number): number {
  const u = Math.max(rnd(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

function poisson(rnd: () => number, lambda: number): number {
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(rnd)));
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rnd();
  } while (p > l);
  return k - 1;
}

let delays: number[] | null = null;
/** Empirical post → reaction delays (ms) from data/when-to-post. */
function reactionDelays(root = join(__dirname, '..', '..')): number[] {
  if (delays) return delays;
  const out: number[] = [];
  for (const f of ['user_timestamp_open_set_tw.tsv', 'user_timestamp_open_set_fb.tsv']) {
    for (const line of readFileSync(join(root, 'data', 'when-to-post', f), 'utf8').split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const c = line.split('\t');
      const d = Number(c[4]) - Number(c[3]);
      if (d >= 0) out.push(d);
    }
  }
  delays = out.sort((a, b) => a - b);
  return delays;
}

export function generateMembers(p: SynthParams, topicPool: number[]): SynthMember[] {
  const rnd = mulberry32(hash32(p.seed, 1));
  const members: SynthMember[] = [];
  const pods = Math.max(1, Math.floor(p.members / 1000));
  // About ten members per ring (1 % of members are ring members).
  const rings = Math.max(1, Math.floor(p.members / 1000));
  for (let i = 0; i < p.members; i++) {
    const u = rnd();
    let followers = Math.min(MAX_FOLLOWERS, Math.floor(MIN_FOLLOWERS * Math.pow(1 - u, -1 / (ALPHA - 1))));
    const quality = Math.exp(0.8 * normal(rnd));
    const postsPerDay = Math.exp(Math.log(0.25) + 0.7 * normal(rnd));
    const k = 1 + Math.floor(rnd() * 3);
    const interests: number[] = [];
    while (interests.length < k) {
      const t = topicPool[Math.floor(rnd() * topicPool.length)];
      if (!interests.includes(t)) interests.push(t);
    }
    const g = rnd();
    const bought = g < 0.02;
    const botCustomer = g >= 0.02 && g < 0.025;
    const pod = g >= 0.025 && g < 0.035 ? Math.floor(rnd() * pods) : null;
    // Drawn from their own hashes, not the member stream, so adding these labels left every other draw as it was.
    const slowBotCustomer = g >= 0.035 && g < 0.04;
    const ring = g >= 0.04 && g < 0.05 ? hash32(p.seed, 5, i) % rings : null;
    if (bought) followers *= 10;
    members.push({
      index: i,
      externalId: `synth-${p.seed}-${i}`,
      followers,
      quality,
      postsPerDay,
      interests,
      bought,
      botCustomer,
      pod,
      slowBotCustomer,
      ring,
    });
  }
  return members;
}

/** Calibrates the per-post reaction rate so the population averages `reactionsPer90d`. */
function reactionRate(p: SynthParams, members: SynthMember[]): number {
  let expected = 0;
  for (const m of members)
    expected += m.postsPerDay * 90 * Math.pow(m.bought ? m.followers / 10 : m.followers, 0.55) * m.quality;
  return (p.reactionsPer90d * members.length) / expected;
}

/**
 * Yields posts and reactions member by member, so memory stays flat at any N.
 */
export function* generateActivity(
  p: SynthParams,
  members: SynthMember[],
): Generator<{ posts: SynthPost[]; reactions: SynthReaction[] }> {
  const delay = reactionDelays();
  const rate = reactionRate(p, members);
  const start = p.end - p.days * DAY;
  const audiencePool = Math.max(1000, members.length * 20);
  const bots = Math.max(3, Math.floor(members.length / 5000));
  const podMembers = new Map<number, SynthMember[]>();
  for (const m of members) if (m.pod !== null) podMembers.set(m.pod, [...(podMembers.get(m.pod) ?? []), m]);
  const slowBots = Math.max(30, Math.floor(members.length / 100));
  const ringMembers = new Map<number, SynthMember[]>();
  for (const m of members) if (m.ring !== null) ringMembers.set(m.ring, [...(ringMembers.get(m.ring) ?? []), m]);
  /** Who reacts to m's posts in m's ring: the three members before m around the circle (m reacts to the next three). */
  const ringReactors = (m: SynthMember): SynthMember[] => {
    const ring = ringMembers.get(m.ring!) ?? [];
    if (ring.length < 3) return [];
    const k = Math.min(3, Math.floor((ring.length - 1) / 2));
    const at = ring.indexOf(m);
    return Array.from({ length: k }, (_, j) => ring[(at - j - 1 + ring.length) % ring.length]);
  };

  for (const m of members) {
    const rnd = mulberry32(hash32(p.seed, 2, m.index));
    const posts: SynthPost[] = [];
    const reactions: SynthReaction[] = [];
    const nPosts = poisson(rnd, m.postsPerDay * p.days);
    const realFollowers = m.bought ? m.followers / 10 : m.followers;
    const core = Math.max(5, Math.min(200, Math.floor(Math.sqrt(realFollowers))));
    const reshareP = Math.min(0.5, 0.06 * m.quality);
    for (let j = 0; j < nPosts; j++) {
      const at = start + Math.floor(rnd() * p.days * DAY);
      const topics = [m.interests[Math.floor(rnd() * m.interests.length)]];
      if (m.interests.length > 1 && rnd() < 0.3) {
        const t2 = m.interests[Math.floor(rnd() * m.interests.length)];
        if (!topics.includes(t2)) topics.push(t2);
      }
      const postId = `${m.index}-${j}`;
      posts.push({ member: m.index, postId, at, topics });
      const n = poisson(rnd, rate * Math.pow(realFollowers, 0.55) * m.quality);
      const seen = new Set<string>();
      for (let r = 0; r < n; r++) {
        const t = at + delay[Math.floor(rnd() * delay.length)];
        if (t >= p.end) continue;
        // Half from the member's core audience (repeat engagers), half from the wider pool; 1% are members.
        let actor: string;
        let label: SynthReaction['label'] = 'organic';
        const c = rnd();
        if (c < 0.01 && members.length > 1) {
          actor = members[Math.floor(rnd() * members.length)].externalId;
          label = 'member';
        } else if (c < 0.5) actor = `a${hash32(p.seed, 3, m.index, Math.floor(rnd() * core)) % audiencePool}`;
        else actor = `a${Math.floor(rnd() * audiencePool)}`;
        if (actor === m.externalId) continue;
        const x = rnd();
        const type = x < reshareP ? 'reshare' : x < reshareP + 0.1 ? 'reply' : x < reshareP + 0.18 ? 'click' : 'like';
        const key = `${actor}|${type}`;
        if (seen.has(key)) continue;
        seen.add(key);
        reactions.push({ member: m.index, postId, actor, type, at: t, label });
      }
      if (m.botCustomer) {
        // Bought likes: 50–150 per post from the bot farm, within minutes.
        const nb = 50 + Math.floor(rnd() * 100);
        for (let b = 0; b < nb; b++) {
          const t = at + Math.floor(rnd() * 600_000);
          if (t < p.end)
            reactions.push({
              member: m.index,
              postId,
              actor: `b${Math.floor(rnd() * bots)}`,
              type: 'like',
              at: t,
              label: 'bot',
            });
        }
      }
      if (m.slowBotCustomer) {
        // Bought likes from the slow farm: 15–40 of its accounts like each post within two hours.
        const nb = 15 + Math.floor(rnd() * 26);
        const seenBots = new Set<number>();
        for (let b = 0; b < nb; b++) {
          const bot = Math.floor(rnd() * slowBots);
          const t = at + Math.floor(rnd() * 7_200_000);
          if (seenBots.has(bot) || t >= p.end) continue;
          seenBots.add(bot);
          reactions.push({ member: m.index, postId, actor: `s${bot}`, type: 'like', at: t, label: 'slowbot' });
        }
      }
      if (m.ring !== null) {
        for (const peer of ringReactors(m)) {
          const t = at + Math.floor(rnd() * 3_600_000);
          if (t >= p.end) continue;
          reactions.push({ member: m.index, postId, actor: peer.externalId, type: 'like', at: t, label: 'ring' });
          reactions.push({
            member: m.index,
            postId,
            actor: peer.externalId,
            type: 'reshare',
            at: t + 60_000,
            label: 'ring',
          });
        }
      }
      if (m.pod !== null) {
        for (const peer of podMembers.get(m.pod) ?? []) {
          if (peer.index === m.index) continue;
          const t = at + Math.floor(rnd() * 3_600_000);
          if (t >= p.end) continue;
          reactions.push({ member: m.index, postId, actor: peer.externalId, type: 'reshare', at: t, label: 'pod' });
          reactions.push({
            member: m.index,
            postId,
            actor: peer.externalId,
            type: 'reply',
            at: t + 60_000,
            label: 'pod',
          });
        }
      }
    }
    yield { posts, reactions };
  }
  // Bot farms also like random posts of non-customers all day (that is how they stay "active").
  const rnd = mulberry32(hash32(p.seed, 4));
  const filler: SynthReaction[] = [];
  for (let b = 0; b < bots; b++) {
    for (let d = 0; d < p.days; d++) {
      for (let k = 0; k < 20; k++) {
        const m = members[Math.floor(rnd() * members.length)];
        const at = start + d * DAY + Math.floor(rnd() * DAY);
        if (at < p.end)
          filler.push({
            member: m.index,
            postId: `${m.index}-bot-${d}`,
            actor: `b${b}`,
            type: 'like',
            at,
            label: 'bot',
          });
      }
    }
  }
  yield { posts: [], reactions: filler };
  // The slow farm stays "active" below the daily bot volume: each account likes 40–150 posts a day (its own rate,
  // varying ±20 % by day), of the most-followed third of members (farms follow popular accounts to look real).
  const srnd = mulberry32(hash32(p.seed, 6));
  const popular = [...members].sort((x, y) => y.followers - x.followers || x.index - y.index);
  popular.length = Math.max(10, Math.floor(members.length / 3));
  for (let b = 0; b < slowBots; b++) {
    const rate = 40 + Math.floor(srnd() * 110);
    const slow: SynthReaction[] = [];
    for (let d = 0; d < p.days; d++) {
      const n = Math.round(rate * (0.8 + 0.4 * srnd()));
      for (let k = 0; k < n; k++) {
        const m = popular[Math.floor(srnd() * popular.length)];
        const at = start + d * DAY + Math.floor(srnd() * DAY);
        if (at < p.end)
          slow.push({
            member: m.index,
            postId: `${m.index}-slow-${d}-${k}`,
            actor: `s${b}`,
            type: 'like',
            at,
            label: 'slowbot',
          });
      }
    }
    yield { posts: [], reactions: slow };
  }
}
