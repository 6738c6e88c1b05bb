import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { OutboxPublisher } from '../../../src/common/outbox/outbox.relay';
import { OutboxService } from '../../../src/common/outbox/outbox.service';
import { QueueLookup } from '../../../src/common/queue/queue.registry';
import { typeOrmOptions } from '../../../src/database/typeorm.options';
import { databaseUrl } from '../../support/databases';
import { PrivateRedis } from '../../support/private-redis';
import { createTestDatabase, dropTestDatabase } from '../../support/test-app';

/** The outbox's two promises: no job without a commit, and no commit without (eventually) a job. */
describe('transactional outbox', () => {
  let dbName: string;
  let ds: DataSource;
  let redis: PrivateRedis;
  let queue: Queue;
  let publisher: OutboxPublisher;
  const outbox = new OutboxService();

  beforeAll(async () => {
    dbName = await createTestDatabase();
    ds = await new DataSource(typeOrmOptions(databaseUrl(dbName), { poolSize: 4 })).initialize();
    redis = new PrivateRedis(await PrivateRedis.freePort());
    await redis.start();
    queue = new Queue('matching', {
      connection: { url: redis.url, maxRetriesPerRequest: null },
      prefix: '{outbox-test}',
    });
    queue.on('error', () => undefined);
    const lookup: QueueLookup = { get: () => queue, names: () => ['matching'] };
    publisher = new OutboxPublisher(ds, lookup, 500);
  });

  afterAll(async () => {
    await queue.close().catch(() => undefined);
    await redis.stop();
    await ds.destroy();
    await dropTestDatabase(dbName);
  });

  const pending = async (): Promise<number> => (await ds.query(`SELECT count(*)::int AS n FROM outbox`))[0].n;

  it('never produces a job for a rolled-back transaction', async () => {
    await expect(
      ds.transaction(async (m) => {
        await outbox.enqueue(m, { queue: 'matching', name: 'match-campaign', payload: { campaignId: 'rolled-back' } });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await pending()).toBe(0);
    expect(await publisher.drain()).toBe(0);
    expect(await queue.getJobCountByTypes('waiting', 'delayed', 'active')).toBe(0);
  });

  it('publishes a committed message once, with the outbox id as job id', async () => {
    await ds.transaction((m) =>
      outbox.enqueue(m, { queue: 'matching', name: 'match-campaign', payload: { campaignId: 'c-1' } }),
    );
    expect(await publisher.drain()).toBe(1);
    expect(await publisher.drain()).toBe(0);
    const jobs = await queue.getJobs(['waiting']);
    expect(jobs.map((j) => [j.name, j.data])).toEqual([['match-campaign', { campaignId: 'c-1' }]]);
    expect(jobs[0].id).toMatch(/^outbox-[0-9a-f-]{36}$/);
    await queue.obliterate({ force: true });
  });

  it('keeps a message committed while Redis is down and publishes it when Redis is back', async () => {
    await redis.stop();
    await ds.transaction((m) =>
      outbox.enqueue(m, {
        queue: 'matching',
        name: 'member-matching-withdrawn',
        payload: { influencerId: 'm-1', reason: 'erased' },
      }),
    );
    await expect(publisher.drain()).rejects.toThrow();
    expect(await pending()).toBe(1);

    await redis.start();
    // The relay retries on a timer; here we call it until the queue's connection is back.
    const deadline = Date.now() + 15_000;
    let published = 0;
    while (published === 0) {
      published = await publisher.drain().catch(() => 0);
      if (Date.now() > deadline) throw new Error('not published after Redis came back');
      if (!published) await new Promise((r) => setTimeout(r, 200));
    }
    expect(published).toBe(1);
    expect(await pending()).toBe(0);
    const jobs = await queue.getJobs(['waiting']);
    expect(jobs.map((j) => j.data)).toEqual([{ influencerId: 'm-1', reason: 'erased' }]);
  });

  it('refuses to enqueue outside a transaction', async () => {
    await expect(
      outbox.enqueue(ds.manager, { queue: 'matching', name: 'match-campaign', payload: { campaignId: 'x' } }),
    ).rejects.toThrow(/transactional/);
  });
});
