import { createBrand } from '../factories/brands';
import { activateOffline, createCampaign } from '../factories/campaigns';
import { quote } from '../factories/claims';
import { TestMember, createMember } from '../factories/influencers';
import { dumpText } from '../support/dump';
import { FakeBluesky } from '../support/fake-bluesky';
import { expectProblem } from '../support/problem';
import { TestApp, admin, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

const DAY = 86_400_000;
const ago = (days: number): string => new Date(Date.now() - days * DAY).toISOString();
const likers = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `did:plc:${prefix}${i}`);

/**
 * The end-to-end story against a local AppView: link by code in the profile, sync, score, match on an
 * inferred topic, claim, post the link with #ad, and the next sync records the disclosed share and its reach.
 */
describe('Bluesky connector (fake AppView)', () => {
  let t: TestApp;
  let bsky: FakeBluesky;
  const did = 'did:plc:mayaroastsbeans00000001';

  beforeAll(async () => {
    bsky = await new FakeBluesky().start();
    t = await startTestApp(bsky.env);
  });
  afterAll(async () => {
    await t.close();
    await bsky.stop();
  });

  const accounts = async (m: TestMember) =>
    (await t.http.get('/v1/me/social-accounts').set(m.auth).expect(200)).body.data as Record<string, unknown>[];
  const synced = (m: TestMember, id: string, after = '') =>
    waitFor(
      async () => {
        const a = (await accounts(m)).find((x) => x.id === id);
        return a && a.lastSyncAt && (a.lastSyncAt as string) > after && a.lastSyncStatus !== null ? a : null;
      },
      20_000,
      'a sync',
    );

  async function runScoring(): Promise<void> {
    const res = await t.http
      .post('/v1/scoring/runs')
      .set(admin)
      .send({ overrides: { minTopicReactors: 2 } })
      .expect(202);
    await waitFor(async () => {
      const r = await t.http.get(`/v1/scoring/runs/${res.body.runId}`).set(admin).expect(200);
      if (r.body.status === 'failed') throw new Error(`run failed: ${r.body.error}`);
      return r.body.status === 'succeeded';
    }, 20_000);
  }

  it('links, syncs, scores, matches, finds the disclosed share, and unlinks everything it fetched', async () => {
    const actor = bsky.addActor('maya.bsky.test', did, {
      followersCount: 420,
      description: 'Home roaster.',
      posts: [
        {
          rkey: '3kcoffee1',
          text: 'Dialing in a new espresso this morning, the crema is perfect',
          createdAt: ago(3),
          tags: ['coffee'],
          likers: likers('fan', 6),
          reposters: likers('fan', 2),
          repliers: ['did:plc:fan0'],
        },
        {
          rkey: '3kcoffee2',
          text: 'Pour over with a light roast. #coffee',
          createdAt: ago(5),
          likers: likers('fan', 4),
        },
        { malformed: { uri: 'not-an-at-uri', record: { text: 42 } } },
        {
          rkey: '3kcoffee3',
          text: 'Cold brew season is over, back to espresso',
          createdAt: ago(9),
          likers: [...likers('fan', 3), did],
        },
        { rkey: '3kold', text: 'Ancient #coffee post', createdAt: ago(200), likers: likers('old', 5) },
      ],
    });
    const m = await createMember(t);

    // Handle → DID through resolveHandle; a code to put in the profile.
    const link = await t.http
      .post('/v1/me/social-accounts/bluesky')
      .set(m.auth)
      .send({ handle: '@Maya.bsky.test' })
      .expect(201);
    expect(link.body).toEqual({
      account: expect.objectContaining({ network: 'bluesky', handle: 'maya.bsky.test', did, status: 'unverified' }),
      verificationCode: expect.stringMatching(/^sway-verify-/),
    });
    const id = link.body.account.id as string;
    expectProblem(await t.http.post(`/v1/me/social-accounts/${id}/verify`).set(m.auth), 422, 'unprocessable');
    expectProblem(await t.http.post(`/v1/me/social-accounts/${id}/sync`).set(m.auth), 409);
    actor.description = `Home roaster. ${link.body.verificationCode}`;
    const verified = await t.http.post(`/v1/me/social-accounts/${id}/verify`).set(m.auth).expect(200);
    expect(verified.body.status).toBe('verified');

    // On link: a sync job reads the last 90 days (not the 200-day-old post), pages through the feed, skips
    // the malformed record and the member's own like.
    const first = await synced(m, id);
    expect(first).toMatchObject({ lastSyncStatus: 'ok', postsRead: 3, network: 'bluesky' });
    const posts: { topics: string[]; url: string }[] = await t.db.query(
      `SELECT (SELECT array_agg(t.slug ORDER BY t.slug) FROM topics t WHERE t.id = ANY(p.topic_ids)) AS topics, p.url
       FROM signal_posts p WHERE p.influencer_id = $1 ORDER BY p.occurred_at DESC`,
      [m.id],
    );
    expect(posts).toHaveLength(3);
    expect(posts[0].url).toBe(`https://bsky.app/profile/${did}/post/3kcoffee1`);
    for (const p of posts) expect(p.topics).toEqual(expect.arrayContaining([expect.stringMatching(/coffee|espresso/)]));
    const [{ n: reactions }] = await t.db.query(
      `SELECT count(*)::int AS n FROM signal_reactions WHERE influencer_id = $1`,
      [m.id],
    );
    expect(reactions).toBe(6 + 2 + 1 + 4 + 3);
    const [{ value }] = await t.db.query(`SELECT value FROM signal_followers WHERE influencer_id = $1`, [m.id]);
    expect(Number(value)).toBe(420);
    // Nothing about anyone who is not a member: reactors only as keyed hashes; no post text anywhere.
    const dump = await dumpText(t);
    expect(dump).not.toContain('did:plc:fan0');
    expect(dump).not.toContain('crema is perfect');

    // The scoring run scores the member; a campaign on the inferred topic offers them its perk.
    await runScoring();
    const scores = await t.http.get('/v1/me/scores').set(m.auth).expect(200);
    expect(scores.body.topics.map((x: { slug: string }) => x.slug)).toContain('coffee');
    const brand = await createBrand(t);
    const c = await createCampaign(t, brand, {
      perk: { title: 'Beans', description: '15 % off beans', kind: 'discount', unitCostCents: 1800, currency: 'usd' },
      targeting: { topics: [{ slug: 'coffee', minScore: 1 }], match: 'any' },
    });
    await activateOffline(t, c.id, quote(10, 1800, t.config.platformFeeBps));
    const offer = await waitFor(async () => {
      const r = await t.http.get('/v1/me/offers?status=pending').set(m.auth).expect(200);
      return r.body.data.find((o: { campaignId: string }) => o.campaignId === c.id);
    }, 20_000);
    const claim = (await t.http.post(`/v1/me/offers/${offer.id}/claim`).set(m.auth).expect(201)).body.claim;

    // They post the link with #ad; the next (manual) sync records the disclosed share with its engagements.
    actor.posts.push({
      rkey: '3kperk',
      text: `My new beans are here! ${claim.trackingUrl.replace(/^https:\/\//, '').slice(0, 20)}... #ad`,
      createdAt: new Date(Date.now() - 60_000).toISOString(),
      links: [claim.trackingUrl],
      likers: likers('perkfan', 5),
      repliers: ['did:plc:perkfan9'],
    });
    const before = first.lastSyncAt as string;
    await t.http.post(`/v1/me/social-accounts/${id}/sync`).set(m.auth).expect(202);
    const again = await t.http.post(`/v1/me/social-accounts/${id}/sync`).set(m.auth);
    expectProblem(again, 429, 'rate_limited');
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    expect((await synced(m, id, before)).postsRead).toBe(4);
    const [share] = await t.db.query(
      `SELECT network, url, text, disclosed, engagements, reach FROM shares WHERE claim_id = $1`,
      [claim.id],
    );
    expect(share).toEqual({
      network: 'bluesky',
      url: `https://bsky.app/profile/${did}/post/3kperk`,
      text: null,
      disclosed: true,
      engagements: 6,
      reach: 6,
    });
    const report = await t.http.get(`/v1/campaigns/${c.id}/report`).set(brand.auth).expect(200);
    expect(report.body.funnel).toMatchObject({ shares: 1, disclosedShares: 1, engagements: 6, reach: 6 });
    // The member reporting the same post by hand gets the same share back.
    const manual = await t.http
      .post(`/v1/me/claims/${claim.id}/shares`)
      .set(m.auth)
      .send({ url: `https://bsky.app/profile/${did}/post/3kperk`, network: 'twitter' })
      .expect(200);
    expect(manual.body.share.disclosed).toBe(true);

    // Export shows the account and what was read; unlinking deletes what was fetched through it.
    const exported = await t.http.get('/v1/me/export').set(m.auth).expect(200);
    expect(exported.body.connectors).toEqual([expect.objectContaining({ id, did, postsRead: expect.any(Array) })]);
    expect(exported.body.connectors[0].postsRead).toHaveLength(4);
    await t.http.delete(`/v1/me/social-accounts/${id}`).set(m.auth).expect(204);
    expect(await accounts(m)).toEqual([]);
    const [left] = await t.db.query(
      `SELECT (SELECT count(*) FROM signal_posts WHERE influencer_id = $1)::int AS posts,
              (SELECT count(*) FROM signal_reactions WHERE influencer_id = $1)::int AS reactions,
              (SELECT count(*) FROM signal_followers WHERE influencer_id = $1)::int AS followers,
              (SELECT count(*) FROM connectors.posts)::int AS ledger`,
      [m.id],
    );
    expect(left).toEqual({ posts: 0, reactions: 0, followers: 0, ledger: 0 });
    expectProblem(await t.http.delete(`/v1/me/social-accounts/${id}`).set(m.auth), 404);
  });

  it('backs off on 5xx, waits out 429s, skips members without matching consent, refuses bad input', async () => {
    const d2 = 'did:plc:secondmember000000000002';
    const actor = bsky.addActor('sam.bsky.test', d2, {
      posts: [
        { rkey: '3ksam1', text: 'Marathon training, week 12 #running', createdAt: ago(1), likers: ['did:plc:x1'] },
      ],
    });
    const m = await createMember(t);
    const link = await t.http.post('/v1/me/social-accounts/bluesky').set(m.auth).send({ handle: 'sam.bsky.test' });
    actor.description = link.body.verificationCode;
    // The AppView fails during the link sync: the job retries with backoff and succeeds.
    bsky.failNext(502, 'app.bsky.feed.getAuthorFeed');
    await t.http.post(`/v1/me/social-accounts/${link.body.account.id}/verify`).set(m.auth).expect(200);
    const a = await waitFor(
      async () => (await accounts(m)).find((x) => x.lastSyncStatus === 'ok'),
      30_000,
      'retried sync',
    );
    const accountId = a.id as string;
    expect(a.postsRead).toBe(1);

    // Withdrawn consent: the next sync reads nothing at all.
    await t.http.put('/v1/me/consents').set(m.auth).send({ matching: false }).expect(200);
    const n = bsky.requests.length;
    await t.http.post(`/v1/me/social-accounts/${accountId}/sync`).set(m.auth).expect(202);
    await waitFor(async () => (await accounts(m)).find((x) => x.lastSyncStatus === 'skipped_no_consent'), 20_000);
    expect(bsky.requests.length).toBe(n);

    // Another member cannot take a verified account; unknown handles and bad ones are 4xx.
    const other = await createMember(t);
    const l2 = await t.http.post('/v1/me/social-accounts/bluesky').set(other.auth).send({ handle: 'sam.bsky.test' });
    actor.description = `${actor.description} ${l2.body.verificationCode}`;
    expectProblem(await t.http.post(`/v1/me/social-accounts/${l2.body.account.id}/verify`).set(other.auth), 409);
    expectProblem(
      await t.http.post('/v1/me/social-accounts/bluesky').set(m.auth).send({ handle: 'nobody.bsky.test' }),
      422,
    );
    expectProblem(
      await t.http.post('/v1/me/social-accounts/bluesky').set(m.auth).send({ handle: 'not a handle' }),
      400,
    );
    expectProblem(await t.http.post(`/v1/me/social-accounts/${accountId}/verify`).set(other.auth), 404);
    expectProblem(await t.http.post(`/v1/me/social-accounts/${accountId}/sync`).set(other.auth), 404);
    bsky.failNext(503);
    expectProblem(await t.http.post('/v1/me/social-accounts/bluesky').set(m.auth).send({ handle: 'x.bsky.test' }), 503);

    // Erasure removes the connector's accounts and ledger with the rest of the member.
    await t.http.delete('/v1/me').set(m.auth).expect(202);
    await waitFor(async () => {
      const [{ n }] = await t.db.query(
        `SELECT (SELECT count(*) FROM connectors.accounts WHERE influencer_id = $1)
              + (SELECT count(*) FROM signal_posts WHERE influencer_id = $1) AS n`,
        [m.id],
      );
      return Number(n) === 0;
    }, 20_000);
  });

  it('records a rate-limited sync and resumes after the reset the AppView announced', async () => {
    const d3 = 'did:plc:thirdmember0000000000003';
    const actor = bsky.addActor('ray.bsky.test', d3, {
      posts: [{ rkey: '3kray1', text: 'New sneakers for the 10k', createdAt: ago(2) }],
    });
    const m = await createMember(t);
    const link = await t.http.post('/v1/me/social-accounts/bluesky').set(m.auth).send({ handle: 'ray.bsky.test' });
    actor.description = link.body.verificationCode;
    await t.http.post(`/v1/me/social-accounts/${link.body.account.id}/verify`).set(m.auth).expect(200);
    // Verification read the profile; the sync's first call gets a 429 with a 2-second reset.
    bsky.rateLimitNext(2);
    await waitFor(async () => (await accounts(m)).find((x) => x.lastSyncStatus === 'rate_limited'), 20_000);
    const ok = await waitFor(async () => (await accounts(m)).find((x) => x.lastSyncStatus === 'ok'), 20_000);
    expect(ok.postsRead).toBe(1);
  });
});
