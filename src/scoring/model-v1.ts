/**
 * Scoring model v1, frozen. The numbers below are the model: changing any of them is a new MODEL_VERSION
 * (docs/scoring.md, "Model versions"). The SQL in queries/score-run.sql is templated from MODEL_V1, and the
 * functions below are the same formula over in-memory arrays: the reference the property tests run against
 * and that the SQL integration spec compares with.
 */
export const MODEL_VERSION = 'v1';

export type ReactionType = 'like' | 'reply' | 'reshare' | 'click';

export interface ModelParams {
  windowDays: number;
  typeWeight: Record<ReactionType, number>;
  /** Recency half-life of a reaction's weight for amplification and network. */
  halfLifeDays: number;
  /** Longer half-life for reach and audience, so a holiday costs only a few points. */
  reachHalfLifeDays: number;
  /** Σ weight per (reactor, author) pair and per (reactor, author, topic). */
  pairCap: number;
  /** An actor with this many reactions on one UTC day is bot-like: trust 0. */
  botDailyVolume: number;
  /**
   * Slow bots (issue 17): an actor with at least slowBotDailyVolume reactions on at least slowBotDays UTC days of
   * the window is bot-like too, although it never reaches botDailyVolume on one day.
   */
  slowBotDailyVolume: number;
  slowBotDays: number;
  /** Pod rule: two members who each reacted to the other at least this often in the window count for nothing. */
  podMinReactions: number;
  /**
   * Ring rule (issue 17), the pod rule generalised: a member→member edge of at least podMinReactions reactions
   * that lies on a directed cycle of such edges no longer than this counts for nothing (2 = mutual pairs only).
   */
  ringMaxLength: number;
  /**
   * Bought-follower guard (issue 17): an account's follower count is its smallest snapshot in the window, not
   * its latest, so a sudden jump raises no audience cap (the reference takes follower counts as input).
   */
  followersFromMinimum: boolean;
  /** Amplification prior: A = (W + k·mu) / (posts + k). */
  priorPosts: number;
  mu: number;
  weights: { reach: number; amplification: number; network: number; audience: number };
  /** score = clamp(1, 100, round(a + b·raw)). */
  a: number;
  b: number;
  topicDamping: number;
  /** Distinct trusted reactors needed to publish a topic score. */
  minTopicReactors: number;
  /** A topic score never exceeds the overall target by more than this. */
  topicCapOverOverall: number;
  stepDown: number;
  stepUp: number;
  /** Fraud rule: share of a member's window reactions from bot-like actors or pod partners at or above this… */
  fraudBotShare: number;
  /** …with at least this many of them. */
  fraudMinBotReactions: number;
}

export const MODEL_V1: Readonly<ModelParams> = Object.freeze({
  windowDays: 90,
  typeWeight: Object.freeze({ click: 1.0, reshare: 1.0, reply: 0.6, like: 0.25 }),
  halfLifeDays: 30,
  reachHalfLifeDays: 90,
  pairCap: 3,
  botDailyVolume: 200,
  slowBotDailyVolume: 40,
  slowBotDays: 5,
  podMinReactions: 5,
  ringMaxLength: 5,
  followersFromMinimum: true,
  priorPosts: 5,
  mu: 0.6,
  weights: Object.freeze({ reach: 0.45, amplification: 0.35, network: 0.1, audience: 0.1 }),
  a: 18.7,
  b: 16.4,
  topicDamping: 0.5,
  minTopicReactors: 20,
  topicCapOverOverall: 5,
  stepDown: 2,
  stepUp: 3,
  fraudBotShare: 0.5,
  fraudMinBotReactions: 50,
});

/** The only parameter a run may override, and only for small synthetic populations (recorded on the run). */
export type ModelOverrides = Partial<Pick<ModelParams, 'minTopicReactors'>>;

export function withOverrides(o: ModelOverrides = {}): ModelParams {
  return { ...MODEL_V1, ...o };
}

export const FACTORS = ['reach', 'amplification', 'network', 'audience'] as const;
export type FactorName = (typeof FACTORS)[number];
export type Components = Record<FactorName, number>;

const DAY_MS = 86_400_000;

export function rawScore(c: Components, p: ModelParams = MODEL_V1): number {
  return (
    p.weights.reach * Math.log1p(c.reach) +
    p.weights.amplification * Math.log1p(c.amplification) +
    p.weights.network * Math.log1p(c.network) +
    p.weights.audience * Math.log1p(c.audience)
  );
}

export function mapScore(raw: number, p: ModelParams = MODEL_V1): number {
  return Math.min(100, Math.max(1, Math.round(p.a + p.b * raw)));
}

/** Each factor's share of the score in points: b · weight · ln(1 + value); the rest is the intercept a. */
export function contributions(c: Components, p: ModelParams = MODEL_V1): Record<FactorName, number> {
  const out = {} as Record<FactorName, number>;
  for (const f of FACTORS) out[f] = p.b * p.weights[f] * Math.log1p(c[f]);
  return out;
}

/** One daily step: bounded unless a fraud rule fired (then the clean target applies at once). */
export function smooth(prev: number | null, target: number, fraud: boolean, p: ModelParams = MODEL_V1): number {
  if (prev === null || fraud) return target;
  return prev + Math.min(p.stepUp, Math.max(-p.stepDown, target - prev));
}

interface RefPost {
  author: string;
  postId: string;
  at: number;
  topics: number[];
  /** The author's account the post came from (only needed with excludedAccounts). */
  account?: string;
}

export interface RefReaction {
  author: string;
  postId: string;
  actor: string;
  type: ReactionType;
  at: number;
}

export interface RefInput {
  asOf: number;
  posts: RefPost[];
  reactions: RefReaction[];
  /** Follower count per author: each account's smallest snapshot in the window, summed over their accounts. */
  followers?: Record<string, number>;
  /** Actor ids that are the author's own accounts (self-reactions). */
  ownAccounts?: Record<string, string[]>;
  /** Previous overall score of actors who are members, by actor id. */
  prevScores?: Record<string, number>;
  hiddenTopics?: Record<string, number[]>;
  /** Accounts an upheld contest excluded: their posts and the reactions to them count for nothing. */
  excludedAccounts?: string[];
  /** Topics an upheld contest removed, by author: never scored for them, directly or by roll-up. */
  excludedTopics?: Record<string, number[]>;
  /** child → parents (the topic DAG). */
  topicParents?: Record<number, number[]>;
}

interface RefTopicResult {
  components: Components;
  posts: number;
  reactors: number;
  target: number;
  published: boolean;
}

export interface RefMemberResult {
  components: Components;
  posts: number;
  reactors: number;
  botReactions: number;
  podReactions: number;
  allReactions: number;
  fraud: boolean;
  raw: number;
  target: number;
  topics: Map<number, RefTopicResult>;
}

interface PairAcc {
  p30: number;
  p90: number;
  last: number;
}

function pairTotals(acc: PairAcc, q: number, p: ModelParams) {
  const w30 = Math.min(p.pairCap, q * acc.p30);
  const w90 = Math.min(p.pairCap, q * acc.p90);
  return { w30, w90 };
}

/**
 * Model v1 over in-memory events. Authors with no event in the window get no result (the SQL scores them only
 * if they already have a score). Deterministic and order-independent.
 */
export function scoreV1(input: RefInput, p: ModelParams = MODEL_V1): Map<string, RefMemberResult> {
  const { asOf } = input;
  const from = asOf - p.windowDays * DAY_MS;
  const inWindow = (at: number): boolean => at > from && at <= asOf;
  const day = (at: number): number => Math.floor(at / DAY_MS);
  const own = input.ownAccounts ?? {};
  const prev = input.prevScores ?? {};
  const hidden = input.hiddenTopics ?? {};
  const excludedAccounts = new Set(input.excludedAccounts ?? []);
  const excludedPost = new Set(
    input.posts
      .filter((po) => po.account && excludedAccounts.has(po.account))
      .map((po) => `${po.author}\u0000${po.postId}`),
  );
  const excludedTopics = input.excludedTopics ?? {};
  const posts = input.posts.filter((po) => !excludedPost.has(`${po.author}\u0000${po.postId}`));
  // The actor's daily volume still counts every reaction it gave (selectivity is about the actor).
  const allReactions = input.reactions.filter((r) => inWindow(r.at));
  const reactions = allReactions.filter((r) => !excludedPost.has(`${r.author}\u0000${r.postId}`));

  const actorDay = new Map<string, number>();
  for (const r of allReactions)
    actorDay.set(`${r.actor}\u0000${day(r.at)}`, (actorDay.get(`${r.actor}\u0000${day(r.at)}`) ?? 0) + 1);
  const bots = new Set<string>();
  // Only fast bots count towards the fraud rule (slow farms spread camouflage likes over popular accounts).
  const fastBots = new Set<string>();
  const busyDays = new Map<string, number>();
  for (const [k, n] of actorDay) {
    const actor = k.split('\u0000')[0];
    if (n >= p.botDailyVolume) {
      bots.add(actor);
      fastBots.add(actor);
    }
    if (n >= p.slowBotDailyVolume) busyDays.set(actor, (busyDays.get(actor) ?? 0) + 1);
  }
  for (const [actor, d] of busyDays) if (d >= p.slowBotDays) bots.add(actor);

  // Pod rule: member pairs that reacted to each other at least podMinReactions times each way.
  const memberOf = new Map<string, string>();
  for (const [author, accounts] of Object.entries(own)) for (const acc of accounts) memberOf.set(acc, author);
  const mm = new Map<string, number>();
  for (const r of reactions) {
    const am = memberOf.get(r.actor);
    if (am === undefined || am === r.author || bots.has(r.actor)) continue;
    mm.set(`${r.author}\u0000${am}`, (mm.get(`${r.author}\u0000${am}`) ?? 0) + 1);
  }
  // Ring rule: heavy edges actor member → author; an edge x → y is a ring edge when y reaches x again within
  // ringMaxLength − 1 heavy edges (length 2 is the mutual pod pair).
  const heavy = new Map<string, string[]>();
  for (const [k, n] of mm) {
    if (n < p.podMinReactions) continue;
    const [author, am] = k.split('\u0000');
    heavy.set(am, [...(heavy.get(am) ?? []), author]);
  }
  const reachable = new Map<string, Set<string>>();
  const reachFrom = (start: string): Set<string> => {
    const hit = reachable.get(start);
    if (hit) return hit;
    const seen = new Set<string>();
    let frontier = [start];
    for (let d = 1; d <= p.ringMaxLength - 1 && frontier.length; d++) {
      const next: string[] = [];
      for (const x of frontier)
        for (const y of heavy.get(x) ?? [])
          if (!seen.has(y)) {
            seen.add(y);
            next.push(y);
          }
      frontier = next;
    }
    reachable.set(start, seen);
    return seen;
  };
  const isPod = (author: string, actor: string): boolean => {
    const am = memberOf.get(actor);
    if (am === undefined || am === author) return false;
    if ((mm.get(`${author}\u0000${am}`) ?? 0) < p.podMinReactions) return false;
    return reachFrom(author).has(am);
  };

  // Topic tags by post (the latest report wins if a post was reported twice with different timestamps).
  const postTopics = new Map<string, number[]>();
  for (const po of [...posts].sort((x, y) => x.at - y.at)) postTopics.set(`${po.author}\u0000${po.postId}`, po.topics);

  const pairs = new Map<string, Map<string, PairAcc>>(); // author → actor → acc
  const topicPairs = new Map<string, Map<number, Map<string, PairAcc>>>(); // author → topic → actor → acc
  const counts = new Map<string, { all: number; bot: number; pod: number }>();
  const authors = new Set<string>();
  for (const r of reactions) {
    if ((own[r.author] ?? []).includes(r.actor)) continue;
    authors.add(r.author);
    const c = counts.get(r.author) ?? { all: 0, bot: 0, pod: 0 };
    c.all++;
    counts.set(r.author, c);
    if (bots.has(r.actor)) {
      if (fastBots.has(r.actor)) c.bot++;
      continue;
    }
    if (isPod(r.author, r.actor)) {
      c.pod++;
      continue;
    }
    const ageDays = (asOf - r.at) / DAY_MS;
    const base = p.typeWeight[r.type] / Math.sqrt(actorDay.get(`${r.actor}\u0000${day(r.at)}`)!);
    const w30 = base * 2 ** (-ageDays / p.halfLifeDays);
    const w90 = base * 2 ** (-ageDays / p.reachHalfLifeDays);
    const byActor = pairs.get(r.author) ?? new Map<string, PairAcc>();
    pairs.set(r.author, byActor);
    const acc = byActor.get(r.actor) ?? { p30: 0, p90: 0, last: -Infinity };
    acc.p30 += w30;
    acc.p90 += w90;
    acc.last = Math.max(acc.last, r.at);
    byActor.set(r.actor, acc);
    const tags = postTopics.get(`${r.author}\u0000${r.postId}`) ?? [];
    const uniq = [...new Set(tags)];
    const removed = excludedTopics[r.author] ?? [];
    for (const t of uniq) {
      if (removed.includes(t)) continue;
      const share = 1 / uniq.length;
      const byTopic = topicPairs.get(r.author) ?? new Map<number, Map<string, PairAcc>>();
      topicPairs.set(r.author, byTopic);
      const ta = byTopic.get(t) ?? new Map<string, PairAcc>();
      byTopic.set(t, ta);
      const tacc = ta.get(r.actor) ?? { p30: 0, p90: 0, last: -Infinity };
      tacc.p30 += w30 * share;
      tacc.p90 += w90 * share;
      tacc.last = Math.max(tacc.last, r.at);
      ta.set(r.actor, tacc);
    }
  }

  const postsBy = new Map<string, number>();
  const topicPostsBy = new Map<string, Map<number, number>>();
  const seenPosts = new Set<string>();
  for (const po of posts) {
    if (!inWindow(po.at)) continue;
    const key = `${po.author}\u0000${po.postId}`;
    if (seenPosts.has(key)) continue;
    seenPosts.add(key);
    authors.add(po.author);
    postsBy.set(po.author, (postsBy.get(po.author) ?? 0) + 1);
    const uniq = [...new Set(po.topics)];
    const tp = topicPostsBy.get(po.author) ?? new Map<number, number>();
    topicPostsBy.set(po.author, tp);
    for (const t of uniq)
      if (!(excludedTopics[po.author] ?? []).includes(t)) tp.set(t, (tp.get(t) ?? 0) + 1 / uniq.length);
  }

  const closure = ancestorsWithDistance(input.topicParents ?? {});
  const out = new Map<string, RefMemberResult>();
  for (const author of authors) {
    const followers = input.followers?.[author] ?? 0;
    const fold = (byActor: Map<string, PairAcc> | undefined) => {
      let reach = 0;
      let w = 0;
      let network = 0;
      let audience = 0;
      let reactors = 0;
      for (const [actor, acc] of byActor ?? []) {
        const prevScore = prev[actor] ?? 0;
        const { w30, w90 } = pairTotals(acc, 0.5 + (0.5 * prevScore) / 100, p);
        reach += Math.min(1, w90);
        w += w30;
        network += (w30 * prevScore) / 100;
        audience += 2 ** (-(asOf - acc.last) / DAY_MS / p.reachHalfLifeDays);
        reactors++;
      }
      return { reach, w, network, audience, reactors };
    };
    const o = fold(pairs.get(author));
    const posts = postsBy.get(author) ?? 0;
    const components: Components = {
      reach: o.reach,
      amplification: (o.w + p.priorPosts * p.mu) / (posts + p.priorPosts),
      network: o.network,
      audience: Math.min(followers, o.audience),
    };
    const raw = rawScore(components, p);
    const target = mapScore(raw, p);
    const c = counts.get(author) ?? { all: 0, bot: 0, pod: 0 };
    const gamed = c.bot + c.pod;
    const fraud = gamed >= p.fraudMinBotReactions && gamed >= p.fraudBotShare * c.all;

    // Direct topic values, then the damped roll-up to every ancestor (hidden topics do not feed ancestors).
    const direct = new Map<
      number,
      { reach: number; w: number; network: number; audience: number; reactors: number; posts: number }
    >();
    const tps = topicPostsBy.get(author) ?? new Map<number, number>();
    const tpairs = topicPairs.get(author) ?? new Map<number, Map<string, PairAcc>>();
    for (const t of new Set([...tps.keys(), ...tpairs.keys()])) {
      direct.set(t, { ...fold(tpairs.get(t)), posts: tps.get(t) ?? 0 });
    }
    const hiddenSet = new Set(hidden[author] ?? []);
    const rolled = new Map<
      number,
      { reach: number; w: number; network: number; audience: number; reactors: number; posts: number }
    >();
    for (const [d, v] of direct) {
      for (const [anc, dist] of closure(d)) {
        if (dist > 0 && hiddenSet.has(d)) continue;
        const f = p.topicDamping ** dist;
        const r = rolled.get(anc) ?? { reach: 0, w: 0, network: 0, audience: 0, reactors: 0, posts: 0 };
        r.reach += f * v.reach;
        r.w += f * v.w;
        r.network += f * v.network;
        r.audience += f * v.audience;
        r.posts += f * v.posts;
        r.reactors = Math.max(r.reactors, v.reactors);
        rolled.set(anc, r);
      }
    }
    const topics = new Map<number, RefTopicResult>();
    for (const [t, v] of rolled) {
      if ((excludedTopics[author] ?? []).includes(t)) continue;
      const tc: Components = {
        reach: v.reach,
        amplification: (v.w + p.priorPosts * p.mu) / (v.posts + p.priorPosts),
        network: v.network,
        audience: Math.min(followers, v.audience),
      };
      const tt = Math.min(mapScore(rawScore(tc, p), p), Math.min(100, target + p.topicCapOverOverall));
      topics.set(t, {
        components: tc,
        posts: v.posts,
        reactors: v.reactors,
        target: tt,
        published: v.reactors >= p.minTopicReactors && !hiddenSet.has(t),
      });
    }
    out.set(author, {
      components,
      posts,
      reactors: o.reactors,
      botReactions: c.bot,
      podReactions: c.pod,
      allReactions: c.all,
      fraud,
      raw,
      target,
      topics,
    });
  }
  return out;
}

/** topic → [(ancestor or itself, shortest distance)], over the DAG given as child → parents. */
function ancestorsWithDistance(parents: Record<number, number[]>): (t: number) => Map<number, number> {
  const memo = new Map<number, Map<number, number>>();
  return (t: number) => {
    const hit = memo.get(t);
    if (hit) return hit;
    const dist = new Map<number, number>([[t, 0]]);
    let frontier = [t];
    for (let d = 1; frontier.length && d <= 10; d++) {
      const next: number[] = [];
      for (const x of frontier) {
        for (const pa of parents[x] ?? []) {
          if (!dist.has(pa)) {
            dist.set(pa, d);
            next.push(pa);
          }
        }
      }
      frontier = next;
    }
    memo.set(t, dist);
    return dist;
  };
}

/**
 * Quantile mapping between model versions (docs/scoring.md): knots pair the new model's raw-score quantiles
 * with the old model's published scores at the same quantiles, so "score ≥ 55" keeps selecting about the
 * same share of members — and mostly the same members — after the switch.
 */
export interface QuantileKnots {
  raw: number[];
  score: number[];
}

export function quantileKnots(oldScores: number[], newRaw: number[], knots = 101): QuantileKnots {
  if (!oldScores.length || !newRaw.length) throw new Error('quantile mapping needs both populations');
  const q = (sorted: number[], f: number): number => {
    const x = f * (sorted.length - 1);
    const lo = Math.floor(x);
    const hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (x - lo);
  };
  const os = [...oldScores].sort((x, y) => x - y);
  const nr = [...newRaw].sort((x, y) => x - y);
  const raw: number[] = [];
  const score: number[] = [];
  for (let i = 0; i < knots; i++) {
    const f = i / (knots - 1);
    raw.push(q(nr, f));
    score.push(q(os, f));
  }
  return { raw, score };
}

export function applyKnots(k: QuantileKnots, raw: number): number {
  const { raw: xs, score: ys } = k;
  let s: number;
  if (raw <= xs[0]) s = ys[0];
  else if (raw >= xs[xs.length - 1]) s = ys[ys.length - 1];
  else {
    let lo = 0;
    let hi = xs.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] <= raw) lo = mid;
      else hi = mid;
    }
    const span = xs[hi] - xs[lo];
    s = span > 0 ? ys[lo] + ((ys[hi] - ys[lo]) * (raw - xs[lo])) / span : ys[hi];
  }
  return Math.min(100, Math.max(1, Math.round(s)));
}
