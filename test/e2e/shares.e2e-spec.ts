import { ClickRecorder } from '../../src/tracking/click-recorder.service';
import { SharesService } from '../../src/redemptions/shares.service';
import { createBrand, TestBrand } from '../factories/brands';
import { activeCampaign, claimFor, visit } from '../factories/claims';
import { createMember, linkAccount } from '../factories/influencers';
import { post, reaction, sendSignals } from '../factories/signals';
import { dumpText } from '../support/dump';
import { expectProblem } from '../support/problem';
import { TestApp, admin, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

describe('shares', () => {
  let t: TestApp;
  let brand: TestBrand;
  let campaignId: string;
  beforeAll(async () => {
    t = await startTestApp();
    brand = await createBrand(t);
    campaignId = await activeCampaign(t, brand);
  });
  afterAll(() => t.close());

  const share = (auth: Record<string, string>, claimId: string, body: Record<string, unknown>) =>
    t.http.post(`/v1/me/claims/${claimId}/shares`).set(auth).send(body);

  it('registers a share, checks its disclosure, and returns the same share for the same URL', async () => {
    const claim = await claimFor(t, campaignId);
    const first = await share(claim.member.auth, claim.id, {
      url: 'https://www.instagram.com/p/Cx1AbC/#comments',
      network: 'instagram',
      text: 'Best espresso this year. #Gifted by @shop',
    }).expect(201);
    expect(first.body).toEqual({
      share: expect.objectContaining({
        id: expect.any(String),
        url: 'https://www.instagram.com/p/Cx1AbC',
        disclosed: true,
      }),
    });
    const again = await share(claim.member.auth, claim.id, {
      url: 'https://www.instagram.com/p/Cx1AbC',
      network: 'instagram',
    }).expect(200);
    expect(again.body.share.id).toBe(first.body.share.id);
    // An Idempotency-Key replay answers the first status: 200 for an existing share, not the route's 201.
    const keyed = () =>
      share(claim.member.auth, claim.id, { url: 'https://www.instagram.com/p/Cx1AbC', network: 'instagram' }).set(
        'idempotency-key',
        'share-again-1',
      );
    await keyed().expect(200);
    const replay = await keyed().expect(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.share.id).toBe(first.body.share.id);
    const hidden = await share(claim.member.auth, claim.id, {
      url: 'https://www.tiktok.com/@me/video/1',
      network: 'tiktok',
      text: 'my new #adidas shoes and this coffee',
    }).expect(201);
    expect(hidden.body.share.disclosed).toBe(false);
    const german = await share(claim.member.auth, claim.id, {
      url: 'https://twitter.com/me/status/2',
      network: 'twitter',
      text: 'Anzeige: mein Lieblingskaffee',
    }).expect(201);
    expect(german.body.share.disclosed).toBe(true);
    const [d] = await t.db.query(
      `SELECT sum(shares)::int AS shares, sum(disclosed_shares)::int AS disclosed FROM campaign_daily WHERE campaign_id = $1`,
      [campaignId],
    );
    expect(d).toEqual({ shares: 3, disclosed: 2 });
  });

  it('answers 404 for someone else’s claim and 4xx for bad input', async () => {
    const claim = await claimFor(t, campaignId);
    const stranger = await createMember(t);
    const body = { url: 'https://x.com/a/status/1', network: 'twitter' };
    expectProblem(await share(stranger.auth, claim.id, body), 404, 'not_found');
    expectProblem(await share(claim.member.auth, '3f1c2a8e-8a43-4c55-9a0e-1c1f3b9c0d11', body), 404);
    expectProblem(await share(claim.member.auth, 'nope', body), 400);
    expectProblem(await share(claim.member.auth, claim.id, { ...body, url: 'javascript:alert(1)' }), 400);
    expectProblem(await share(claim.member.auth, claim.id, { ...body, network: 'myspace' }), 400);
    expectProblem(await share(claim.member.auth, claim.id, { ...body, likes: 5 }), 400);
    expectProblem(await share(claim.member.auth, claim.id, { ...body, postedAt: '2999-01-01T00:00:00Z' }), 400);
    expectProblem(await share(brand.auth, claim.id, body), 403);
    expectProblem(await share(admin, claim.id, body), 403);
    expectProblem(await t.http.post(`/v1/me/claims/${claim.id}/shares`).send(body), 401);
  });

  it('takes reach and engagements from signals whose post URL matches, also when they arrive later', async () => {
    const claim = await claimFor(t, campaignId);
    await linkAccount(t, claim.member, 'twitter', 'maya-tw');
    const at = new Date(Date.now() - 3_600_000);
    await sendSignals(t, [
      { ...post('maya-tw', 'p1', at, []), url: 'https://twitter.com/maya/status/p1' },
      reaction('maya-tw', 'p1', 'fan-1', 'like', at),
      reaction('maya-tw', 'p1', 'fan-2', 'like', at),
      reaction('maya-tw', 'p1', 'fan-2', 'reply', at),
    ]);
    const s = await share(claim.member.auth, claim.id, {
      url: 'https://www.twitter.com/maya/status/p1/',
      network: 'twitter',
      text: '#ad',
    }).expect(201);
    expect(s.body.share).toMatchObject({ reach: 2, engagements: 3 });
    await sendSignals(t, [reaction('maya-tw', 'p1', 'fan-3', 'reshare', new Date())]);
    expect(await t.app.get(SharesService).refreshMetrics()).toBeGreaterThanOrEqual(1);
    const [row] = await t.db.query(`SELECT reach, engagements FROM shares WHERE id = $1`, [s.body.share.id]);
    expect(row).toEqual({ reach: 3, engagements: 4 });
    const [stats] = await t.db.query(`SELECT reach::int, engagements::int FROM claim_stats WHERE claim_id = $1`, [
      claim.id,
    ]);
    expect(stats).toEqual({ reach: 3, engagements: 4 });
  });

  it('exports shares and clicks on the member’s links, and erasure keeps the campaign report’s totals', async () => {
    const m = await createMember(t, { displayName: 'Sharon Sharer', shareStatsWithBrands: true });
    const claim = await claimFor(t, campaignId, m);
    await share(m.auth, claim.id, {
      url: 'https://www.instagram.com/sharon.sharer/p/XyZ',
      network: 'instagram',
      text: 'Sharon loves it #ad',
    }).expect(201);
    await visit(t, claim.code);
    await visit(t, claim.code, { ua: 'Twitterbot/1.0' });
    await t.app.get(ClickRecorder).flush();
    await t.http
      .post('/v1/conversions')
      .set(brand.auth)
      .send({ orderId: 'share-order', amountCents: 990, currency: 'usd', code: claim.code })
      .expect(201);

    const exp = await t.http.get('/v1/me/export').set(m.auth).expect(200);
    expect(exp.body.shares).toEqual([
      expect.objectContaining({
        claimId: claim.id,
        url: 'https://www.instagram.com/sharon.sharer/p/XyZ',
        disclosed: true,
      }),
    ]);
    expect(exp.body.clicks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ claimId: claim.id, kind: 'human', clicks: 1 }),
        expect.objectContaining({ claimId: claim.id, kind: 'preview', clicks: 1 }),
      ]),
    );

    const before = (await t.http.get(`/v1/campaigns/${campaignId}/report`).set(brand.auth).expect(200)).body;
    expect(JSON.stringify(before.byInfluencer)).toContain('Sharon Sharer');
    await t.http.delete('/v1/me').set(m.auth).expect(202);
    await waitFor(async () => {
      const [row] = await t.db.query(
        `SELECT 1 FROM audit_log WHERE influencer_id = $1 AND action = 'erasure_completed'`,
        [m.id],
      );
      return row;
    });
    const after = (await t.http.get(`/v1/campaigns/${campaignId}/report`).set(brand.auth).expect(200)).body;
    const strip = (r: Record<string, unknown> & { byInfluencer: { influencer: unknown }[] }) => ({
      ...r,
      generatedAt: null,
      byInfluencer: r.byInfluencer.map((b) => ({ ...b, influencer: null })),
    });
    expect(strip(after)).toEqual(strip(before));
    expect(JSON.stringify(after)).not.toContain('Sharon Sharer');
    const dump = await dumpText(t);
    for (const s of ['Sharon Sharer', 'sharon.sharer', 'Sharon loves it', m.email]) expect(dump).not.toContain(s);
  });
});
