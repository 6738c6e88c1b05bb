import { Client } from 'pg';
import { ClickRecorder } from '../../src/tracking/click-recorder.service';
import { createBrand, TestBrand } from '../factories/brands';
import { BROWSER_UA, activeCampaign, claimFor, clickIdOf, visit } from '../factories/claims';
import { expectProblem } from '../support/problem';
import { TestApp, deleteRedisPrefix, dropTestDatabase, startTestApp } from '../support/test-app';

const flush = (t: TestApp) => t.app.get(ClickRecorder).flush();

const clickKinds = (t: TestApp, campaignId: string): Promise<{ kind: string; n: number }[]> =>
  t.db.query(`SELECT kind, count(*)::int AS n FROM clicks WHERE campaign_id = $1 GROUP BY kind ORDER BY kind`, [
    campaignId,
  ]);

async function daily(t: TestApp, campaignId: string) {
  const [r] = await t.db.query(
    `SELECT COALESCE(sum(clicks), 0)::int AS clicks, COALESCE(sum(unique_clicks), 0)::int AS "uniqueClicks",
            COALESCE(sum(filtered_clicks), 0)::int AS filtered
     FROM campaign_daily WHERE campaign_id = $1`,
    [campaignId],
  );
  return r;
}

describe('tracking links', () => {
  let t: TestApp;
  let brand: TestBrand;
  beforeAll(async () => {
    // Visitors are told apart by client IP: behind the test's "proxy" each request names its own.
    t = await startTestApp({ TRUST_PROXY: 'true' });
    brand = await createBrand(t);
  });
  afterAll(() => t.close());

  it('redirects with sway_click added to the landing URL, keeping its query and fragment', async () => {
    const campaignId = await activeCampaign(t, brand, {
      landingUrl: 'https://shop.example/p?utm_source=sway&q=a%20b#buy',
    });
    const claim = await claimFor(t, campaignId);
    const res = await t.http.get(`/r/${claim.code}`).set('user-agent', BROWSER_UA).redirects(0).expect(302);
    expect(res.headers.location).toMatch(
      /^https:\/\/shop\.example\/p\?utm_source=sway&q=a%20b&sway_click=[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}#buy$/,
    );
    expect(res.headers['cache-control']).toBe('no-store');
    // People type codes loosely; the link works with the code in any case or without its dash.
    const loose = await visit(t, claim.code.toLowerCase().replace('-', ''));
    expect(loose).toMatch(/sway_click=/);
    await flush(t);
    const rows = await t.db.query(
      `SELECT id, claim_id, kind, length(visitor_hash) AS n FROM clicks WHERE campaign_id = $1`,
      [campaignId],
    );
    expect(rows).toHaveLength(2);
    expect(rows.map((r: { id: string }) => r.id).sort()).toEqual(
      [clickIdOf(res.headers.location), clickIdOf(loose)].sort(),
    );
    expect(
      rows.every(
        (r: { claim_id: string; kind: string; n: number }) =>
          r.claim_id === claim.id && r.kind === 'human' && r.n === 16,
      ),
    ).toBe(true);
  });

  it('answers 404 problem+json for unknown or malformed codes', async () => {
    expectProblem(await t.http.get('/r/ZZZZ-ZZZZ').redirects(0), 404, 'not_found');
    expectProblem(await t.http.get('/r/not-a-code').redirects(0), 404, 'not_found');
    expectProblem(await t.http.get(`/r/${'A'.repeat(40)}`).redirects(0), 404);
  });

  it('redirects bots, link previews and HEAD but never counts them as clicks', async () => {
    const campaignId = await activeCampaign(t, brand);
    const claim = await claimFor(t, campaignId);
    await visit(t, claim.code, { ip: '10.0.0.1' });
    await visit(t, claim.code, {
      ip: '10.0.0.2',
      ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    });
    await visit(t, claim.code, {
      ip: '10.0.0.3',
      ua: 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    });
    await visit(t, claim.code, { ip: '10.0.0.4', ua: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' });
    await visit(t, claim.code, { ip: '10.0.0.5', ua: null });
    await visit(t, claim.code, { ip: '10.0.0.6', method: 'HEAD' });
    await visit(t, claim.code, { ip: '10.0.0.7', headers: { 'sec-purpose': 'prefetch' } });
    await flush(t);
    const kinds = await clickKinds(t, campaignId);
    expect(kinds).toEqual([
      { kind: 'bot', n: 2 },
      { kind: 'head', n: 1 },
      { kind: 'human', n: 1 },
      { kind: 'preview', n: 3 },
    ]);
    expect(await daily(t, campaignId)).toEqual({ clicks: 1, uniqueClicks: 1, filtered: 6 });
  });

  it('never counts a browser prefetch as a click (Firefox X-Moz, Purpose, Sec-Purpose)', async () => {
    const campaignId = await activeCampaign(t, brand);
    const claim = await claimFor(t, campaignId);
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
    await visit(t, claim.code, { ip: '10.0.1.1', ua: firefox, headers: { 'x-moz': 'prefetch' } });
    await visit(t, claim.code, { ip: '10.0.1.2', ua: firefox, headers: { purpose: 'prefetch' } });
    await visit(t, claim.code, { ip: '10.0.1.3', ua: firefox, headers: { 'sec-purpose': 'prefetch' } });
    await visit(t, claim.code, { ip: '10.0.1.4', ua: firefox });
    await flush(t);
    const kinds = await clickKinds(t, campaignId);
    expect(kinds).toEqual([
      { kind: 'human', n: 1 },
      { kind: 'preview', n: 3 },
    ]);
  });

  it('counts unique visitors per day from a keyed hash of IP and User-Agent, storing neither', async () => {
    const campaignId = await activeCampaign(t, brand);
    const a = await claimFor(t, campaignId);
    const b = await claimFor(t, campaignId);
    // Visitor 1 clicks three times on two links; visitor 2 (same IP, other browser) and visitor 3 once each.
    await visit(t, a.code, { ip: '203.0.113.7' });
    await visit(t, a.code, { ip: '203.0.113.7' });
    await visit(t, b.code, { ip: '203.0.113.7' });
    await visit(t, b.code, { ip: '203.0.113.7', ua: `${BROWSER_UA} Edg/124.0` });
    await visit(t, b.code, { ip: '198.51.100.23' });
    await flush(t);
    // A second flush with the same visitors adds clicks but no new unique visitor.
    await visit(t, a.code, { ip: '198.51.100.23' });
    await flush(t);
    expect(await daily(t, campaignId)).toEqual({ clicks: 6, uniqueClicks: 3, filtered: 0 });
    const stats = await t.db.query(
      `SELECT claim_id, clicks::int FROM claim_stats WHERE campaign_id = $1 ORDER BY clicks`,
      [campaignId],
    );
    expect(stats.map((s: { clicks: number }) => s.clicks)).toEqual([3, 3]);
    const [{ dump }] = await t.db.query(`SELECT string_agg(visitor_hash::text || kind, ' ') AS dump FROM clicks`);
    for (const raw of ['203.0.113.7', '198.51.100.23', 'Safari']) expect(dump).not.toContain(raw);
  });

  it('is documented in OpenAPI although it is served outside Nest', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    expect(doc.paths['/r/{code}'].get.responses).toHaveProperty('302');
    expect(doc.paths['/v1/conversions/batch'].post).toBeDefined();
    expect(doc.paths['/v1/campaigns/{id}/report'].get).toBeDefined();
  });

  it('keeps redirecting when the campaign is paused or completed', async () => {
    const campaignId = await activeCampaign(t, brand);
    const claim = await claimFor(t, campaignId);
    await t.http.post(`/v1/campaigns/${campaignId}/pause`).set(brand.auth).expect(200);
    expect(await visit(t, claim.code)).toMatch(/^https:\/\/shop\.example\/espresso\?sway_click=/);
    await t.http.post(`/v1/campaigns/${campaignId}/close`).set(brand.auth).expect(200);
    expect(await visit(t, claim.code)).toMatch(/sway_click=/);
  });

  it('answers many concurrent clicks without waiting for the database and records every one', async () => {
    const campaignId = await activeCampaign(t, brand);
    const claim = await claimFor(t, campaignId);
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        t.http
          .get(`/r/${claim.code}`)
          .set('user-agent', BROWSER_UA)
          .set('x-forwarded-for', `10.1.${i >> 8}.${i & 255}`)
          .redirects(0),
      ),
    );
    expect(results.every((r) => r.status === 302)).toBe(true);
    await flush(t);
    expect(await daily(t, campaignId)).toEqual({ clicks: 120, uniqueClicks: 120, filtered: 0 });
  });
});

describe('click durability on a graceful shutdown', () => {
  it('loses no acknowledged click when the app closes right after answering', async () => {
    const t = await startTestApp();
    const url = t.config.databaseUrl;
    const brand = await createBrand(t);
    const campaignId = await activeCampaign(t, brand);
    const claim = await claimFor(t, campaignId);
    const answered = await Promise.all(Array.from({ length: 50 }, () => visit(t, claim.code)));
    // Closing at once: an acknowledged click is already committed, nothing may be left to write.
    expect(t.app.get(ClickRecorder).pending).toBe(0);
    await t.app.close();
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT id FROM clicks WHERE campaign_id = $1`, [campaignId]);
      expect(rows.map((r) => r.id).sort()).toEqual(answered.map(clickIdOf).sort());
      const { rows: d } = await db.query(`SELECT clicks::int FROM campaign_daily WHERE campaign_id = $1`, [campaignId]);
      expect(d[0].clicks).toBe(50);
    } finally {
      await db.end();
      await deleteRedisPrefix(t.config.queuePrefix);
      await dropTestDatabase(new URL(url).pathname.slice(1));
    }
  });
});
