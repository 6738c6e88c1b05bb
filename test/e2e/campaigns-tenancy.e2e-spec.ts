import { createBrand, TestBrand } from '../factories/brands';
import { activateOffline, campaignBody, createCampaign } from '../factories/campaigns';
import { FakeStripe } from '../support/fake-stripe';
import { expectProblem } from '../support/problem';
import { TestApp, startTestApp } from '../support/test-app';

jest.setTimeout(30_000);

const QUOTE = 19_800;

/** Invariant 5: brand B reaches none of brand A's campaigns through any endpoint, and changes nothing. */
describe('campaign tenancy', () => {
  let t: TestApp;
  let fake: FakeStripe;
  let a: TestBrand;
  let b: TestBrand;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    t = await startTestApp(fake.env);
    a = await createBrand(t, 'Brand A');
    b = await createBrand(t, 'Brand B');
    ids.draft = (await createCampaign(t, a)).id;
    ids.pending = (await createCampaign(t, a)).id;
    await t.http.post(`/v1/campaigns/${ids.pending}/funding`).set(a.auth).expect(201);
    ids.active = (await createCampaign(t, a)).id;
    await activateOffline(t, ids.active, QUOTE);
    ids.paused = (await createCampaign(t, a)).id;
    await activateOffline(t, ids.paused, QUOTE);
    await t.http.post(`/v1/campaigns/${ids.paused}/pause`).set(a.auth).expect(200);
    await createCampaign(t, b);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  const snapshot = async (): Promise<unknown> => ({
    campaigns: await t.db.query(`SELECT * FROM campaigns WHERE brand_id = $1 ORDER BY id`, [a.id]),
    topics: await t.db.query(
      `SELECT ct.* FROM campaign_topics ct JOIN campaigns c ON c.id = ct.campaign_id WHERE c.brand_id = $1 ORDER BY 1, 2`,
      [a.id],
    ),
    fundings: await t.db.query(
      `SELECT f.* FROM fundings f JOIN campaigns c ON c.id = f.campaign_id WHERE c.brand_id = $1 ORDER BY f.id`,
      [a.id],
    ),
    ledger: await t.db.query(
      `SELECT l.* FROM ledger_entries l JOIN campaigns c ON c.id = l.campaign_id WHERE c.brand_id = $1 ORDER BY l.id`,
      [a.id],
    ),
  });

  const attempts: [string, (id: string) => ReturnType<TestApp['http']['get']>][] = [
    ['GET /v1/campaigns/{id}', (id) => t.http.get(`/v1/campaigns/${id}`)],
    ['PATCH /v1/campaigns/{id}', (id) => t.http.patch(`/v1/campaigns/${id}`).send({ name: 'Hijacked' })],
    ['POST /v1/campaigns/{id}/funding', (id) => t.http.post(`/v1/campaigns/${id}/funding`)],
    ['POST /v1/campaigns/{id}/pause', (id) => t.http.post(`/v1/campaigns/${id}/pause`)],
    ['POST /v1/campaigns/{id}/resume', (id) => t.http.post(`/v1/campaigns/${id}/resume`)],
    ['POST /v1/campaigns/{id}/close', (id) => t.http.post(`/v1/campaigns/${id}/close`)],
    ['POST /v1/campaigns/{id}/cancel', (id) => t.http.post(`/v1/campaigns/${id}/cancel`)],
    ['GET /v1/campaigns/{id}/ledger', (id) => t.http.get(`/v1/campaigns/${id}/ledger`)],
  ];

  it.each(attempts)(
    '%s on another brand’s campaign is a 404 in every state, and changes nothing',
    async (_route, call) => {
      const before = await snapshot();
      const stripeCalls = fake.requests.length;
      for (const [state, id] of Object.entries(ids)) {
        const res = await call(id).set(b.auth);
        expectProblem(res, 404, 'not_found');
        expect([state, res.body.detail]).toEqual([state, 'Campaign not found']);
        // Same answer as for an id that exists nowhere: nothing reveals that the campaign exists.
        const nowhere = await call('00000000-0000-4000-8000-000000000000').set(b.auth);
        expect(nowhere.status).toBe(404);
        expect(nowhere.body.detail).toBe(res.body.detail);
      }
      expect(await snapshot()).toEqual(before);
      expect(fake.requests.length).toBe(stripeCalls);
    },
  );

  it('keeps the Idempotency-Key of one brand away from another', async () => {
    const body = campaignBody();
    const mine = await t.http
      .post('/v1/campaigns')
      .set(a.auth)
      .set('idempotency-key', 'shared-key')
      .send(body)
      .expect(201);
    const theirs = await t.http
      .post('/v1/campaigns')
      .set(b.auth)
      .set('idempotency-key', 'shared-key')
      .send(body)
      .expect(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('lists only the caller’s campaigns', async () => {
    const res = await t.http.get('/v1/campaigns?limit=200').set(b.auth).expect(200);
    const listed = res.body.data.map((c: { id: string }) => c.id);
    for (const id of Object.values(ids)) expect(listed).not.toContain(id);
    for (const status of ['draft', 'pending_funding', 'active', 'paused']) {
      const filtered = await t.http.get(`/v1/campaigns?status=${status}`).set(b.auth).expect(200);
      for (const id of Object.values(ids))
        expect(filtered.body.data.map((c: { id: string }) => c.id)).not.toContain(id);
    }
  });

  it('still serves the owner', async () => {
    for (const [state, id] of Object.entries(ids)) {
      const res = await t.http.get(`/v1/campaigns/${id}`).set(a.auth).expect(200);
      expect(res.body.status).toBe(state === 'pending' ? 'pending_funding' : state);
    }
  });
});
