import { createBrand, TestBrand } from '../factories/brands';
import { activateOffline, campaignBody, CampaignBody, createCampaign, eventually } from '../factories/campaigns';
import { expectProblem } from '../support/problem';
import { jobsFor, runJob } from '../support/queues';
import { TestApp, admin, startTestApp } from '../support/test-app';

jest.setTimeout(30_000);

/** 10 × $18.00 + 10 % = $198.00 */
const QUOTE = 19_800;
const future = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();

describe('campaigns', () => {
  let t: TestApp;
  let brand: TestBrand;
  beforeAll(async () => {
    t = await startTestApp();
    brand = await createBrand(t);
  });
  afterAll(() => t.close());

  const count = async (): Promise<number> =>
    (await t.db.query(`SELECT count(*)::int AS n FROM campaigns`))[0].n as number;

  describe('create', () => {
    it('creates a draft with defaults, normalised codes and canonical topic slugs', async () => {
      const body = campaignBody({
        perk: { title: ' Espresso ', description: 'beans', kind: 'product', unitCostCents: 1800, currency: 'USD' },
        targeting: {
          topics: [
            { slug: 'Coffee', minScore: 40 },
            { slug: 'espresso', minScore: 55 },
          ],
          match: 'all',
          minOverallScore: 30,
          countries: ['us', 'CA'],
        },
        startsAt: future(1),
        endsAt: future(30),
      });
      const res = await t.http.post('/v1/campaigns').set(brand.auth).send(body).expect(201);
      expect(res.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: body.name,
        status: 'draft',
        perk: { title: 'Espresso', description: 'beans', kind: 'product', unitCostCents: 1800, currency: 'usd' },
        inventory: 10,
        claimed: 0,
        remaining: 10,
        fundedCents: 0,
        targeting: {
          topics: [
            { slug: 'coffee', minScore: 40 },
            { slug: 'espresso', minScore: 55 },
          ],
          match: 'all',
          minOverallScore: 30,
          countries: ['US', 'CA'],
        },
        landingUrl: 'https://shop.example/espresso',
        startsAt: body.startsAt,
        endsAt: body.endsAt,
        offerTtlHours: 72,
        attributionWindowDays: 30,
      });
      expect(new Date(res.body.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
      // Targeting is stored by topic id for the matcher's joins.
      const rows = await t.db.query(
        `SELECT t.slug, ct.min_score FROM campaign_topics ct JOIN topics t ON t.id = ct.topic_id
         WHERE ct.campaign_id = $1 ORDER BY t.slug`,
        [res.body.id],
      );
      expect(rows).toEqual([
        { slug: 'coffee', min_score: 40 },
        { slug: 'espresso', min_score: 55 },
      ]);
      await t.http.get(`/v1/campaigns/${res.body.id}`).set(brand.auth).expect(200, res.body);
    });

    type Case = [string, (b: CampaignBody & Record<string, unknown>) => void, string];
    const cases: Case[] = [
      ['no name', (b) => delete (b as Partial<CampaignBody>).name, 'name'],
      ['empty name', (b) => (b.name = '  '), 'name'],
      ['overlong name', (b) => (b.name = 'x'.repeat(201)), 'name'],
      ['no perk', (b) => delete (b as Partial<CampaignBody>).perk, 'perk'],
      ['perk not an object', (b) => ((b as Record<string, unknown>).perk = 'coffee'), 'perk'],
      ['empty perk title', (b) => (b.perk.title = ''), 'perk.title'],
      ['no perk description', (b) => delete (b.perk as Partial<CampaignBody['perk']>).description, 'perk.description'],
      ['unknown perk kind', (b) => (b.perk.kind = 'gift'), 'perk.kind'],
      ['negative unit cost', (b) => (b.perk.unitCostCents = -1), 'perk.unitCostCents'],
      ['fractional unit cost', (b) => (b.perk.unitCostCents = 1.5), 'perk.unitCostCents'],
      [
        'unit cost as a string',
        (b) => ((b.perk as Record<string, unknown>).unitCostCents = '100'),
        'perk.unitCostCents',
      ],
      ['unit cost over $1M', (b) => (b.perk.unitCostCents = 100_000_001), 'perk.unitCostCents'],
      ['unknown currency', (b) => (b.perk.currency = 'xyz'), 'perk.currency'],
      ['currency not ISO 4217', (b) => (b.perk.currency = 'dollars'), 'perk.currency'],
      ['zero inventory', (b) => (b.inventory = 0), 'inventory'],
      ['inventory over 1,000,000', (b) => (b.inventory = 1_000_001), 'inventory'],
      ['fractional inventory', (b) => (b.inventory = 2.5), 'inventory'],
      ['no targeting', (b) => delete (b as Partial<CampaignBody>).targeting, 'targeting'],
      ['no topics', (b) => (b.targeting.topics = []), 'targeting.topics'],
      [
        'too many topics',
        (b) => (b.targeting.topics = Array.from({ length: 21 }, (_, i) => ({ slug: `t${i}`, minScore: 10 }))),
        'targeting.topics',
      ],
      [
        'the same topic twice',
        (b) =>
          (b.targeting.topics = [
            { slug: 'coffee', minScore: 10 },
            { slug: 'COFFEE', minScore: 20 },
          ]),
        'targeting.topics',
      ],
      ['threshold 0', (b) => (b.targeting.topics[0].minScore = 0), 'targeting.topics[0].minScore'],
      ['threshold 101', (b) => (b.targeting.topics[0].minScore = 101), 'targeting.topics[0].minScore'],
      [
        'no threshold',
        (b) => delete (b.targeting.topics[0] as Partial<{ minScore: number }>).minScore,
        'targeting.topics[0].minScore',
      ],
      ['match neither any nor all', (b) => (b.targeting.match = 'some'), 'targeting.match'],
      ['no match', (b) => delete (b.targeting as Partial<CampaignBody['targeting']>).match, 'targeting.match'],
      ['overall threshold 0', (b) => (b.targeting.minOverallScore = 0), 'targeting.minOverallScore'],
      ['overall threshold 101', (b) => (b.targeting.minOverallScore = 101), 'targeting.minOverallScore'],
      ['unknown country', (b) => (b.targeting.countries = ['US', 'ZZ']), 'targeting.countries'],
      ['UK is not ISO 3166', (b) => (b.targeting.countries = ['UK']), 'targeting.countries'],
      ['empty countries', (b) => (b.targeting.countries = []), 'targeting.countries'],
      ['repeated country', (b) => (b.targeting.countries = ['US', 'us']), 'targeting.countries'],
      [
        'countries not a list',
        (b) => ((b.targeting as Record<string, unknown>).countries = 'US'),
        'targeting.countries',
      ],
      ['http landing URL', (b) => (b.landingUrl = 'http://shop.example/x'), 'landingUrl'],
      ['javascript landing URL', (b) => (b.landingUrl = 'javascript:alert(1)'), 'landingUrl'],
      ['not a URL', (b) => (b.landingUrl = 'shop dot example'), 'landingUrl'],
      ['no landing URL', (b) => delete (b as Partial<CampaignBody>).landingUrl, 'landingUrl'],
      ['startsAt not a date', (b) => (b.startsAt = 'tomorrow'), 'startsAt'],
      ['endsAt without a zone', (b) => (b.endsAt = '2031-01-01T00:00:00'), 'endsAt'],
      ['offer TTL 0', (b) => (b.offerTtlHours = 0), 'offerTtlHours'],
      ['offer TTL over 30 days', (b) => (b.offerTtlHours = 721), 'offerTtlHours'],
      ['attribution window 0', (b) => (b.attributionWindowDays = 0), 'attributionWindowDays'],
      ['attribution window over a year', (b) => (b.attributionWindowDays = 366), 'attributionWindowDays'],
      ['null offer TTL', (b) => ((b as Record<string, unknown>).offerTtlHours = null), 'offerTtlHours'],
      ['unknown field', (b) => (b.budget = 100), 'budget'],
      ['unknown perk field', (b) => ((b.perk as Record<string, unknown>).color = 'red'), 'perk.color'],
      [
        'unknown topic field',
        (b) => ((b.targeting.topics[0] as Record<string, unknown>).weight = 2),
        'targeting.topics[0].weight',
      ],
    ];

    it.each(cases)('refuses %s with a 400 naming the field, and stores nothing', async (_name, mutate, field) => {
      const before = await count();
      const body = campaignBody() as CampaignBody & Record<string, unknown>;
      mutate(body);
      const res = await t.http.post('/v1/campaigns').set(brand.auth).send(body);
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await count()).toBe(before);
    });

    it('names unknown fields as such', async () => {
      const res = await t.http
        .post('/v1/campaigns')
        .set(brand.auth)
        .send({ ...campaignBody(), budget: 5 });
      expect(res.body.errors).toContainEqual({ field: 'budget', message: 'unknown field' });
    });

    it('refuses unknown topics with a 422 naming each', async () => {
      const before = await count();
      const res = await t.http
        .post('/v1/campaigns')
        .set(brand.auth)
        .send(
          campaignBody({
            targeting: {
              topics: [
                { slug: 'coffee', minScore: 10 },
                { slug: 'no-such-topic', minScore: 10 },
                { slug: 'nor-this', minScore: 10 },
              ],
              match: 'any',
            },
          }),
        );
      expectProblem(res, 422, 'unprocessable');
      expect(res.body.detail).toContain('no-such-topic');
      expect(res.body.errors).toEqual([
        { field: 'targeting.topics[1].slug', message: 'unknown topic "no-such-topic"' },
        { field: 'targeting.topics[2].slug', message: 'unknown topic "nor-this"' },
      ]);
      expect(await count()).toBe(before);
    });

    it('refuses dates out of order or an end in the past with a 422', async () => {
      const before = await count();
      const reversed = await t.http
        .post('/v1/campaigns')
        .set(brand.auth)
        .send(campaignBody({ startsAt: future(10), endsAt: future(5) }));
      expectProblem(reversed, 422, 'unprocessable');
      expect(reversed.body.errors[0].field).toBe('endsAt');
      expect(reversed.body.errors[0].message).toMatch(/after startsAt/);
      const equal = future(10);
      expectProblem(
        await t.http
          .post('/v1/campaigns')
          .set(brand.auth)
          .send(campaignBody({ startsAt: equal, endsAt: equal })),
        422,
      );
      const past = await t.http
        .post('/v1/campaigns')
        .set(brand.auth)
        .send(campaignBody({ endsAt: future(-1) }));
      expectProblem(past, 422, 'unprocessable');
      expect(past.body.errors).toEqual([{ field: 'endsAt', message: 'must be in the future' }]);
      expect(await count()).toBe(before);
    });

    it('replays a creation with the same Idempotency-Key and refuses the key with another body', async () => {
      const before = await count();
      const body = campaignBody();
      const first = await t.http.post('/v1/campaigns').set(brand.auth).set('idempotency-key', 'camp-1').send(body);
      expect(first.status).toBe(201);
      const again = await t.http.post('/v1/campaigns').set(brand.auth).set('idempotency-key', 'camp-1').send(body);
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expectProblem(
        await t.http
          .post('/v1/campaigns')
          .set(brand.auth)
          .set('idempotency-key', 'camp-1')
          .send({ ...body, inventory: 11 }),
        409,
        'idempotency_key_reused',
      );
      expect(await count()).toBe(before + 1);
    });

    it('wants a brand API key', async () => {
      const before = await count();
      expectProblem(await t.http.post('/v1/campaigns').send(campaignBody()), 401, 'unauthenticated');
      expectProblem(await t.http.post('/v1/campaigns').set(admin).send(campaignBody()), 403, 'forbidden');
      expectProblem(await t.http.get('/v1/campaigns'), 401);
      expectProblem(await t.http.get('/v1/campaigns').set(admin), 403);
      expect(await count()).toBe(before);
    });
  });

  describe('read', () => {
    it('lists only the brand’s campaigns, newest first, across pages without gaps', async () => {
      const other = await createBrand(t);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await createCampaign(t, other)).id);
      await createCampaign(t, brand);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { data: { id: string }[]; nextCursor: string | null } } = await t.http
          .get('/v1/campaigns')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(other.auth)
          .expect(200);
        expect(res.body.data.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.data.map((c) => c.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...ids].reverse());
    });

    it('filters by status', async () => {
      const other = await createBrand(t);
      const a = await createCampaign(t, other);
      await createCampaign(t, other);
      await t.http.post(`/v1/campaigns/${a.id}/cancel`).set(other.auth).expect(200);
      const res = await t.http.get('/v1/campaigns?status=cancelled').set(other.auth).expect(200);
      expect(res.body.data.map((c: { id: string }) => c.id)).toEqual([a.id]);
      expectProblem(await t.http.get('/v1/campaigns?status=running').set(other.auth), 400);
    });

    it('refuses bad list parameters and forged cursors', async () => {
      expectProblem(await t.http.get('/v1/campaigns?limit=0').set(brand.auth), 400);
      expectProblem(await t.http.get('/v1/campaigns?limit=201').set(brand.auth), 400);
      expectProblem(await t.http.get('/v1/campaigns?cursor=garbage').set(brand.auth), 400);
      const forged = Buffer.from(JSON.stringify(['123', 'not-a-uuid'])).toString('base64url');
      expectProblem(await t.http.get(`/v1/campaigns?cursor=${forged}`).set(brand.auth), 400, 'validation_failed');
      const forged2 = Buffer.from(JSON.stringify(['1e99', '00000000-0000-0000-0000-000000000000'])).toString(
        'base64url',
      );
      expectProblem(await t.http.get(`/v1/campaigns?cursor=${forged2}`).set(brand.auth), 400);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      expectProblem(
        await t.http.get('/v1/campaigns/00000000-0000-4000-8000-000000000000').set(brand.auth),
        404,
        'not_found',
      );
      expectProblem(await t.http.get('/v1/campaigns/nope').set(brand.auth), 400, 'validation_failed');
    });
  });

  describe('edit', () => {
    it('merges a PATCH in draft: fields left out keep their value, topics replace, null clears', async () => {
      const c = await createCampaign(t, brand, {
        targeting: { topics: [{ slug: 'coffee', minScore: 40 }], match: 'any', countries: ['US'], minOverallScore: 20 },
        endsAt: future(20),
      });
      const res = await t.http
        .patch(`/v1/campaigns/${c.id}`)
        .set(brand.auth)
        .send({
          name: 'Renamed',
          perk: { unitCostCents: 2500 },
          inventory: 4,
          targeting: { topics: [{ slug: 'tea', minScore: 70 }], countries: null },
          endsAt: null,
        })
        .expect(200);
      expect(res.body).toMatchObject({
        name: 'Renamed',
        perk: { title: 'A bag of espresso', kind: 'product', unitCostCents: 2500, currency: 'usd' },
        inventory: 4,
        remaining: 4,
        targeting: { topics: [{ slug: 'tea', minScore: 70 }], match: 'any', countries: null, minOverallScore: 20 },
        endsAt: null,
        status: 'draft',
      });
      expect(new Date(res.body.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(res.body.createdAt).getTime());
      await t.http.patch(`/v1/campaigns/${c.id}`).set(brand.auth).send({}).expect(200);
    });

    it('validates a PATCH like a creation and changes nothing on failure', async () => {
      const c = await createCampaign(t, brand, { startsAt: future(2) });
      const before = (await t.http.get(`/v1/campaigns/${c.id}`).set(brand.auth)).body;
      expectProblem(await t.http.patch(`/v1/campaigns/${c.id}`).set(brand.auth).send({ name: null }), 400);
      expectProblem(await t.http.patch(`/v1/campaigns/${c.id}`).set(brand.auth).send({ inventory: 0 }), 400);
      expectProblem(
        await t.http
          .patch(`/v1/campaigns/${c.id}`)
          .set(brand.auth)
          .send({ perk: { currency: 'zzz' } }),
        400,
      );
      expectProblem(await t.http.patch(`/v1/campaigns/${c.id}`).set(brand.auth).send({ status: 'active' }), 400);
      expectProblem(
        await t.http
          .patch(`/v1/campaigns/${c.id}`)
          .set(brand.auth)
          .send({ targeting: { topics: [{ slug: 'nope-nope', minScore: 5 }] } }),
        422,
      );
      const reversed = await t.http
        .patch(`/v1/campaigns/${c.id}`)
        .set(brand.auth)
        .send({ endsAt: future(1) });
      expectProblem(reversed, 422);
      expect(reversed.body.errors[0].field).toBe('endsAt');
      await t.http.get(`/v1/campaigns/${c.id}`).set(brand.auth).expect(200, before);
    });

    it('refuses a PATCH outside draft with a 409 naming the state', async () => {
      const c = await createCampaign(t, brand);
      await activateOffline(t, c.id, QUOTE);
      const res = await t.http.patch(`/v1/campaigns/${c.id}`).set(brand.auth).send({ name: 'Too late' });
      expectProblem(res, 409, 'conflict');
      expect(res.body.detail).toMatch(/is active/);
      expect(res.body.errors).toEqual([{ field: 'status', message: 'is active; edit needs draft' }]);
      expect((await t.http.get(`/v1/campaigns/${c.id}`).set(brand.auth)).body.name).not.toBe('Too late');
    });
  });

  describe('status machine', () => {
    it('runs active ⇄ paused → completed and queues matching on each activation', async () => {
      const c = await createCampaign(t, brand);
      await activateOffline(t, c.id, QUOTE);
      const active = await t.http.get(`/v1/campaigns/${c.id}`).set(brand.auth).expect(200);
      expect(active.body).toMatchObject({ status: 'active', fundedCents: QUOTE });
      await eventually(async () => ((await jobsFor(t, 'matching', 'match-campaign', c.id)) === 1 ? true : undefined));

      const paused = await t.http.post(`/v1/campaigns/${c.id}/pause`).set(brand.auth).expect(200);
      expect(paused.body.status).toBe('paused');
      const again = await t.http.post(`/v1/campaigns/${c.id}/pause`).set(brand.auth);
      expectProblem(again, 409, 'conflict');
      expect(again.body.detail).toBe('Cannot pause a campaign that is paused; pause needs active');

      expect((await t.http.post(`/v1/campaigns/${c.id}/resume`).set(brand.auth).expect(200)).body.status).toBe(
        'active',
      );
      await eventually(async () => ((await jobsFor(t, 'matching', 'match-campaign', c.id)) === 2 ? true : undefined));
      expectProblem(await t.http.post(`/v1/campaigns/${c.id}/resume`).set(brand.auth), 409);
      expectProblem(await t.http.post(`/v1/campaigns/${c.id}/cancel`).set(brand.auth), 409);

      const closed = await t.http.post(`/v1/campaigns/${c.id}/close`).set(brand.auth).expect(200);
      expect(closed.body.status).toBe('completed');
      for (const action of ['pause', 'resume', 'close', 'cancel']) {
        const res = await t.http.post(`/v1/campaigns/${c.id}/${action}`).set(brand.auth);
        expectProblem(res, 409, 'conflict');
        expect(res.body.detail).toContain('is completed');
      }
      expectProblem(await t.http.post(`/v1/campaigns/${c.id}/funding`).set(brand.auth), 409);
    });

    it('cancels from draft, and nothing moves a cancelled campaign', async () => {
      const c = await createCampaign(t, brand);
      for (const action of ['pause', 'resume', 'close']) {
        const res = await t.http.post(`/v1/campaigns/${c.id}/${action}`).set(brand.auth);
        expectProblem(res, 409, 'conflict');
        expect(res.body.detail).toContain('is draft');
      }
      expect((await t.http.post(`/v1/campaigns/${c.id}/cancel`).set(brand.auth).expect(200)).body.status).toBe(
        'cancelled',
      );
      expectProblem(await t.http.post(`/v1/campaigns/${c.id}/cancel`).set(brand.auth), 409);
      expectProblem(await t.http.patch(`/v1/campaigns/${c.id}`).set(brand.auth).send({ name: 'x' }), 409);
      const offline = await t.http
        .post(`/v1/admin/campaigns/${c.id}/funding`)
        .set(admin)
        .send({ amountCents: QUOTE, reference: 'x' });
      expectProblem(offline, 409);
      expect(offline.body.detail).toContain('is cancelled');
    });

    it('lets only one of two concurrent transitions win', async () => {
      const c = await createCampaign(t, brand);
      await activateOffline(t, c.id, QUOTE);
      const results = await Promise.all([
        t.http.post(`/v1/campaigns/${c.id}/pause`).set(brand.auth),
        t.http.post(`/v1/campaigns/${c.id}/pause`).set(brand.auth),
        t.http.post(`/v1/campaigns/${c.id}/close`).set(brand.auth),
      ]);
      const ok = results.filter((r) => r.status === 200);
      const conflicts = results.filter((r) => r.status === 409);
      expect(ok.length + conflicts.length).toBe(3);
      expect(ok.length).toBeGreaterThanOrEqual(1);
      expect(ok.filter((r) => r.body.status === 'paused').length).toBeLessThanOrEqual(1);
    });

    it('will not resume a paused campaign whose end has passed', async () => {
      const c = await createCampaign(t, brand, { endsAt: future(3) });
      await activateOffline(t, c.id, QUOTE);
      await t.http.post(`/v1/campaigns/${c.id}/pause`).set(brand.auth).expect(200);
      await t.db.query(`UPDATE campaigns SET ends_at = now() - interval '1 minute' WHERE id = $1`, [c.id]);
      const res = await t.http.post(`/v1/campaigns/${c.id}/resume`).set(brand.auth);
      expectProblem(res, 409, 'conflict');
      expect(res.body.detail).toMatch(/ended at/);
    });

    it('completes running campaigns past their end on schedule, and refunds their budget', async () => {
      const due = await createCampaign(t, brand, { endsAt: future(3) });
      const pausedDue = await createCampaign(t, brand, { endsAt: future(3) });
      const notDue = await createCampaign(t, brand, { endsAt: future(3) });
      const draftDue = await createCampaign(t, brand, { endsAt: future(3) });
      for (const c of [due, pausedDue, notDue]) await activateOffline(t, c.id, QUOTE);
      await t.http.post(`/v1/campaigns/${pausedDue.id}/pause`).set(brand.auth).expect(200);
      await t.db.query(`UPDATE campaigns SET ends_at = now() - interval '1 second' WHERE id = ANY($1)`, [
        [due.id, pausedDue.id, draftDue.id],
      ]);

      await runJob(t, 'campaigns', 'complete-ended-campaigns');
      for (const c of [due, pausedDue]) {
        await eventually(async () => {
          const res = await t.http.get(`/v1/campaigns/${c.id}`).set(brand.auth);
          return res.body.status === 'completed' ? true : undefined;
        });
        // Offline-funded: the unused budget is booked as owed back outside Stripe.
        const ledger = await eventually(async () => {
          const res = await t.http.get(`/v1/campaigns/${c.id}/ledger`).set(brand.auth);
          return res.body.refundedCents > 0 ? res.body : undefined;
        });
        expect(ledger).toMatchObject({ fundedCents: QUOTE, refundedCents: QUOTE, remainingCents: 0 });
      }
      expect((await t.http.get(`/v1/campaigns/${notDue.id}`).set(brand.auth)).body.status).toBe('active');
      expect((await t.http.get(`/v1/campaigns/${draftDue.id}`).set(brand.auth)).body.status).toBe('draft');
    });

    it('answers 404 for transitions on unknown campaigns and 403 for the admin token', async () => {
      const c = await createCampaign(t, brand);
      for (const action of ['pause', 'resume', 'close', 'cancel']) {
        expectProblem(
          await t.http.post(`/v1/campaigns/00000000-0000-4000-8000-000000000000/${action}`).set(brand.auth),
          404,
        );
        expectProblem(await t.http.post(`/v1/campaigns/${c.id}/${action}`).set(admin), 403, 'forbidden');
        expectProblem(await t.http.post(`/v1/campaigns/${c.id}/${action}`), 401);
      }
      expectProblem(await t.http.patch(`/v1/campaigns/${c.id}`).set(admin).send({ name: 'x' }), 403);
      expectProblem(await t.http.get(`/v1/campaigns/${c.id}`).set(admin), 403);
      expect((await t.http.get(`/v1/campaigns/${c.id}`).set(brand.auth)).body.status).toBe('draft');
    });
  });

  it('documents every campaign route in OpenAPI', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    for (const [path, method] of [
      ['/v1/campaigns', 'post'],
      ['/v1/campaigns', 'get'],
      ['/v1/campaigns/{id}', 'get'],
      ['/v1/campaigns/{id}', 'patch'],
      ['/v1/campaigns/{id}/pause', 'post'],
      ['/v1/campaigns/{id}/resume', 'post'],
      ['/v1/campaigns/{id}/close', 'post'],
      ['/v1/campaigns/{id}/cancel', 'post'],
      ['/v1/campaigns/{id}/funding', 'post'],
      ['/v1/campaigns/{id}/ledger', 'get'],
      ['/v1/admin/campaigns/{id}/funding', 'post'],
      ['/v1/webhooks/stripe', 'post'],
    ]) {
      expect(doc.paths[path]?.[method]).toBeDefined();
    }
    expect(doc.paths['/v1/campaigns'].post.responses['422']).toBeDefined();
    expect(doc.components.schemas.CampaignResponseDto).toBeDefined();
  });
});
