import { campaignBody } from '../factories/campaigns';
import { createBrand, TestBrand } from '../factories/brands';
import { expectProblem } from '../support/problem';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * Issue #12 (5): what a crash leaves behind is recoverable. The states a kill -9 leaves are made here by editing
 * the key's row (test/faults kills a real process for the same); a short lease keeps the test quick.
 */
describe('idempotency after a crash', () => {
  let t: TestApp;
  let brand: TestBrand;
  beforeAll(async () => {
    t = await startTestApp({ IDEMPOTENCY_LEASE_MS: '1000' });
    brand = await createBrand(t);
  });
  afterAll(() => t.close());

  const create = (key: string, body: object) =>
    t.http.post('/v1/campaigns').set(brand.auth).set('idempotency-key', key).send(body);
  const campaigns = async (): Promise<number> =>
    (await t.db.query(`SELECT count(*)::int AS n FROM campaigns WHERE brand_id = $1`, [brand.id]))[0].n;
  const row = async (key: string) =>
    (
      await t.db.query(
        `SELECT response_status, attempt, effect_committed_at IS NOT NULL AS effect FROM idempotency_keys WHERE key = $1`,
        [key],
      )
    )[0];

  it('marks the key in the business transaction', async () => {
    await create('mark-1', campaignBody()).expect(201);
    expect(await row('mark-1')).toEqual({ response_status: 201, attempt: 1, effect: true });
  });

  it('lets a retry take over a key whose holder died before committing anything, once its lease ran out', async () => {
    const body = campaignBody();
    await create('seed-2', body).expect(201);
    // What a process killed mid-request leaves: the key held, nothing committed, no response.
    await t.db.query(
      `INSERT INTO idempotency_keys (scope, key, route, request_hash, expires_at, lease_until)
       SELECT scope, 'crashed-2', route, request_hash, expires_at, now() + interval '1 hour'
       FROM idempotency_keys WHERE key = 'seed-2'`,
    );
    const before = await campaigns();
    // Lease still running: as good as in progress.
    expectProblem(await create('crashed-2', body), 409, 'idempotency_in_progress');
    await t.db.query(`UPDATE idempotency_keys SET lease_until = now() - interval '1 second' WHERE key = 'crashed-2'`);
    const retry = await create('crashed-2', body).expect(201);
    expect(await campaigns()).toBe(before + 1);
    expect(await row('crashed-2')).toEqual({ response_status: 201, attempt: 2, effect: true });
    // And from now on it replays.
    const again = await create('crashed-2', body).expect(201);
    expect(again.body).toEqual(retry.body);
    expect(await campaigns()).toBe(before + 1);
  });

  it('never runs again a request whose effect committed but whose response was lost', async () => {
    const body = campaignBody();
    await create('lost-3', body).expect(201);
    // What a crash between the business commit and storing the response leaves.
    await t.db.query(
      `UPDATE idempotency_keys SET response_status = NULL, response_body = NULL,
              lease_until = now() - interval '1 second' WHERE key = 'lost-3'`,
    );
    const before = await campaigns();
    expectProblem(await create('lost-3', body), 409, 'idempotency_response_lost');
    expect(await campaigns()).toBe(before);
  });

  it('fences out a holder whose key was taken over: its business transaction rolls back', async () => {
    const body = campaignBody();
    const before = await campaigns();
    // The key is taken over (attempt bumped) while the first request is on its way to its commit.
    const first = create('fenced-4', body);
    const bumped = (async () => {
      for (let i = 0; i < 200; i++) {
        const [, n] = await t.db.query(
          `UPDATE idempotency_keys SET attempt = attempt + 1 WHERE key = 'fenced-4' AND effect_committed_at IS NULL`,
        );
        if (n) return true;
        await new Promise((r) => setImmediate(r));
      }
      return false;
    })();
    const [res, didBump] = await Promise.all([first, bumped]);
    if (!didBump) return; // the request committed before the bump could land: nothing to check this run
    expectProblem(res, 409, 'idempotency_in_progress');
    expect(await campaigns()).toBe(before);
  });
});
