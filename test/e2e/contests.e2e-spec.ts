import { accountHash } from '../../src/scoring/keyed-hash';
import { runScoring, scoredMember, waitFor } from '../factories/contests';
import { createBrand } from '../factories/brands';
import { activeCampaign } from '../factories/claims';
import { createMember, TestMember } from '../factories/influencers';
import { expectProblem } from '../support/problem';
import { ADMIN_TOKEN, TestApp, admin, startTestApp } from '../support/test-app';

jest.setTimeout(120_000);

describe('score contests over HTTP', () => {
  let t: TestApp;
  let a: { m: TestMember; main: string; second: string };
  let b: { m: TestMember; main: string; second: string };

  beforeAll(async () => {
    t = await startTestApp();
    a = await scoredMember(t, 'ca');
    b = await scoredMember(t, 'cb');
    await runScoring(t);
  });
  afterAll(() => t.close());

  const ref = (externalId: string): string => accountHash(t.config.hashSecret, 'twitter', externalId).toString('hex');

  it('validates filings: subject shapes, evidence links, unknown fields, and who may file', async () => {
    const bad = [
      { subject: { kind: 'karma' }, reason: 'This is not right at all' },
      { subject: { kind: 'topic' }, reason: 'This is not right at all' },
      { subject: { kind: 'factor', factor: 'charisma' }, reason: 'This is not right at all' },
      { subject: { kind: 'fraud_signal', signalId: 'sig-1' }, reason: 'This is not right at all' },
      { subject: { kind: 'overall' }, reason: 'short' },
      { subject: { kind: 'overall' }, reason: 'This is not right at all', links: ['javascript:alert(1)'] },
      { subject: { kind: 'overall' }, reason: 'This is not right at all', extra: 1 },
    ];
    for (const body of bad) expectProblem(await t.http.post('/v1/me/contests').set(a.m.auth).send(body), 400);
    expectProblem(
      await t.http
        .post('/v1/me/contests')
        .set(a.m.auth)
        .send({ subject: { kind: 'overall', topic: 'coffee' }, reason: 'This is not right at all' }),
      422,
    );
    expectProblem(
      await t.http
        .post('/v1/me/contests')
        .set(a.m.auth)
        .send({ subject: { kind: 'topic', topic: 'no-such-topic-zz' }, reason: 'This is not right at all' }),
      422,
    );
    expectProblem(
      await t.http
        .post('/v1/me/contests')
        .set(admin)
        .send({ subject: { kind: 'overall' }, reason: 'This is not right at all' }),
      403,
    );
    expectProblem(await t.http.post('/v1/me/contests').send({ subject: { kind: 'overall' }, reason: 'x' }), 401);
    const unscored = await createMember(t);
    expectProblem(
      await t.http
        .post('/v1/me/contests')
        .set(unscored.auth)
        .send({ subject: { kind: 'overall' }, reason: 'This is not right at all' }),
      422,
    );
    expectProblem(await t.http.get('/v1/admin/contests').set(a.m.auth), 403);
    expectProblem(await t.http.get('/v1/admin/contests?status=closed').set(admin), 400);
  });

  it('goes from filed to upheld: the topic is removed, the account excluded, score and history change', async () => {
    const before = (await t.http.get('/v1/me/scores').set(a.m.auth).expect(200)).body;
    expect(before.topics.map((x: { slug: string }) => x.slug)).toEqual(expect.arrayContaining(['coffee', 'wine']));
    const filed = await t.http
      .post('/v1/me/contests')
      .set(a.m.auth)
      .send({
        subject: { kind: 'topic', topic: 'wine' },
        reason: 'I never post about wine; my second account was bought by someone else.',
        links: ['https://example.com/evidence'],
      })
      .expect(201);
    expect(filed.body).toEqual({
      contest: { id: expect.any(String), status: 'open', createdAt: expect.any(String) },
    });
    const id = filed.body.contest.id as string;
    // One open contest per subject at a time.
    expectProblem(
      await t.http
        .post('/v1/me/contests')
        .set(a.m.auth)
        .send({ subject: { kind: 'topic', topic: 'wine' }, reason: 'Again: I never post about wine.' }),
      409,
    );

    const queue = await t.http.get('/v1/admin/contests?status=open').set(admin).expect(200);
    const item = queue.body.data.find((c: { id: string }) => c.id === id);
    expect(item).toMatchObject({
      status: 'open',
      subject: { kind: 'topic', topic: 'wine' },
      scoreAtFiling: before.overall.score,
      member: { pseudonym: expect.stringMatching(/^mem_/), country: 'US', earlierContests: 0 },
      model: {
        overall: { score: before.overall.score, factors: expect.any(Array), botReactions: 0 },
        accounts: expect.arrayContaining([
          { network: 'twitter', accountRef: ref(a.second), excluded: false },
          { network: 'twitter', accountRef: ref(a.main), excluded: false },
        ]),
      },
      events: [expect.objectContaining({ actor: 'member', action: 'filed' })],
    });
    // Pseudonymous, and nothing of any other member.
    const text = JSON.stringify(item);
    for (const secret of [a.m.email, a.m.displayName, a.m.id, a.main, b.m.id, b.m.email, ref(b.main), ref(b.second)])
      expect(text).not.toContain(secret);

    // An account that is not this member's is refused, and nothing is applied.
    const wrong = await t.http
      .post(`/v1/admin/contests/${id}/resolve`)
      .set(admin)
      .send({
        outcome: 'upheld',
        answer: 'Removing the account.',
        actions: [{ kind: 'exclude_account', accountRef: ref(b.second) }],
      });
    expectProblem(wrong, 422);
    expectProblem(
      await t.http
        .post(`/v1/admin/contests/${id}/resolve`)
        .set(admin)
        .send({ outcome: 'rejected', answer: 'Nothing to change.', actions: [{ kind: 'rescore' }] }),
      422,
    );
    expect((await t.http.get(`/v1/me/contests/${id}`).set(a.m.auth).expect(200)).body.status).toBe('open');

    const answer = 'You were right: the wine posts came from an account you do not control. We removed it.';
    const resolved = await t.http
      .post(`/v1/admin/contests/${id}/resolve`)
      .set(admin)
      .send({
        outcome: 'upheld',
        answer,
        actions: [
          { kind: 'remove_topic', topic: 'wine' },
          { kind: 'exclude_account', accountRef: ref(a.second) },
        ],
      })
      .expect(200);
    expect(resolved.body).toMatchObject({ status: 'upheld', answer, rescoreRunId: expect.any(String) });
    expect(resolved.body.events.map((e: { action: string }) => e.action)).toEqual([
      'filed',
      'action',
      'action',
      'rescore_requested',
      'resolved',
    ]);
    expectProblem(
      await t.http.post(`/v1/admin/contests/${id}/resolve`).set(admin).send({ outcome: 'rejected', answer }),
      409,
    );
    await waitFor(async () => {
      const r = await t.http.get(`/v1/scoring/runs/${resolved.body.rescoreRunId}`).set(admin).expect(200);
      if (r.body.status === 'failed') throw new Error(`run failed: ${r.body.error}`);
      return r.body.status === 'succeeded' ? r.body : null;
    });

    const after = (await t.http.get('/v1/me/scores').set(a.m.auth).expect(200)).body;
    expect(after.topics.map((x: { slug: string }) => x.slug)).not.toContain('wine');
    expect(after.overall.score).toBeLessThan(before.overall.score);
    const last = after.history[after.history.length - 1];
    expect(last).toMatchObject({ reason: 'contest', note: answer, overall: after.overall.score });
    expect(after.history).toHaveLength(before.history.length + 1);

    const mine = await t.http.get('/v1/me/contests').set(a.m.auth).expect(200);
    expect(mine.body.data[0]).toMatchObject({ id, status: 'upheld', answer, resolvedAt: expect.any(String) });

    // Only this member was rescored: b's score and history are untouched.
    const bScores = (await t.http.get('/v1/me/scores').set(b.m.auth).expect(200)).body;
    expect(bScores.history.map((h: { reason: string }) => h.reason)).not.toContain('contest');
    expect(bScores.topics.map((x: { slug: string }) => x.slug)).toContain('wine');

    // The next daily run keeps the correction.
    await runScoring(t);
    const later = (await t.http.get('/v1/me/scores').set(a.m.auth).expect(200)).body;
    expect(later.topics.map((x: { slug: string }) => x.slug)).not.toContain('wine');
  });

  it('goes from filed to rejected: the explanation is shown and nothing changes', async () => {
    const before = (await t.http.get('/v1/me/scores').set(b.m.auth).expect(200)).body;
    const filed = await t.http
      .post('/v1/me/contests')
      .set(b.m.auth)
      .send({
        subject: { kind: 'factor', factor: 'audience' },
        reason: 'I have 5,400 followers, the audience is too low.',
      })
      .expect(201);
    const id = filed.body.contest.id as string;
    const answer = 'Audience counts followers who engaged in the last 180 days, not all followers; yours is right.';
    await t.http.post(`/v1/admin/contests/${id}/resolve`).set(admin).send({ outcome: 'rejected', answer }).expect(200);
    const mine = await t.http.get(`/v1/me/contests/${id}`).set(b.m.auth).expect(200);
    expect(mine.body).toMatchObject({ status: 'rejected', answer, subject: { kind: 'factor', factor: 'audience' } });
    // The member is told in the app (mail follows their preference, unanswered = off).
    const inbox = await t.http.get('/v1/me/notifications').set(b.m.auth).expect(200);
    expect(inbox.body.data).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'contest_answered' })]));
    expect(inbox.body.unread).toBeGreaterThan(0);
    const after = (await t.http.get('/v1/me/scores').set(b.m.auth).expect(200)).body;
    expect(after.overall.score).toBe(before.overall.score);
    expect(after.history).toEqual(before.history);
    const closed = await t.http.get('/v1/admin/contests?status=rejected').set(admin).expect(200);
    expect(closed.body.data.map((c: { id: string }) => c.id)).toContain(id);
    const metrics = await t.http.get('/metrics').set(admin).expect(200);
    expect(metrics.text).toMatch(/sway_contest_resolution_seconds_count\{outcome="rejected"\} 1/);
    expect(metrics.text).toMatch(/sway_contest_resolution_seconds_count\{outcome="upheld"\} 1/);
  });

  it('contests a confirmed fraud verdict: only one about the member; upheld dismisses the signal', async () => {
    const brand = await createBrand(t);
    const campaignId = await activeCampaign(t, brand);
    const insertVerdict = async (influencerId: string): Promise<string> =>
      (
        await t.db.query(
          `INSERT INTO trust.signals (brand_id, campaign_id, influencer_id, type, rule_key, severity, evidence, status, resolved_at)
           VALUES ($1, $2, $3, 'code_leak', gen_random_uuid()::text, 'medium', '{}'::jsonb, 'confirmed', now()) RETURNING id`,
          [brand.id, campaignId, influencerId],
        )
      )[0].id;
    const aVerdict = await insertVerdict(a.m.id);
    const bVerdict = await insertVerdict(b.m.id);
    const verdict = (signalId: string) => ({
      subject: { kind: 'fraud_signal', signalId },
      reason: 'The flagged sale was a real customer, not me.',
    });
    // Another member's verdict and an unknown id look the same: 404.
    expectProblem(await t.http.post('/v1/me/contests').set(a.m.auth).send(verdict(bVerdict)), 404);
    expectProblem(
      await t.http.post('/v1/me/contests').set(a.m.auth).send(verdict('6b1a3c1e-0000-4000-8000-000000000000')),
      404,
    );
    const filed = await t.http.post('/v1/me/contests').set(a.m.auth).send(verdict(aVerdict)).expect(201);
    const resolved = await t.http
      .post(`/v1/admin/contests/${filed.body.contest.id}/resolve`)
      .set(admin)
      .send({ outcome: 'upheld', answer: 'The customer is a different person; the verdict is withdrawn.' })
      .expect(200);
    expect(resolved.body.actions).toEqual([{ kind: 'dismiss_signal', signalId: aVerdict }]);
    const [sig] = await t.db.query(`SELECT status FROM trust.signals WHERE id = $1`, [aVerdict]);
    expect(sig.status).toBe('dismissed');
    const [other] = await t.db.query(`SELECT status FROM trust.signals WHERE id = $1`, [bVerdict]);
    expect(other.status).toBe('confirmed');
    // The operator's overview across brands: counts only (b's verdict is still confirmed).
    const overview = await t.http.get('/v1/admin/fraud-overview').set(admin).expect(200);
    expect(overview.body.brands).toEqual([
      { brandId: brand.id, brand: expect.any(String), confirmed: 1, byType: { code_leak: 1 } },
    ]);
    expect(JSON.stringify(overview.body)).not.toContain(b.m.id);
    expectProblem(await t.http.get('/v1/admin/fraud-overview').set(a.m.auth), 403);
  });

  it('never shows a member another member’s contest (404), and lists only their own', async () => {
    const filed = await t.http
      .post('/v1/me/contests')
      .set(a.m.auth)
      .send({ subject: { kind: 'overall' }, reason: 'My score should be higher than this.' })
      .expect(201);
    const id = filed.body.contest.id as string;
    expectProblem(await t.http.get(`/v1/me/contests/${id}`).set(b.m.auth), 404);
    expectProblem(await t.http.get('/v1/me/contests/not-a-uuid').set(b.m.auth), 400);
    const bList = await t.http.get('/v1/me/contests').set(b.m.auth).expect(200);
    expect(bList.body.data.map((c: { id: string }) => c.id)).not.toContain(id);
    expect(JSON.stringify(bList.body)).not.toContain(a.m.id);
    expectProblem(await t.http.post(`/v1/admin/contests/${id}/resolve`).set(b.m.auth).send({}), 403);
    expectProblem(
      await t.http
        .post('/v1/admin/contests/6b1a3c1e-0000-4000-8000-00000000abcd/resolve')
        .set(admin)
        .send({ outcome: 'rejected', answer: 'Nothing to change here.' }),
      404,
    );
    // The queue is oldest first.
    const q = await t.http.get('/v1/admin/contests').set(admin).expect(200);
    const times = q.body.data.map((c: { createdAt: string }) => Date.parse(c.createdAt));
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });

  it('lists every queue on the queue dashboard (the registry is read after the app filled it)', async () => {
    const basic = `Basic ${Buffer.from(`ops:${ADMIN_TOKEN}`).toString('base64')}`;
    const res = await t.http.get('/admin/queues/api/queues').set('authorization', basic).expect(200);
    const names = (res.body.queues as { name: string }[]).map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['scoring', 'matching']));
    expectProblem(await t.http.get('/admin/queues/api/queues'), 401);
  });
});
