import { WorkerHost } from '@nestjs/bullmq';
import { DiscoveryService } from '@nestjs/core';
import { TestApp, startTestApp } from '../../support/test-app';

/** WORKER_CONCURRENCY is the number of parallel jobs of every queue's worker, not of one of them. */
describe('worker concurrency from config', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ WORKER_CONCURRENCY: '5' });
  });
  afterAll(() => t?.close());

  it('reaches every processor (scoring keeps its ceiling of 2)', () => {
    const workers = t.app
      .get(DiscoveryService)
      .getProviders()
      .map((w) => w.instance as unknown)
      .filter((i): i is WorkerHost => i instanceof WorkerHost)
      .map((h) => [h.worker.name, h.worker.concurrency] as const)
      .sort(([a], [b]) => a.localeCompare(b));
    expect(Object.fromEntries(workers)).toEqual({
      'billing-events': 5,
      campaigns: 5,
      // Syncs are polite to the networks: at most 4 at a time per worker.
      connectors: 4,
      maintenance: 5,
      matching: 5,
      notifications: 5,
      offers: 5,
      privacy: 5,
      redemptions: 5,
      rollups: 5,
      scoring: 2,
      trust: 5,
      webhooks: 5,
    });
  });
});
