import { createBrand } from '../factories/brands';
import { createMember } from '../factories/influencers';
import { expectProblem } from '../support/problem';
import { TestApp, admin, bearer, startTestApp } from '../support/test-app';

describe('brands', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('signs a brand up and returns its first key once, stored only as a hash', async () => {
    const res = await t.http
      .post('/v1/brands')
      .send({ name: ' Blue Bottle ', email: 'mkt@bluebottle.example' })
      .expect(201);
    expect(res.body.brand).toEqual({
      id: expect.any(String),
      name: 'Blue Bottle',
      email: 'mkt@bluebottle.example',
      stripeAccountId: null,
      createdAt: expect.any(String),
    });
    expect(res.body.apiKey).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    const me = await t.http.get('/v1/brands/me').set(bearer(res.body.apiKey)).expect(200);
    expect(me.body).toEqual(res.body.brand);
    const rows: { key_hash: Buffer; prefix: string }[] = await t.db.query(`SELECT key_hash, prefix FROM api_keys`);
    const stored = JSON.stringify(
      rows.map((r) => [r.key_hash.toString('hex'), r.key_hash.toString('base64'), r.prefix]),
    );
    expect(stored).not.toContain(res.body.apiKey.slice(3));
  });

  it('refuses a second brand with an email already used by a brand (any case) with a 409', async () => {
    await t.http.post('/v1/brands').send({ name: 'First', email: 'hello@dup-brand.example' }).expect(201);
    const res = await t.http.post('/v1/brands').send({ name: 'Second', email: 'Hello@Dup-Brand.example' });
    expectProblem(res, 409, 'conflict');
    expect(res.body.errors).toEqual([{ field: 'email', message: 'already registered' }]);
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM brands WHERE lower(email) = 'hello@dup-brand.example'`,
    );
    expect(n).toBe(1);
  });

  it('answers 503 for Stripe account linking when Stripe Connect is not configured', async () => {
    const b = await createBrand(t);
    expectProblem(await t.http.get('/v1/brands/me/stripe-account/authorize').set(b.auth), 503, 'unavailable');
    expectProblem(
      await t.http.post('/v1/brands/me/stripe-account').set(b.auth).send({ code: 'ac_x', state: 'a.b' }),
      503,
      'unavailable',
    );
  });

  it('creates, lists and revokes keys; a revoked key is refused on the very next request', async () => {
    const b = await createBrand(t);
    const created = await t.http.post('/v1/brands/me/api-keys').set(b.auth).expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      apiKey: expect.stringMatching(/^sk_/),
      prefix: expect.any(String),
      role: 'admin', // the default, as every key made before roles existed
      createdAt: expect.any(String),
    });
    const second = bearer(created.body.apiKey);
    await t.http.get('/v1/brands/me').set(second).expect(200);
    const list = await t.http.get('/v1/brands/me/api-keys').set(second).expect(200);
    expect(list.body.data).toHaveLength(2);
    expect(JSON.stringify(list.body)).not.toContain(created.body.apiKey);
    const firstKeyId = list.body.data.find((k: { id: string }) => k.id !== created.body.id).id;
    await t.http.delete(`/v1/brands/me/api-keys/${firstKeyId}`).set(second).expect(204);
    expectProblem(await t.http.get('/v1/brands/me').set(b.auth), 401, 'unauthenticated');
    await t.http.delete(`/v1/brands/me/api-keys/${firstKeyId}`).set(second).expect(204); // twice is harmless
    expectProblem(await t.http.delete(`/v1/brands/me/api-keys/${created.body.id}`).set(second), 409, 'conflict');
    await t.http.get('/v1/brands/me').set(second).expect(200);
  });

  it('never lets one brand see or revoke another brand’s key', async () => {
    const a = await createBrand(t);
    const b = await createBrand(t);
    const aKeys = await t.http.get('/v1/brands/me/api-keys').set(a.auth).expect(200);
    const aKeyId = aKeys.body.data[0].id;
    await t.http.post('/v1/brands/me/api-keys').set(b.auth).expect(201);
    expectProblem(await t.http.delete(`/v1/brands/me/api-keys/${aKeyId}`).set(b.auth), 404, 'not_found');
    await t.http.get('/v1/brands/me').set(a.auth).expect(200);
    const bKeys = await t.http.get('/v1/brands/me/api-keys').set(b.auth).expect(200);
    expect(bKeys.body.data.map((k: { id: string }) => k.id)).not.toContain(aKeyId);
  });

  it('refuses bad input and the wrong kind of token', async () => {
    const before = await count(t);
    for (const body of [
      { name: 'X' },
      { email: 'a@b.co' },
      { name: 'X', email: 'nope' },
      { name: 'x'.repeat(201), email: 'a@b.co' },
      { name: 'X', email: 'a@b.co', plan: 'pro' },
      { name: 7, email: 'a@b.co' },
    ]) {
      expectProblem(await t.http.post('/v1/brands').send(body), 400, 'validation_failed');
    }
    expect(await count(t)).toBe(before);
    const b = await createBrand(t);
    expectProblem(await t.http.delete('/v1/brands/me/api-keys/not-a-uuid').set(b.auth), 400);
    expectProblem(await t.http.delete('/v1/brands/me/api-keys/3f1c2a8e-8a43-4c55-9a0e-1c1f3b9c0d11').set(b.auth), 404);
    expectProblem(await t.http.post('/v1/brands/me/api-keys').set(admin), 403, 'forbidden');
    const m = await createMember(t);
    expectProblem(await t.http.post('/v1/brands/me/api-keys').set(m.auth), 403, 'forbidden');
    expectProblem(await t.http.post('/v1/brands/me/api-keys'), 401);
  });

  it('replays key creation with null in place of the secret', async () => {
    const b = await createBrand(t);
    const first = await t.http.post('/v1/brands/me/api-keys').set(b.auth).set('idempotency-key', 'key-1').expect(201);
    const again = await t.http.post('/v1/brands/me/api-keys').set(b.auth).set('idempotency-key', 'key-1').expect(201);
    expect(again.body).toEqual({ ...first.body, apiKey: null, idempotentReplay: true });
    const list = await t.http.get('/v1/brands/me/api-keys').set(b.auth).expect(200);
    expect(list.body.data).toHaveLength(2);
    // Keys are per caller: another brand may use the same Idempotency-Key for its own request.
    const other = await createBrand(t);
    const theirs = await t.http
      .post('/v1/brands/me/api-keys')
      .set(other.auth)
      .set('idempotency-key', 'key-1')
      .expect(201);
    expect(theirs.body.apiKey).toMatch(/^sk_/);
  });

  it('executes two concurrent requests with one Idempotency-Key once', async () => {
    const body = { name: 'Racer', email: 'race@racer.example' };
    const results = await Promise.all(
      Array.from({ length: 8 }, () => t.http.post('/v1/brands').set('idempotency-key', 'race-1').send(body)),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses).toContain(201);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM brands WHERE email = 'race@racer.example'`);
    expect(n).toBe(1);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('idempotency_in_progress');
    expectProblem(
      await t.http
        .post('/v1/brands')
        .set('idempotency-key', 'race-1')
        .send({ ...body, name: 'Other' }),
      409,
      'idempotency_key_reused',
    );
    expectProblem(await t.http.post('/v1/brands').set('idempotency-key', 'x'.repeat(256)).send(body), 400);
  });
});

async function count(t: TestApp): Promise<number> {
  const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM brands`);
  return n;
}
