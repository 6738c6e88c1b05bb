import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBrand } from '../factories/brands';
import { campaignBody, createCampaign } from '../factories/campaigns';
import { createMember } from '../factories/influencers';
import { FakeStripe } from '../support/fake-stripe';
import { expectProblem } from '../support/problem';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * Issue #12 (2), one test per class of input that used to give a 5xx; the fuzz test (fuzz-openapi) walks every
 * operation with the same values. Each is a 4xx problem+json now (or, for a signed Stripe event, a 200).
 */
describe('input hygiene', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ROLE: 'api', STRIPE_WEBHOOK_SECRET: FakeStripe.WEBHOOK_SECRET });
  });
  afterAll(() => t.close());

  const count = async (table: string): Promise<number> =>
    Number((await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  it('refuses NUL and lone surrogates anywhere (body, key, query, path) with a 400 naming the field', async () => {
    let res = await t.http.post('/v1/brands').send({ name: 'A\u0000B', email: 'a@b.example' });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors[0].field).toBe('name');
    res = await t.http
      .post('/v1/brands')
      .set('content-type', 'application/json')
      .send('{"name":"\\ud800","email":"a@b.example"}');
    expectProblem(res, 400, 'validation_failed');
    expectProblem(await t.http.get('/v1/topics?q=%00'), 400, 'validation_failed');
    expectProblem(await t.http.get('/v1/topics/%00'), 400, 'validation_failed');
    expectProblem(await t.http.get('/r/AB%00CD'), 400, 'validation_failed');
    expect(await count('brands')).toBe(0);
  });

  it('refuses forged cursors on every paginated route with a 400', async () => {
    const brand = await createBrand(t);
    const member = await createMember(t);
    const forged = [
      Buffer.from(JSON.stringify(['abc', 'not-a-uuid'])).toString('base64url'),
      Buffer.from(JSON.stringify([1e308, 'x'])).toString('base64url'),
      Buffer.from(JSON.stringify(['9'.repeat(25), '00000000-0000-0000-0000-000000000000'])).toString('base64url'),
      Buffer.from(JSON.stringify([2147483648, 'coffee'])).toString('base64url'),
    ];
    const routes: [string, Record<string, string>][] = [
      ['/v1/topics', {}],
      ['/v1/campaigns', brand.auth],
      ['/v1/me/offers', member.auth],
      ['/v1/me/claims', member.auth],
    ];
    for (const [path, auth] of routes) {
      for (const c of forged)
        expectProblem(await t.http.get(`${path}?cursor=${c}`).set(auth), 400, 'validation_failed');
    }
  });

  it('refuses deeply nested JSON before parsing it', async () => {
    const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const res = await t.http.post('/v1/brands').set('content-type', 'application/json').send(deep);
    expectProblem(res, 400, 'malformed_json');
  });

  it('refuses impossible dates that a regex would pass', async () => {
    const brand = await createBrand(t);
    for (const startsAt of ['2031-02-30T00:00:00Z', '2031-13-01T00:00:00Z', '2031-01-01T24:00:00Z']) {
      const res = await t.http
        .post('/v1/campaigns')
        .set(brand.auth)
        .send(campaignBody({ startsAt, endsAt: '2031-12-31T00:00:00Z' }));
      expectProblem(res, 400, 'validation_failed');
    }
    const c = await createCampaign(t, brand);
    expectProblem(await t.http.get(`/v1/campaigns/${c.id}/report/daily?from=2025-02-30`).set(brand.auth), 400);
  });

  it('answers a JSON null body like an absent one, and non-JSON bodies with 415', async () => {
    const res = await t.http.post('/v1/brands').set('content-type', 'application/json').send('null');
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['name', 'email']));
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded']) {
      expectProblem(await t.http.post('/v1/brands').set('content-type', ct).send('name=A&email=a@b.example'), 415);
    }
  });

  it("answers the parser's own 414 and 431 as problem+json without echoing the input", async () => {
    const long = `/v1/topics/${'q'.repeat(500)}`;
    const res = await t.http.get(long);
    expectProblem(res, 414, 'uri_too_long');
    expect(JSON.stringify(res.body)).not.toContain('qqqq');

    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    const raw = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/v1/topics', headers: { 'x-big': 'z'.repeat(20_000) } },
        (r) => {
          let body = '';
          r.on('data', (c: Buffer) => (body += c.toString()));
          r.on('end', () => resolve({ status: r.statusCode!, type: String(r.headers['content-type']), body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(raw.status).toBe(431);
    expect(raw.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(raw.body).code).toBe('headers_too_large');
    expect(raw.body).not.toContain('zzzz');
  });

  it('acknowledges and stores a signed Stripe event whose payload PostgreSQL could not store as sent', async () => {
    const event = {
      id: `evt_nul_${Date.now()}`,
      object: 'event',
      type: 'customer.updated',
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: 'cus_1', name: 'A\u0000B', note: 'x\ud800y', ['k\u0000']: 1 } },
    };
    const { payload, header } = FakeStripe.sign(event);
    const res = await t.http
      .post('/v1/webhooks/stripe')
      .set('content-type', 'application/json')
      .set('stripe-signature', header)
      .send(payload);
    expect(res.status).toBe(200);
    const [row] = await t.db.query(`SELECT payload FROM stripe_events WHERE id = $1`, [event.id]);
    expect(row.payload.data.object.name).toBe('A\uFFFDB');
  });
});
