import { createMember, linkAccount } from '../factories/influencers';
import { followers, post, reaction, sendSignals } from '../factories/signals';
import { expectProblem } from '../support/problem';
import { TestApp, admin, startTestApp } from '../support/test-app';

async function waitFor<T>(fn: () => Promise<T | null | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const hoursAgo = (h: number): Date => new Date(Date.now() - h * 3_600_000);

describe('scoring over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function runAndWait(body: Record<string, unknown> = { overrides: { minTopicReactors: 2 } }): Promise<string> {
    const res = await t.http.post('/v1/scoring/runs').set(admin).send(body).expect(202);
    expect(res.body).toEqual({ runId: expect.any(String) });
    await waitFor(async () => {
      const r = await t.http.get(`/v1/scoring/runs/${res.body.runId}`).set(admin).expect(200);
      if (r.body.status === 'failed') throw new Error(`run failed: ${r.body.error}`);
      return r.body.status === 'succeeded' ? r.body : null;
    });
    return res.body.runId;
  }

  it('stores only events of linked accounts, hashes reactors, and counts duplicates once', async () => {
    const m = await createMember(t);
    await linkAccount(t, m, 'instagram', 'ig-ingest-1');
    const events = [
      post('ig-ingest-1', 'p1', hoursAgo(5), ['coffee']),
      reaction('ig-ingest-1', 'p1', 'reactor-raw-id-77', 'like', hoursAgo(4)),
      followers('ig-ingest-1', 10, hoursAgo(3)),
      reaction('not-a-member', 'x', 'someone', 'like', hoursAgo(2)),
    ].map((e) => ({ ...e, network: 'instagram' }));
    const res = await t.http.post('/v1/signals').set(admin).send({ events }).expect(202);
    expect(res.body).toEqual({ accepted: 3, ignored: 1, duplicates: 0 });
    const again = await t.http.post('/v1/signals').set(admin).send({ events }).expect(202);
    expect(again.body).toEqual({ accepted: 0, ignored: 1, duplicates: 3 });
    const dump = JSON.stringify(await t.db.query(`SELECT * FROM signal_reactions`));
    expect(dump).not.toContain('reactor-raw-id-77');
    expect(dump).not.toContain('someone');
  });

  it('rejects invalid batches whole, with each error located', async () => {
    const [{ n: before }] = await t.db.query(`SELECT count(*)::int AS n FROM signal_reactions`);
    const good = reaction('x', 'p', 'a', 'like', hoursAgo(1));
    const res = await t.http
      .post('/v1/signals')
      .set(admin)
      .send({ events: [good, { ...good, occurredAt: 'yesterday' }, { ...good, type: 'poke' }] });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['events[1].occurredAt', 'events[2].type']);
    expectProblem(await t.http.post('/v1/signals').set(admin).send({ events: [] }), 400);
    expectProblem(
      await t.http
        .post('/v1/signals')
        .set(admin)
        .send({ events: [good], extra: 1 }),
      400,
    );
    const tooMany = Array.from({ length: 5001 }, () => ({ type: 'like' }));
    expectProblem(await t.http.post('/v1/signals').set(admin).send({ events: tooMany }), 400);
    const unknownTopic = await t.http
      .post('/v1/signals')
      .set(admin)
      .send({ events: [good, post('x', 'p', hoursAgo(1), ['no-such-topic-zz'])] });
    expectProblem(unknownTopic, 422);
    expect(unknownTopic.body.errors[0].field).toBe('events[1].topics[0]');
    const [{ n: after }] = await t.db.query(`SELECT count(*)::int AS n FROM signal_reactions`);
    expect(after).toBe(before);
  });

  it('accepts 5,000 reaction events in one call under the 1 MB body limit', async () => {
    const m = await createMember(t);
    await linkAccount(t, m, 'twitter', 'tw-bulk-1');
    const events = Array.from({ length: 5000 }, (_, i) =>
      reaction('tw-bulk-1', `1790000000000${i % 50}`, `17000000000${i}`, 'like', hoursAgo(1 + (i % 48))),
    );
    expect(JSON.stringify({ events }).length).toBeLessThan(1024 * 1024);
    expect(await sendSignals(t, events)).toEqual({ accepted: 5000, ignored: 0, duplicates: 0 });
  });

  it('guards the admin routes and answers 404 for an unknown run', async () => {
    const m = await createMember(t);
    expectProblem(await t.http.post('/v1/signals').set(m.auth).send({ events: [] }), 403);
    expectProblem(await t.http.post('/v1/scoring/runs').send({}), 401);
    expectProblem(await t.http.get('/v1/scoring/runs/6b1a3c1e-0000-4000-8000-000000000000').set(admin), 404);
    expectProblem(await t.http.get('/v1/scoring/runs/not-a-uuid').set(admin), 400);
    expectProblem(
      await t.http
        .post('/v1/scoring/runs')
        .set(admin)
        .send({ overrides: { minTopicReactors: 0 } }),
      400,
    );
  });

  it('shows a member no score before the first run, then score, factors, percentile, topics and history', async () => {
    const m = await createMember(t);
    await linkAccount(t, m, 'twitter', 'tw-shown-1');
    const empty = await t.http.get('/v1/me/scores').set(m.auth).expect(200);
    expect(empty.body).toEqual({
      overall: null,
      topics: [],
      history: [],
      // The linked account is listed before anything was read through it.
      sources: [expect.objectContaining({ network: 'twitter', posts: 0, reactions: 0, followers: null })],
      windowDays: 90,
    });

    const events = [post('tw-shown-1', 's1', hoursAgo(30), ['espresso']), followers('tw-shown-1', 300, hoursAgo(2))];
    for (let i = 0; i < 6; i++)
      events.push(reaction('tw-shown-1', 's1', `fan-s-${i}`, i % 2 ? 'reshare' : 'like', hoursAgo(20 - i)));
    await sendSignals(t, events);
    await t.http.put('/v1/me/topics/coffee').set(m.auth).send({ hidden: true }).expect(200);
    const runId = await runAndWait();

    const res = await t.http.get('/v1/me/scores').set(m.auth).expect(200);
    const { overall, topics, history } = res.body;
    expect(overall.score).toBeGreaterThanOrEqual(1);
    expect(overall.score).toBeLessThanOrEqual(100);
    expect(overall.percentile).toBeGreaterThanOrEqual(0);
    expect(overall.modelVersion).toBe('v1');
    expect(overall.factors.map((f: { name: string }) => f.name)).toEqual([
      'reach',
      'amplification',
      'network',
      'audience',
    ]);
    const sum = overall.factors.reduce((s: number, f: { contribution: number }) => s + f.contribution, overall.base);
    expect(Math.abs(sum - overall.target)).toBeLessThanOrEqual(0.51); // the factors explain the score
    const espresso = topics.find((x: { slug: string }) => x.slug === 'espresso');
    expect(espresso).toMatchObject({ hidden: false, published: true });
    expect(topics.find((x: { slug: string }) => x.slug === 'coffee')).toMatchObject({ hidden: true, published: false });
    expect(history).toEqual([
      { at: expect.any(String), overall: overall.score, modelVersion: 'v1', reason: 'first_score', note: null },
    ]);
    // Which account fed the score, and with what.
    expect(res.body.sources).toEqual([
      {
        accountId: expect.any(String),
        network: 'twitter',
        handle: expect.any(String),
        posts: 1,
        reactions: 6,
        followers: 300,
        lastSignalAt: expect.any(String),
      },
    ]);

    const run = await t.http.get(`/v1/scoring/runs/${runId}`).set(admin).expect(200);
    expect(run.body).toMatchObject({ status: 'succeeded', modelVersion: 'v1', params: { minTopicReactors: 2 } });
    expect(run.body.scored).toBeGreaterThanOrEqual(1);
    // The matcher's read never sees a hidden topic.
    const targetable = await t.db.query(
      `SELECT t.slug FROM scores s JOIN topics t ON t.id = s.topic_id WHERE s.influencer_id = $1 AND s.published`,
      [m.id],
    );
    expect(targetable.map((r: { slug: string }) => r.slug)).not.toContain('coffee');
  });

  it('exports signals, scores and history, and erases them all', async () => {
    const m = await createMember(t);
    const other = await createMember(t);
    await linkAccount(t, m, 'twitter', 'tw-erase-sig');
    await linkAccount(t, other, 'twitter', 'tw-other-sig');
    await sendSignals(t, [
      post('tw-erase-sig', 'e1', hoursAgo(10), ['wine']),
      reaction('tw-erase-sig', 'e1', 'fan-e-1', 'reshare', hoursAgo(9)),
      followers('tw-erase-sig', 77, hoursAgo(8)),
      post('tw-other-sig', 'o1', hoursAgo(10), []),
      reaction('tw-other-sig', 'o1', 'tw-erase-sig', 'reply', hoursAgo(7)), // the erased member reacting as an actor
    ]);
    await runAndWait();
    const exp = await t.http.get('/v1/me/export').set(m.auth).expect(200);
    expect(exp.body.scores.signals.posts).toEqual([expect.objectContaining({ postId: 'e1', topics: ['wine'] })]);
    expect(exp.body.scores.signals.reactionsReceived).toHaveLength(1);
    expect(exp.body.scores.signals.reactionsGiven).toHaveLength(1);
    expect(exp.body.scores.signals.followerSnapshots).toHaveLength(1);
    expect(exp.body.scores.scores.length).toBeGreaterThan(0);
    expect(exp.body.scores.history.length).toBeGreaterThan(0);

    await t.http.delete('/v1/me').set(m.auth).expect(202);
    await waitFor(async () => {
      const [row] = await t.db.query(
        `SELECT 1 FROM audit_log WHERE influencer_id = $1 AND action = 'erasure_completed'`,
        [m.id],
      );
      return row ?? null;
    });
    for (const table of [
      'signal_posts',
      'signal_reactions',
      'signal_followers',
      'scores',
      'score_history',
      'scoring_accounts',
    ]) {
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM ${table} WHERE influencer_id = $1`, [m.id]);
      expect(`${table}:${n}`).toBe(`${table}:0`);
    }
    const [{ n: given }] = await t.db.query(
      `SELECT count(*)::int AS n FROM signal_reactions WHERE influencer_id = $1`,
      [other.id],
    );
    expect(given).toBe(0); // the reaction the erased member gave is gone too
    const [{ n: otherPosts }] = await t.db.query(
      `SELECT count(*)::int AS n FROM signal_posts WHERE influencer_id = $1`,
      [other.id],
    );
    expect(otherPosts).toBe(1);
    // A member erased is not scored again.
    await runAndWait();
    const [{ n: rescored }] = await t.db.query(`SELECT count(*)::int AS n FROM scores WHERE influencer_id = $1`, [
      m.id,
    ]);
    expect(rescored).toBe(0);
  });
});
