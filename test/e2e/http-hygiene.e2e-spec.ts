import { TestApp, admin, startTestApp } from '../support/test-app';
import { expectProblem } from '../support/problem';

describe('HTTP hygiene', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers unknown routes with a problem+json 404', async () => {
    expectProblem(await t.http.get('/v1/nope'), 404, 'not_found');
    expectProblem(await t.http.delete('/v1/topics'), 404, 'not_found');
  });

  it('answers malformed JSON with 400 and stores nothing', async () => {
    const res = await t.http.post('/v1/brands').set('content-type', 'application/json').send('{"name": "A",');
    expectProblem(res, 400, 'malformed_json');
    expect(await count(t, 'brands')).toBe(0);
  });

  it('refuses bodies that are not JSON objects', async () => {
    expectProblem(await t.http.post('/v1/brands').send([{ name: 'A', email: 'a@b.co' }]), 400, 'validation_failed');
    expectProblem(await t.http.post('/v1/brands').set('content-type', 'application/json').send('"x"'), 400);
    expectProblem(await t.http.post('/v1/brands').set('content-type', 'application/xml').send('<a/>'), 415);
  });

  it('names every failing and unknown field in errors[]', async () => {
    const res = await t.http.post('/v1/brands').send({ name: '', email: 'not-an-email', plan: 'gold' });
    expectProblem(res, 400, 'validation_failed');
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['email', 'name', 'plan']);
    expect(res.body.errors.find((e: { field: string }) => e.field === 'plan').message).toBe('unknown field');
    expect(await count(t, 'brands')).toBe(0);
  });

  it('names missing fields when the body is absent', async () => {
    const res = await t.http.post('/v1/brands');
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['name', 'email']));
  });

  it('rejects bodies over 1 MB with 413', async () => {
    const res = await t.http.post('/v1/brands').send({ name: 'x'.repeat(1024 * 1024 + 10), email: 'a@b.co' });
    expectProblem(res, 413, 'payload_too_large');
    expect(await count(t, 'brands')).toBe(0);
  });

  it('rejects a prototype-pollution payload without a 500', async () => {
    const res = await t.http
      .post('/v1/brands')
      .set('content-type', 'application/json')
      .send('{"name":"A","email":"a@b.co","__proto__":{"admin":true}}');
    expect(res.status).toBe(400);
  });

  it('sets security headers and a request id', async () => {
    const res = await t.http.get('/v1/topics?limit=1').set('x-request-id', 'req-abc-123');
    expect(res.status).toBe(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-request-id']).toBe('req-abc-123');
    // The same headers on a 404 and on an error answer, computed once at start.
    const missing = await t.http.get('/v1/no-such-route');
    expect(missing.headers['content-security-policy']).toBe(res.headers['content-security-policy']);
    // The tracking redirect opts out: a bodiless 302 needs no CSP (and it is the hot path).
    const redirect = await t.http.get('/r/ZZZZ-ZZZZ');
    expect(redirect.status).toBe(404);
    expect(redirect.headers['content-security-policy']).toBeUndefined();
  });

  it('rejects malformed or unknown credentials with 401 and a WWW-Authenticate header', async () => {
    for (const h of ['Basic abc', 'Bearer', 'Bearer sk_unknown', 'Bearer not.a.jwt']) {
      const res = await t.http.get('/v1/brands/me').set('authorization', h);
      expectProblem(res, 401, 'unauthenticated');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('answers a token of the wrong kind with 403', async () => {
    expectProblem(await t.http.get('/v1/brands/me').set(admin), 403, 'forbidden');
  });

  it('validates query parameters', async () => {
    expectProblem(await t.http.get('/v1/topics?limit=0'), 400, 'validation_failed');
    expectProblem(await t.http.get('/v1/topics?limit=abc'), 400, 'validation_failed');
    expectProblem(await t.http.get('/v1/topics?limit=201'), 400, 'validation_failed');
    expectProblem(await t.http.get('/v1/topics?cursor=garbage'), 400, 'validation_failed');
    expectProblem(await t.http.get('/v1/topics?sort=name'), 400, 'validation_failed');
  });

  it('reports health of Postgres and Redis in terminus format', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('serves OpenAPI with every route and the problem schema', async () => {
    await t.http.get('/docs').expect(200);
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    for (const [path, method] of [
      ['/health', 'get'],
      ['/metrics', 'get'],
      ['/v1/topics', 'get'],
      ['/v1/topics', 'post'],
      ['/v1/topics/{slug}', 'get'],
      ['/v1/brands', 'post'],
      ['/v1/brands/me', 'get'],
      ['/v1/brands/me/api-keys', 'post'],
      ['/v1/brands/me/api-keys/{keyId}', 'delete'],
    ]) {
      expect(doc.paths[path]?.[method]).toBeDefined();
    }
    expect(doc.components.schemas.ProblemDto).toBeDefined();
    expect(doc.paths['/v1/brands'].post.responses['400']).toBeDefined();
  });

  it('exposes Prometheus metrics to the admin only', async () => {
    expectProblem(await t.http.get('/metrics'), 401);
    const res = await t.http.get('/metrics').set(admin).expect(200);
    expect(res.text).toContain('http_request_duration_seconds_bucket');
    expect(res.text).toMatch(/bullmq_queue_jobs\{queue="outbox",state="waiting"\}/);
  });

  it('guards the queue dashboard with the admin token', async () => {
    expectProblem(await t.http.get('/admin/queues'), 401);
    await t.http.get('/admin/queues').set(admin).expect(200);
    await t.http.get('/admin/queues').auth('ops', t.config.adminToken).expect(200);
  });
});

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: '3', RATE_LIMIT_PER_MINUTE: '1000' });
  });
  afterAll(() => t.close());

  it('limits signups strictly and answers 429 with Retry-After', async () => {
    for (let i = 0; i < 3; i++) {
      await t.http
        .post('/v1/brands')
        .send({ name: `B${i}`, email: `b${i}@x.example` })
        .expect(201);
    }
    const res = await t.http.post('/v1/brands').send({ name: 'B4', email: 'b4@x.example' });
    expectProblem(res, 429, 'rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await count(t, 'brands')).toBe(3);
    // Other routes use the default bucket and still answer.
    await t.http.get('/v1/topics?limit=1').expect(200);
  });
});

async function count(t: TestApp, table: string): Promise<number> {
  const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM ${table}`);
  return n;
}
