import { hmacPads, accountHash } from '../../../src/scoring/keyed-hash';
import { MODEL_V1, RefInput, ReactionType, scoreV1, withOverrides } from '../../../src/scoring/model-v1';
import { ScoringService } from '../../../src/scoring/scoring.service';
import { createMember, linkAccount, TestMember } from '../../factories/influencers';
import { Event, followers, post, reaction, sendSignals } from '../../factories/signals';
import { TestApp, admin, startTestApp } from '../../support/test-app';

const DAY = 86_400_000;
const AS_OF = new Date(Date.UTC(2025, 4, 20, 12));
const ago = (days: number, plusMs = 0): Date => new Date(AS_OF.getTime() - days * DAY + plusMs);

/**
 * The SQL run against the TypeScript reference on one small dataset with every rule in play: recency, types,
 * selectivity, the pair cap, self-reactions, a bot-like actor, a member reactor (Q from the previous run),
 * follower cap, topic shares, roll-up to ancestors with damping, a hidden topic and the publish threshold.
 */
describe('scoring SQL agrees with the model-v1 reference', () => {
  let t: TestApp;
  let scoring: ScoringService;
  let alice: TestMember;
  let bob: TestMember;
  let carol: TestMember;
  const events: Event[] = [];
  const ref: RefInput = {
    asOf: AS_OF.getTime(),
    posts: [],
    reactions: [],
    followers: {},
    ownAccounts: {},
    topicParents: {},
  };
  const authorOf: Record<string, string> = {};

  const addPost = (acct: string, id: string, at: Date, topics: string[], topicIds: number[]): void => {
    events.push(post(acct, id, at, topics));
    ref.posts.push({ author: authorOf[acct], postId: id, at: at.getTime(), topics: topicIds });
  };
  const addReaction = (acct: string, id: string, actor: string, type: ReactionType, at: Date): void => {
    events.push(reaction(acct, id, actor, type, at));
    ref.reactions.push({ author: authorOf[acct], postId: id, actor, type, at: at.getTime() });
  };

  async function run(overrides = { minTopicReactors: 3 }): Promise<string> {
    const { runId } = await scoring.requestRun({ asOf: AS_OF.toISOString(), overrides });
    await scoring.executeRun(runId);
    return runId;
  }

  async function rows(): Promise<
    {
      influencer_id: string;
      topic_id: number;
      target: number;
      score: number;
      published: boolean;
      factors: Record<string, number>;
    }[]
  > {
    return t.db.query(`SELECT influencer_id, topic_id, target, score, published, factors FROM scores`);
  }

  beforeAll(async () => {
    // Workers off: the spec drives runs itself, so no outbox job races it.
    t = await startTestApp({ ROLE: 'api' });
    scoring = t.app.get(ScoringService);
    [alice, bob, carol] = [await createMember(t), await createMember(t), await createMember(t)];
    await linkAccount(t, alice, 'twitter', 'tw-alice');
    await linkAccount(t, alice, 'twitter', 'tw-alice-alt');
    await linkAccount(t, bob, 'twitter', 'tw-bob');
    await linkAccount(t, carol, 'twitter', 'tw-carol');
    Object.assign(authorOf, { 'tw-alice': alice.id, 'tw-bob': bob.id, 'tw-carol': carol.id });
    ref.ownAccounts = { [alice.id]: ['tw-alice', 'tw-alice-alt'], [bob.id]: ['tw-bob'], [carol.id]: ['tw-carol'] };

    const topics: { id: number; slug: string }[] = await t.db.query(
      `SELECT id, slug FROM topics WHERE slug IN ('coffee', 'espresso', 'wine', 'running', 'food-and-drink-super')`,
    );
    const id = Object.fromEntries(topics.map((x) => [x.slug, x.id]));
    const edges: { parent_id: number; child_id: number }[] = await t.db.query(
      `SELECT parent_id, child_id FROM topic_edges`,
    );
    for (const e of edges) (ref.topicParents![e.child_id] ??= []).push(e.parent_id);

    addPost('tw-alice', 'a1', ago(10), ['espresso'], [id.espresso]);
    addPost('tw-alice', 'a2', ago(40), ['coffee', 'wine'], [id.coffee, id.wine]);
    addPost('tw-alice', 'a3', ago(2), ['running'], [id.running]);
    addPost('tw-bob', 'b1', ago(5), ['wine'], [id.wine]);
    addPost('tw-carol', 'c1', ago(3), [], []);
    const types: ReactionType[] = ['like', 'reply', 'reshare', 'click'];
    for (let i = 0; i < 12; i++) addReaction('tw-alice', 'a1', `fan${i}`, types[i % 4], ago(i % 9, i * 3_600_000));
    for (let i = 0; i < 6; i++) addReaction('tw-alice', 'a2', `fan${i}`, 'like', ago(30 + i));
    for (let i = 0; i < 4; i++) addReaction('tw-alice', 'a3', `fan${i + 20}`, 'reshare', ago(1, i * 60_000));
    // A superfan over the cap, several reactions on one day (selectivity) and on several posts.
    for (let i = 0; i < 8; i++)
      addReaction('tw-alice', i % 2 ? 'a1' : 'a3', 'superfan', i % 2 ? 'click' : 'reshare', ago(1, i * 60_000));
    addReaction('tw-alice', 'a1', 'tw-alice-alt', 'reshare', ago(1)); // self
    addReaction('tw-alice', 'a1', 'tw-bob', 'reshare', ago(1)); // a member reactor
    addReaction('tw-bob', 'b1', 'tw-alice', 'reply', ago(4));
    for (let i = 0; i < 5; i++) addReaction('tw-bob', 'b1', `fan${i}`, 'click', ago(4, i));
    // A bot-like actor: over the daily volume on one day, spread over bob's post and elsewhere.
    for (let i = 0; i < MODEL_V1.botDailyVolume + 5; i++)
      addReaction('tw-bob', 'b1', 'bot', i % 2 ? 'like' : 'click', ago(6, i * 1000));
    addReaction('tw-bob', 'b1', 'lurker', 'like', ago(95)); // outside the window
    addReaction('tw-carol', 'c-unreported', 'fan1', 'reshare', ago(2));
    // A two-member pod: carol and bob react to each other five times each way (the pod rule's threshold).
    for (let i = 0; i < 5; i++) {
      addReaction('tw-carol', 'c1', 'tw-bob', i % 2 ? 'reply' : 'reshare', ago(2, i * 60_000));
      addReaction('tw-bob', 'b1', 'tw-carol', i % 2 ? 'reply' : 'reshare', ago(3, i * 60_000));
    }
    events.push(followers('tw-alice', 5, ago(3)), followers('tw-bob', 1000, ago(2)), followers('tw-bob', 1200, ago(1)));
    // Each account's smallest count in the window (a jump of bought followers raises no cap until it lasts).
    ref.followers = { [alice.id]: 5, [bob.id]: 1000 };
    await t.http.put('/v1/me/topics/wine').set(alice.auth).send({ hidden: true }).expect(200);
    ref.hiddenTopics = { [alice.id]: [id.wine] };
    const sent = await sendSignals(t, events);
    expect(sent).toEqual({ accepted: events.length, ignored: 0, duplicates: 0 });
  }, 60_000);

  afterAll(() => t.close());

  it('hashes actors identically in Node and in SQL (HMAC from built-in sha256)', async () => {
    const { ipad, opad } = hmacPads(t.config.hashSecret);
    const [row] = await t.db.query(
      `SELECT substring(sha256($2 || sha256($1 || convert_to('twitter' || ':' || 'fan1', 'UTF8'))) FROM 1 FOR 16) AS h`,
      [ipad, opad],
    );
    expect(Buffer.from(row.h).equals(accountHash(t.config.hashSecret, 'twitter', 'fan1'))).toBe(true);
    const dump = JSON.stringify(await t.db.query(`SELECT * FROM signal_reactions`));
    expect(dump).not.toContain('superfan');
  });

  it('computes the same components, targets, topic roll-up and publication as the reference', async () => {
    await run();
    const got = await rows();
    const params = withOverrides({ minTopicReactors: 3 });
    const want = scoreV1(ref, params);
    expect(got.filter((r) => r.topic_id === 0)).toHaveLength(3);
    for (const [author, w] of want) {
      const o = got.find((r) => r.influencer_id === author && r.topic_id === 0)!;
      for (const k of ['reach', 'amplification', 'network', 'audience'] as const)
        expect(o.factors[k]).toBeCloseTo(w.components[k], 9);
      expect(o.target).toBe(w.target);
      expect(o.score).toBe(w.target); // first score: no smoothing
      const topics = got.filter((r) => r.influencer_id === author && r.topic_id !== 0);
      expect(topics.map((r) => r.topic_id).sort()).toEqual([...w.topics.keys()].sort());
      for (const [tid, tw] of w.topics) {
        const r = topics.find((x) => x.topic_id === tid)!;
        expect(r.factors.reach).toBeCloseTo(tw.components.reach, 9);
        expect(r.factors.amplification).toBeCloseTo(tw.components.amplification, 9);
        expect(r.target).toBe(tw.target);
        expect(r.published).toBe(tw.published);
      }
    }
    // Hand-checked: bob's bot-like actor is excluded and flagged; the window drops the 95-day-old like.
    const b = want.get(bob.id)!;
    expect(b.botReactions).toBe(MODEL_V1.botDailyVolume + 5);
    expect(b.fraud).toBe(true);
    expect(b.reactors).toBe(6); // fan0..fan4 + alice's account (carol's is a pod partner)
    expect(b.podReactions).toBe(5);
    // Carol: the pod reactions count for nothing; what is left is one reshare by fan1 at age 2 days, Q = 0.5.
    const c = want.get(carol.id)!;
    expect(c.podReactions).toBe(5);
    expect(c.components.reach).toBeCloseTo(0.5 * 2 ** (-2 / 90), 12);
    expect(c.components.amplification).toBeCloseTo((0.5 * 2 ** (-2 / 30) + 5 * MODEL_V1.mu) / (1 + 5), 12);
  });

  it('agrees again on a second run, where member reactors weigh by their previous score, and smooths', async () => {
    const prev: { influencer_id: string; score: number }[] = await t.db.query(
      `SELECT influencer_id, score FROM scores WHERE topic_id = 0`,
    );
    const score = Object.fromEntries(prev.map((p) => [p.influencer_id, p.score]));
    const prevScores = {
      'tw-bob': score[bob.id],
      'tw-alice': score[alice.id],
      'tw-alice-alt': score[alice.id],
      'tw-carol': score[carol.id],
    };
    await run();
    const got = await rows();
    const want = scoreV1({ ...ref, prevScores }, withOverrides({ minTopicReactors: 3 }));
    for (const [author, w] of want) {
      const o = got.find((r) => r.influencer_id === author && r.topic_id === 0)!;
      expect(o.factors.network).toBeCloseTo(w.components.network, 9);
      expect(o.target).toBe(w.target);
    }
    expect(want.get(alice.id)!.components.network).toBeGreaterThan(0);
  });

  it('never lowers a target when a trusted reaction from a new actor arrives (metamorphic, through SQL)', async () => {
    const before: { target: number }[] = await t.db.query(
      `SELECT target FROM scores WHERE influencer_id = $1 AND topic_id = 0`,
      [carol.id],
    );
    await sendSignals(t, [reaction('tw-carol', 'c1', 'brand-new-fan', 'like', ago(0, -60_000))]);
    await run();
    const [after] = await t.db.query(`SELECT target FROM scores WHERE influencer_id = $1 AND topic_id = 0`, [carol.id]);
    expect(after.target).toBeGreaterThanOrEqual(before[0].target);
  });

  it('writes history only on change or once a day, and refuses to rewrite it', async () => {
    const h: { reason: string }[] = await t.db.query(
      `SELECT reason FROM score_history WHERE influencer_id = $1 ORDER BY id`,
      [alice.id],
    );
    expect(h[0].reason).toBe('first_score');
    await expect(t.db.query(`UPDATE score_history SET overall = 99`)).rejects.toThrow();
  });

  it('runs one at a time: two concurrent runs both succeed, one after the other', async () => {
    const [r1, r2] = await Promise.all([scoring.requestRun({}), scoring.requestRun({})]);
    await Promise.all([scoring.executeRun(r1.runId), scoring.executeRun(r2.runId)]);
    const runs = await t.db.query(
      `SELECT status, started_at, finished_at FROM score_runs WHERE id = ANY($1) ORDER BY finished_at`,
      [[r1.runId, r2.runId]],
    );
    expect(runs.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'succeeded']);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM scores WHERE topic_id = 0`);
    expect(n).toBe(3);
    await t.http.get(`/v1/scoring/runs/${r1.runId}`).set(admin).expect(200);
  });

  it('creates monthly partitions later and moves rows out of the DEFAULT partition', async () => {
    const [{ n: inDefault }] = await t.db.query(`SELECT count(*)::int AS n FROM signal_reactions_default`);
    expect(inDefault).toBeGreaterThan(0);
    await scoring.backfillPartitions(new Date(Date.UTC(2025, 0, 1)), new Date(Date.UTC(2025, 6, 1)));
    const [{ n: left }] = await t.db.query(
      `SELECT count(*)::int AS n FROM signal_reactions_default WHERE occurred_at >= $1`,
      [new Date(Date.UTC(2025, 0, 1))],
    );
    expect(left).toBe(0);
    const [{ n: total }] = await t.db.query(`SELECT count(*)::int AS n FROM signal_reactions`);
    expect(total).toBe(events.filter((e) => e.type !== 'post' && e.type !== 'followers').length + 1);
  });
});
