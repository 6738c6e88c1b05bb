import { Client } from 'pg';
import { createBrand, TestBrand } from '../factories/brands';
import { activeCampaign, claimFor, clickIdOf, visit } from '../factories/claims';
import { TestApp, admin, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

/** Issue #12 (4): a `sway_click` id handed out names a click already committed. */
describe('durable clicks', () => {
  let t: TestApp;
  let brand: TestBrand;
  let campaignId: string;
  let code: string;

  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'true' });
    brand = await createBrand(t);
    campaignId = await activeCampaign(t, brand, { attributionWindowDays: 7 });
    code = (await claimFor(t, campaignId)).code;
  });
  afterAll(() => t.close());

  const stored = async (ids: string[]): Promise<string[]> =>
    (await t.db.query(`SELECT id FROM clicks WHERE id = ANY($1::uuid[])`, [ids])).map((r: { id: string }) => r.id);

  it('stores every click before its id is handed out, concurrent clicks sharing commits', async () => {
    const locations = await Promise.all(Array.from({ length: 60 }, (_, i) => visit(t, code, { ip: `10.9.0.${i}` })));
    const ids = locations.map(clickIdOf);
    expect(ids.every(Boolean)).toBe(true);
    // No flush, no wait: what the visitors hold is already in the database.
    expect((await stored(ids)).sort()).toEqual([...ids].sort());
    const metrics = await t.http.get('/metrics').set(admin).expect(200);
    const commits = /^sway_click_flush_rows_count (\d+)/m.exec(metrics.text);
    expect(Number(commits?.[1])).toBeGreaterThan(0);
  });

  it('attributes a conversion posted immediately after its click', async () => {
    const clickId = clickIdOf(await visit(t, code, { ip: '10.9.1.1' }));
    const res = await t.http
      .post('/v1/conversions')
      .set(brand.auth)
      .send({ orderId: `now-${Date.now()}`, amountCents: 1500, currency: 'usd', clickId })
      .expect(201);
    expect(res.body.conversion).toEqual(expect.objectContaining({ attributed: true, campaignId }));
  });

  it('still redirects, without a click id, when the database cannot take the click in time', async () => {
    const unacked = async (): Promise<number> => {
      const text = (await t.http.get('/metrics').set(admin)).text;
      return Number(/^sway_clicks_unacknowledged_total\{reason="timeout"\} (\d+)/m.exec(text)?.[1] ?? 0);
    };
    const before = await unacked();
    const lock = new Client({ connectionString: t.config.databaseUrl });
    await lock.connect();
    try {
      // Holds off every click write (the group commit updates claim_stats) for longer than a redirect waits.
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE tracking.claim_stats IN EXCLUSIVE MODE');
      const started = Date.now();
      const location = await visit(t, code, { ip: '10.9.2.1' });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(new URL(location).searchParams.has('sway_click')).toBe(false);
      expect(location.startsWith('https://')).toBe(true);
      expect(await unacked()).toBe(before + 1);
      await lock.query('COMMIT');
    } finally {
      await lock.end();
    }
    // The click itself is not lost: it is written once the database takes it (it counts; nobody holds its id).
    const count = async (): Promise<number> =>
      (await t.db.query(`SELECT count(*)::int AS n FROM clicks WHERE campaign_id = $1`, [campaignId]))[0].n;
    await waitFor(async () => (await count()) === 62, 10_000, 'the late click written');
  });
});
