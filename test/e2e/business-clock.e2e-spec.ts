import { setBusinessClock } from '../../src/common/clock/business-clock';
import { RollupsService } from '../../src/tracking/rollups.service';
import { createBrand } from '../factories/brands';
import { activeCampaign, claimFor, clickIdOf, visit } from '../factories/claims';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

const DAY = 86_400_000;

/**
 * The demo replays a month by moving the business clock (in-process only; no request can). Claims, shares and
 * clicks then carry the simulated time through their normal code paths, the daily report counts them on their
 * simulated days, and reconciliation (which recounts from the raw rows) finds nothing to repair.
 */
describe('business clock (the demo’s backdating)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    setBusinessClock(null);
    await t.close();
  });

  it('claims, shares and clicks land on the simulated days; rollups agree with the raw rows', async () => {
    const brand = await createBrand(t);
    const campaignId = await activeCampaign(t, brand, { inventory: 5 });
    const today = Math.floor(Date.now() / DAY) * DAY;
    const days = [12, 7, 3].map((ago) => today - ago * DAY + 10 * 3_600_000);
    for (const at of days) {
      setBusinessClock(() => at);
      const claim = await claimFor(t, campaignId);
      await t.http
        .post(`/v1/me/claims/${claim.id}/shares`)
        .set(claim.member.auth)
        .send({ url: `https://twitter.com/x/status/${at}`, network: 'twitter', text: '#ad my perk' })
        .expect(201);
      clickIdOf(await visit(t, claim.code, { ip: '198.51.100.7' }));
    }
    setBusinessClock(null);
    // A claim made now counts today, as ever.
    await claimFor(t, campaignId);

    const dates = days.map((d) => new Date(d).toISOString().slice(0, 10));
    const todayIso = new Date(today).toISOString().slice(0, 10);
    const daily = await waitFor(async () => {
      const r = await t.http.get(`/v1/campaigns/${campaignId}/report/daily`).set(brand.auth).expect(200);
      const points = r.body.data as { date: string; claims: number; shares: number; clicks: number }[];
      return points.filter((p) => p.clicks > 0).length === 3 ? points : null;
    }, 15_000);
    const active = daily.filter((p) => p.claims + p.shares + p.clicks > 0);
    expect(active.map((p) => [p.date, p.claims, p.shares, p.clicks])).toEqual([
      ...dates.map((d) => [d, 1, 1, 1]),
      [todayIso, 1, 0, 0],
    ]);
    const rows = await t.db.query(
      `SELECT (created_at AT TIME ZONE 'UTC')::date::text AS day FROM claims WHERE campaign_id = $1 ORDER BY 1`,
      [campaignId],
    );
    expect(rows.map((r: { day: string }) => r.day)).toEqual([...dates, todayIso]);
    expect(await t.app.get(RollupsService).reconcile(campaignId)).toEqual([]);
  });
});
