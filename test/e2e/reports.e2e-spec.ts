import { ClickRecorder } from '../../src/tracking/click-recorder.service';
import { ConversionsService } from '../../src/tracking/conversions.service';
import { RollupsService } from '../../src/tracking/rollups.service';
import { createBrand, TestBrand } from '../factories/brands';
import { activeCampaign, claimFor, clickIdOf, visit } from '../factories/claims';
import { createMember } from '../factories/influencers';
import { setScores } from '../factories/scores';
import { expectProblem } from '../support/problem';
import { TestApp, admin, startTestApp } from '../support/test-app';

/**
 * One campaign seeded through the API, every number of its report computed by hand:
 * 3 claims of a $25.00 perk at the default 10 % fee → perk 7,500, fee 750, total 8,250.
 */
describe('campaign reports', () => {
  let t: TestApp;
  let brand: TestBrand;
  let campaignId: string;
  let claims: Awaited<ReturnType<typeof claimFor>>[];

  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'true' });
    brand = await createBrand(t);
    campaignId = await activeCampaign(t, brand, {
      inventory: 5,
      perk: { title: 'Tasting', description: 'For two', kind: 'experience', unitCostCents: 2500, currency: 'usd' },
      targeting: {
        topics: [
          { slug: 'coffee', minScore: 99 },
          { slug: 'wine', minScore: 99 },
        ],
        match: 'any',
      },
    });
    const maya = await createMember(t, { displayName: 'Maya Consenting', shareStatsWithBrands: true });
    await setScores(t, maya.id, { overall: 50, topics: { coffee: 80, wine: 30 } });
    const wino = await createMember(t, { displayName: 'Private Person' });
    await setScores(t, wino.id, { overall: 50, topics: { wine: 70 } });
    claims = [await claimFor(t, campaignId, maya), await claimFor(t, campaignId, wino), await claimFor(t, campaignId)];
    const [a, b, c] = claims;

    // Shares: a has two (one disclosed), b one undisclosed.
    await t.http
      .post(`/v1/me/claims/${a.id}/shares`)
      .set(a.member.auth)
      .send({ url: 'https://x.com/a/1', network: 'twitter', text: '#ad' })
      .expect(201);
    await t.http
      .post(`/v1/me/claims/${a.id}/shares`)
      .set(a.member.auth)
      .send({ url: 'https://x.com/a/2', network: 'twitter' })
      .expect(201);
    await t.http
      .post(`/v1/me/claims/${b.id}/shares`)
      .set(b.member.auth)
      .send({ url: 'https://x.com/b/1', network: 'twitter', text: 'yum' })
      .expect(201);

    // Clicks: a ← 3 human from 2 visitors + 1 bot; b ← 2 human from 2 visitors (one shared with a's); c ← HEAD only.
    const aClick = clickIdOf(await visit(t, a.code, { ip: '192.0.2.1' }));
    await visit(t, a.code, { ip: '192.0.2.1' });
    await visit(t, a.code, { ip: '192.0.2.2' });
    await visit(t, a.code, { ip: '192.0.2.3', ua: 'Googlebot/2.1 (+http://www.google.com/bot.html)' });
    await visit(t, b.code, { ip: '192.0.2.2' });
    await visit(t, b.code, { ip: '192.0.2.4' });
    await visit(t, c.code, { ip: '192.0.2.5', method: 'HEAD' });
    await t.app.get(ClickRecorder).flush();

    // Sales: 6,000 by a's click; 4,000 by b's code; 2,000 by c's code (no human click: a possible leak);
    // 3,000 EUR by a's code (another currency); 1,000 unattributed.
    const conv = (body: Record<string, unknown>) =>
      t.http.post('/v1/conversions').set(brand.auth).send(body).expect(201);
    await conv({ orderId: 'r-1', amountCents: 6000, currency: 'usd', clickId: aClick });
    await conv({ orderId: 'r-2', amountCents: 4000, currency: 'usd', code: b.code });
    await conv({ orderId: 'r-3', amountCents: 2000, currency: 'usd', code: c.code });
    await conv({ orderId: 'r-4', amountCents: 3000, currency: 'eur', code: a.code });
    await conv({ orderId: 'r-5', amountCents: 1000, currency: 'usd' });
    // An offer that was declined and one that expired, for the funnel.
    const [d, e] = [await createMember(t), await createMember(t)];
    await t.db.query(
      `INSERT INTO offers (campaign_id, influencer_id, status, match_score, expires_at, decided_at)
       VALUES ($1, $2, 'declined', 50, now() + interval '1 day', now()), ($1, $3, 'pending', 50, now() - interval '1 hour', NULL)`,
      [campaignId, d.id, e.id],
    );
  });
  afterAll(() => t.close());

  it('reports the funnel, cost and ROI computed by hand', async () => {
    const r = (await t.http.get(`/v1/campaigns/${campaignId}/report`).set(brand.auth).expect(200)).body;
    expect(r.campaignId).toBe(campaignId);
    expect(r.currency).toBe('usd');
    expect(r.funnel).toEqual({
      eligible: 0,
      offered: 5,
      claimed: 3,
      declined: 1,
      expired: 1,
      fulfilled: 0,
      shares: 3,
      disclosedShares: 1,
      reach: 0,
      engagements: 0,
      clicks: 5,
      uniqueClicks: 3,
      conversions: 3,
      revenueCents: 12_000,
    });
    expect(r.cost).toEqual({ perkCostCents: 7_500, platformFeeCents: 750, totalCents: 8_250 });
    expect(r.roi).toBeCloseTo((12_000 - 8_250) / 8_250, 12);
    expect(r.otherCurrencies).toEqual([{ currency: 'eur', conversions: 1, revenueCents: 3_000 }]);
    expect(r.quality).toEqual({ filteredClicks: 2, possibleCodeLeaks: 1, refundedConversions: 0, refundedCents: 0 });
    // By topic: each claimant's best targeted topic at claim time (Maya: coffee 80; the private member: wine 70).
    expect(r.byTopic).toEqual([
      {
        topic: 'coffee',
        name: expect.any(String),
        claims: 1,
        shares: 2,
        clicks: 3,
        conversions: 1,
        revenueCents: 6_000,
      },
      { topic: 'wine', name: expect.any(String), claims: 1, shares: 1, clicks: 2, conversions: 1, revenueCents: 4_000 },
      {
        topic: null,
        name: 'No targeted topic score',
        claims: 1,
        shares: 0,
        clicks: 0,
        conversions: 1,
        revenueCents: 2_000,
      },
    ]);
    const [a, b, c] = claims;
    expect(r.byInfluencer.map((x: { claimId: string }) => x.claimId)).toEqual([a.id, b.id, c.id]);
    expect(r.byInfluencer[0].influencer).toMatchObject({
      ref: expect.stringMatching(/^inf_/),
      displayName: 'Maya Consenting',
    });
    expect(r.byInfluencer[1].influencer).toEqual({ ref: expect.stringMatching(/^inf_/) });
    expect(r.byInfluencer[2]).toMatchObject({ possibleCodeLeaks: 1, clicks: 0, conversions: 1 });
    expect(JSON.stringify(r)).not.toContain('Private Person');
  });

  it('serves one CSV row per claim, pseudonymous unless consented, properly escaped', async () => {
    const res = await t.http.get(`/v1/campaigns/${campaignId}/report.csv`).set(brand.auth).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="campaign-${campaignId}-report.csv"`);
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'claim_id,influencer_ref,display_name,code,status,claimed_at,fulfilled_at,topic,shares,disclosed_shares,reach,engagements,clicks,conversions,revenue_cents,possible_code_leaks',
    );
    expect(lines).toHaveLength(4);
    const [a, b] = claims;
    expect(lines[1]).toMatch(
      new RegExp(`^${a.id},inf_[\\w-]+,Maya Consenting,${a.code},claimed,[^,]+,,coffee,2,1,0,0,3,1,6000,0$`),
    );
    expect(lines[2]).toMatch(new RegExp(`^${b.id},inf_[\\w-]+,,${b.code},claimed,[^,]+,,wine,1,0,0,0,2,1,4000,0$`));
    expect(res.text).not.toContain('Private Person');
  });

  it('serves the daily series', async () => {
    const r = (await t.http.get(`/v1/campaigns/${campaignId}/report/daily`).set(brand.auth).expect(200)).body;
    const today = new Date().toISOString().slice(0, 10);
    expect(r.data).toEqual([
      { date: today, claims: 3, shares: 3, clicks: 5, uniqueClicks: 3, conversions: 3, revenueCents: 12_000 },
    ]);
    expect(
      (
        await t.http
          .get(`/v1/campaigns/${campaignId}/report/daily?from=2000-01-01&to=2000-01-02`)
          .set(brand.auth)
          .expect(200)
      ).body,
    ).toEqual({
      data: [],
    });
    expectProblem(await t.http.get(`/v1/campaigns/${campaignId}/report/daily?from=yesterday`).set(brand.auth), 400);
  });

  it('sums the brand’s campaigns per currency', async () => {
    const empty = await activeCampaign(t, brand, { name: 'Quiet one' });
    const r = (await t.http.get('/v1/reports/summary').set(brand.auth).expect(200)).body;
    expect(r.data.map((c: { campaignId: string }) => c.campaignId)).toEqual([empty, campaignId]);
    expect(r.data[1]).toMatchObject({
      claimed: 3,
      clicks: 5,
      conversions: 3,
      revenueCents: 12_000,
      totalCostCents: 8_250,
    });
    expect(r.data[0]).toMatchObject({ claimed: 0, totalCostCents: 0, roi: null });
    expect(r.totals).toEqual([
      {
        currency: 'usd',
        campaigns: 2,
        claimed: 3,
        clicks: 5,
        conversions: 3,
        revenueCents: 12_000,
        totalCostCents: 8_250,
        roi: (12_000 - 8_250) / 8_250,
      },
    ]);
  });

  it('answers 404 for another brand’s campaign on every report endpoint, and 401/403/400 as the contract says', async () => {
    const other = await createBrand(t);
    for (const path of ['report', 'report.csv', 'report/daily']) {
      expectProblem(await t.http.get(`/v1/campaigns/${campaignId}/${path}`).set(other.auth), 404, 'not_found');
      expectProblem(
        await t.http.get(`/v1/campaigns/3f1c2a8e-8a43-4c55-9a0e-1c1f3b9c0d11/${path}`).set(brand.auth),
        404,
      );
      expectProblem(await t.http.get(`/v1/campaigns/not-a-uuid/${path}`).set(brand.auth), 400);
      expectProblem(await t.http.get(`/v1/campaigns/${campaignId}/${path}`), 401);
      expectProblem(await t.http.get(`/v1/campaigns/${campaignId}/${path}`).set(claims[0].member.auth), 403);
      expectProblem(await t.http.get(`/v1/campaigns/${campaignId}/${path}`).set(admin), 403);
    }
    expect((await t.http.get('/v1/reports/summary').set(other.auth).expect(200)).body).toEqual({
      data: [],
      totals: [],
    });
    expectProblem(await t.http.get('/v1/reports/summary').set(claims[0].member.auth), 403);
  });

  it('keeps rollups equal to a recount from raw rows, and repairs a corrupted rollup', async () => {
    const rollups = t.app.get(RollupsService);
    expect(await rollups.reconcile()).toEqual([]);
    const before = (await t.http.get(`/v1/campaigns/${campaignId}/report`).set(brand.auth).expect(200)).body;
    await t.db.query(`UPDATE campaign_daily SET clicks = clicks + 40, unique_clicks = 0 WHERE campaign_id = $1`, [
      campaignId,
    ]);
    await t.db.query(`UPDATE conversion_daily SET revenue_cents = 1 WHERE campaign_id = $1 AND currency = 'usd'`, [
      campaignId,
    ]);
    await t.db.query(`DELETE FROM claim_stats WHERE claim_id = $1`, [claims[1].id]);
    const repaired = await rollups.reconcile(campaignId);
    // The re-created claim row lands under no topic (0), so its topic's totals move with it.
    expect(repaired.map((r) => r.table).sort()).toEqual([
      'campaign_daily',
      'campaign_topic_totals',
      'campaign_topic_totals',
      'claim_stats',
      'conversion_daily',
    ]);
    expect(repaired.find((r) => r.table === 'campaign_daily')?.diff).toEqual({ clicks: -40, unique_clicks: 3 });
    expect(await rollups.reconcile()).toEqual([]);
    const after = (await t.http.get(`/v1/campaigns/${campaignId}/report`).set(brand.auth).expect(200)).body;
    // The repaired claim's topic was unknown to the recount (it is a claim-time fact): everything else is equal.
    const strip = (r: typeof before) => ({
      ...r,
      generatedAt: null,
      byTopic: null,
      byInfluencer: r.byInfluencer.map((x: object) => ({ ...x, topic: null })),
    });
    expect(strip(after)).toEqual(strip(before));
    await t.http.post('/v1/admin/rollups/reconcile').set(admin).send({ campaignId }).expect(200, { repaired: 0 });
    expectProblem(await t.http.post('/v1/admin/rollups/reconcile').set(brand.auth).send({}), 403);
  });

  /**
   * The report's per-topic rows, fulfilled count and best-claims ranking are maintained totals (no group-by, count or
   * sort over the claims): after every kind of writer has run, they must equal a recount from the raw rows, and
   * reconciliation must repair a broken total by adding the difference.
   */
  it('keeps the topic, fulfilled and ranking totals equal to a recount from raw rows, and repairs them', async () => {
    const rollups = t.app.get(RollupsService);
    const [a, b, c] = claims;
    const late = await createMember(t, { displayName: 'Late Claimant' });
    await setScores(t, late.id, { overall: 50, topics: { coffee: 60 } });
    const d = await claimFor(t, campaignId, late);
    await t.http
      .post(`/v1/me/claims/${d.id}/shares`)
      .set(d.member.auth)
      .send({ url: 'https://x.com/d/1', network: 'twitter', text: '#ad' })
      .expect(201);
    await visit(t, d.code, { ip: '192.0.2.10' });
    await visit(t, d.code, { ip: '192.0.2.11' });
    await visit(t, c.code, { ip: '192.0.2.12' });
    await visit(t, c.code, { ip: '192.0.2.13', ua: 'Googlebot/2.1 (+http://www.google.com/bot.html)' });
    await t.app.get(ClickRecorder).flush();
    const conv = (body: Record<string, unknown>) =>
      t.http.post('/v1/conversions').set(brand.auth).send(body).expect(201);
    await conv({ orderId: 'r-6', amountCents: 7000, currency: 'usd', code: d.code });
    await conv({ orderId: 'r-7', amountCents: 500, currency: 'eur', code: d.code });
    // A full refund of b's sale and a partial one of a's (Stripe's path; the payment ids are fixtures).
    await t.db.query(
      `UPDATE conversions SET payment_intent_id = 'pi_rep_' || order_id WHERE brand_id = $1 AND order_id IN ('r-1', 'r-2')`,
      [brand.id],
    );
    const refund = (pi: string, cents: number) =>
      t.db.transaction((m) => t.app.get(ConversionsService).refund(m, brand.id, pi, cents));
    await refund('pi_rep_r-2', 4000);
    await refund('pi_rep_r-1', 1500);
    await refund('pi_rep_r-1', 1500); // a replay moves nothing
    const fulfil = (id: string, body: object) =>
      t.http.patch(`/v1/campaigns/${campaignId}/claims/${id}`).set(brand.auth).send(body).expect(200);
    await fulfil(a.id, { status: 'fulfilled' });
    await fulfil(a.id, { status: 'fulfilled', trackingNumber: '1Z1' }); // a correction, not a second fulfilment
    await fulfil(d.id, { status: 'fulfilled' });

    expect(await rollups.reconcile()).toEqual([]);
    const recount: {
      slug: string | null;
      claims: number;
      shares: number;
      clicks: number;
      conversions: number;
      refunded: number;
      revenue: number;
      refundedCents: number;
    }[] = await t.db.query(
      `WITH cl AS (
         SELECT cl.id, s.topic_id FROM claim_facts cl JOIN claim_stats s ON s.claim_id = cl.id WHERE cl.campaign_id = $1
       ),
       sh AS (SELECT claim_id, count(*) AS n FROM share_facts WHERE campaign_id = $1 GROUP BY 1),
       k AS (SELECT claim_id, count(*) AS n FROM clicks WHERE campaign_id = $1 AND kind = 'human' GROUP BY 1),
       v AS (
         SELECT claim_id, count(*) AS n, sum(amount_cents) AS rev, sum(refunded_cents) AS ref,
                count(*) FILTER (WHERE refunded_cents = amount_cents AND amount_cents > 0) AS rn
         FROM conversions WHERE campaign_id = $1 AND currency = 'usd' GROUP BY 1
       )
       SELECT (SELECT slug FROM topic_catalogue WHERE id = cl.topic_id) AS slug, count(*)::int AS claims,
              COALESCE(sum(sh.n), 0)::int AS shares, COALESCE(sum(k.n), 0)::int AS clicks,
              COALESCE(sum(v.n), 0)::int AS conversions, COALESCE(sum(v.rn), 0)::int AS refunded,
              COALESCE(sum(v.rev), 0)::int AS revenue, COALESCE(sum(v.ref), 0)::int AS "refundedCents"
       FROM cl LEFT JOIN sh ON sh.claim_id = cl.id LEFT JOIN k ON k.claim_id = cl.id LEFT JOIN v ON v.claim_id = cl.id
       GROUP BY cl.topic_id`,
      [campaignId],
    );
    const best: { id: string }[] = await t.db.query(
      `SELECT cl.id FROM claim_facts cl
       LEFT JOIN (SELECT claim_id, count(*) AS n FROM clicks WHERE kind = 'human' GROUP BY 1) k ON k.claim_id = cl.id
       LEFT JOIN (SELECT claim_id, sum(amount_cents - refunded_cents) AS net FROM conversions
                  WHERE currency = 'usd' GROUP BY 1) v ON v.claim_id = cl.id
       WHERE cl.campaign_id = $1
       ORDER BY COALESCE(v.net, 0) DESC, COALESCE(k.n, 0) DESC, cl.id`,
      [campaignId],
    );
    const [{ fulfilled }] = await t.db.query(
      `SELECT count(*)::int AS fulfilled FROM claim_facts WHERE campaign_id = $1 AND status = 'fulfilled'`,
      [campaignId],
    );
    const report = (await t.http.get(`/v1/campaigns/${campaignId}/report`).set(brand.auth).expect(200)).body;
    const byTopic = (rows: typeof recount) =>
      rows
        .map((r) => ({
          topic: r.slug,
          claims: r.claims,
          shares: r.shares,
          clicks: r.clicks,
          conversions: r.conversions - r.refunded,
          revenueCents: r.revenue - r.refundedCents,
        }))
        .sort(
          (x, y) =>
            y.revenueCents - x.revenueCents || y.claims - x.claims || String(x.topic).localeCompare(String(y.topic)),
        );
    expect(report.byTopic.map(({ name: _name, ...x }: { name: string }) => x)).toEqual(byTopic(recount));
    // By hand: coffee holds a (6,000 − 1,500 refunded) and d (7,000); no topic holds b (refunded in full; its row
    // was re-created by the repair above) and c.
    expect(byTopic(recount)).toEqual([
      { topic: 'coffee', claims: 2, shares: 3, clicks: 5, conversions: 2, revenueCents: 11_500 },
      { topic: null, claims: 2, shares: 1, clicks: 3, conversions: 1, revenueCents: 2_000 },
    ]);
    expect(report.funnel.fulfilled).toBe(fulfilled);
    expect(fulfilled).toBe(2);
    expect(report.quality).toMatchObject({ refundedConversions: 1, refundedCents: 5_500 });
    expect(report.byInfluencer.map((x: { claimId: string }) => x.claimId)).toEqual(best.map((r) => r.id));
    expect(best.map((r) => r.id)).toEqual([d.id, a.id, c.id, b.id]);

    // Broken totals: reconciliation adds back exactly the difference, and the report is what it was.
    await t.db.query(
      `UPDATE campaign_topic_totals SET clicks = clicks + 7, refunded_cents = 0
       WHERE campaign_id = $1 AND topic_id = (SELECT id FROM topic_catalogue WHERE slug = 'coffee')`,
      [campaignId],
    );
    await t.db.query(`DELETE FROM campaign_totals WHERE campaign_id = $1`, [campaignId]);
    const repaired = await rollups.reconcile(campaignId);
    expect(repaired.map(({ table, diff }) => ({ table, diff }))).toEqual([
      { table: 'campaign_topic_totals', diff: { clicks: -7, refunded_cents: 1500 } },
      { table: 'campaign_totals', diff: { fulfilled: 2 } },
    ]);
    expect(await rollups.reconcile()).toEqual([]);
    const after = (await t.http.get(`/v1/campaigns/${campaignId}/report`).set(brand.auth).expect(200)).body;
    expect({ ...after, generatedAt: null }).toEqual({ ...report, generatedAt: null });
  });
});
