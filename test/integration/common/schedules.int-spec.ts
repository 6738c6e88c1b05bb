import { QueueRegistry } from '../../../src/common/queue/queue.registry';
import { PrivateRedis } from '../../support/private-redis';
import { TestApp, startTestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait';

/** Issue #12 (6): a Redis that comes back empty gets every job scheduler back without restarting the app. */
describe('job schedules survive Redis', () => {
  let redis: PrivateRedis;
  let t: TestApp;

  beforeAll(async () => {
    redis = new PrivateRedis(await PrivateRedis.freePort());
    await redis.start();
    t = await startTestApp({ REDIS_URL: redis.url, ROLE: 'all' });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  const schedulerIds = async (): Promise<string[]> => {
    const ids: string[] = [];
    for (const q of t.app.get(QueueRegistry).all()) {
      for (const s of await q.getJobSchedulers(0, -1)) ids.push(`${q.name}/${s.key}`);
    }
    return ids.sort();
  };

  it('restores all schedulers when Redis restarts empty', async () => {
    const before = await schedulerIds();
    expect(before.length).toBeGreaterThan(10);

    await redis.stop();
    await redis.start(); // same port, no persistence: empty
    const restored = await waitFor(
      async () => {
        const now = await schedulerIds().catch(() => []);
        return now.length === before.length ? now : null;
      },
      20_000,
      'schedulers restored',
    );
    expect(restored).toEqual(before);
  }, 60_000);
});
