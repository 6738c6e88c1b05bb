import { MAINTENANCE_QUEUE, MaintenanceJob } from '../../src/common/maintenance/maintenance.queue';
import { MetricsService } from '../../src/common/metrics/metrics.service';
import { QueueRegistry } from '../../src/common/queue/queue.registry';
import { TopicsService } from '../../src/topics/topics.service';
import { TrackingService } from '../../src/tracking/tracking.service';
import { createBrand } from '../factories/brands';
import { eventually } from '../factories/campaigns';
import { BROWSER_UA, activeCampaign, claimFor } from '../factories/claims';
import { captureLog } from '../support/log-capture';
import { expectProblem } from '../support/problem';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * Issue #12 (1): nothing a client sends stops the process. Each test makes one kind of code throw (a Nest route,
 * the plain Fastify redirect route, a hook, a job) and shows the error answered or retried, logged, and the
 * next request served.
 */
describe('resilience', () => {
  let t: TestApp;
  const { stream: sink, lines } = captureLog();
  const logged = (msg: string): boolean => lines.some((l) => l.includes(msg));

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info' }, { logStream: sink });
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  const healthy = async (): Promise<void> => {
    expect((await t.http.get('/health')).status).toBe(200);
  };
  const redirect = (code: string) =>
    t.http.get(`/r/${code}`).set('user-agent', BROWSER_UA).redirects(0).timeout({ response: 5000 });

  it('stores and emits a non-Latin-1 landing URL in its ASCII form; the click is answered', async () => {
    const brand = await createBrand(t);
    const landing = 'https://Bücher.example/café/☕?q=日本語#über';
    const campaignId = await activeCampaign(t, brand, { landingUrl: landing });
    const stored = await t.http.get(`/v1/campaigns/${campaignId}`).set(brand.auth);
    expect(stored.body.landingUrl).toBe(new URL(landing).href);
    expect(stored.body.landingUrl).toMatch(/^[\x21-\x7e]+$/);
    const claim = await claimFor(t, campaignId);
    for (let i = 0; i < 2; i++) {
      const res = await redirect(claim.code);
      expect(res.status).toBe(302);
      expect(res.headers.location).toMatch(/^https:\/\/xn--bcher-kva\.example\/caf%C3%A9\/%E2%98%95\?q=%E6%97%A5/);
    }
    await healthy();
  });

  it('answers a click on a landing URL stored before normalisation (header guard), and keeps serving', async () => {
    const brand = await createBrand(t);
    const campaignId = await activeCampaign(t, brand);
    const claim = await claimFor(t, campaignId);
    // What an older release (or a hand-edited row) left in the database.
    await t.db.query(`UPDATE campaigns SET landing_url = $2 WHERE id = $1`, [campaignId, 'https://shop.example/☕']);
    for (let i = 0; i < 2; i++) {
      const res = await redirect(claim.code);
      expect(res.status).toBe(302);
      expect(res.headers.location).toMatch(/^https:\/\/shop\.example\/%E2%98%95\?sway_click=/);
    }
    await healthy();
  });

  it('answers an error thrown in a Nest route with a 500 problem, logs it, and serves the next request', async () => {
    jest.spyOn(TopicsService.prototype, 'list').mockImplementationOnce(() => {
      throw new TypeError('boom in a route');
    });
    expectProblem(await t.http.get('/v1/topics'), 500, 'internal');
    expect(logged('boom in a route')).toBe(true);
    expect((await t.http.get('/v1/topics?limit=1')).status).toBe(200);
    await healthy();
  });

  it('answers an error thrown in the Fastify redirect route (sync and async paths)', async () => {
    const tracking = t.app.get(TrackingService);
    jest.spyOn(tracking, 'clickIfCached').mockImplementation(() => {
      throw new Error('boom in the cached redirect');
    });
    expectProblem(await redirect('ABCD-EFGH'), 500, 'internal');
    jest.spyOn(tracking, 'clickIfCached').mockReturnValue(undefined);
    jest.spyOn(tracking, 'click').mockRejectedValue(new Error('boom in the redirect'));
    expectProblem(await redirect('ABCD-EFGH'), 500, 'internal');
    // A URL that makes the reply itself throw (Location refused by Node) is caught too.
    jest.spyOn(tracking, 'click').mockResolvedValue('https://shop.example/\u2615\u0000');
    expect((await redirect('ABCD-EFGH')).status).toBeLessThan(600);
    jest.restoreAllMocks();
    expect(logged('boom in the redirect')).toBe(true);
    await healthy();
  });

  it('survives an error thrown in a hook: the reply stands, the error is logged', async () => {
    const metrics = t.app.get(MetricsService);
    jest.spyOn(metrics, 'observe').mockImplementationOnce(() => {
      throw new Error('boom in a hook');
    });
    expect((await t.http.get('/v1/topics?limit=1')).status).toBe(200);
    await eventually(async () => (logged('boom in a hook') ? true : undefined), 2000, 'hook error logged');
    await healthy();
  });

  it('retries a job whose handler throws, logs the failure, and keeps working', async () => {
    // The worker holds the processor's method bound at start, so the throw goes where the handler's work is.
    const real = t.db.query.bind(t.db);
    let thrown = false;
    jest.spyOn(t.db, 'query').mockImplementation(((sql: string, ...rest: unknown[]) => {
      if (!thrown && sql.includes('DELETE FROM idempotency_keys')) {
        thrown = true;
        return Promise.reject(new Error('boom in a job'));
      }
      return (real as (...a: unknown[]) => unknown)(sql, ...rest);
    }) as typeof t.db.query);
    const queue = t.app.get(QueueRegistry).get(MAINTENANCE_QUEUE);
    const job = await queue.add(
      MaintenanceJob.PurgeIdempotencyKeys,
      {},
      { jobId: `resilience-${Date.now()}`, attempts: 3, backoff: { type: 'fixed', delay: 50 } },
    );
    await eventually(async () => ((await job.isCompleted()) ? true : undefined), 15_000, 'the retried job');
    expect(thrown).toBe(true);
    expect(await job.getState()).toBe('completed');
    expect(logged('boom in a job')).toBe(true);
    expect(lines.some((l) => l.includes('"job failed"') && l.includes('"willRetry":true'))).toBe(true);
    await healthy();
  });
});
