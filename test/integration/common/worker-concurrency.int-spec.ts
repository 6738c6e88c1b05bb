import { WorkerHost } from '@nestjs/bullmq';
import { DiscoveryService } from '@nestjs/core';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueSnapshot } from '../../../src/common/messaging/catalogue';
import { concurrencyCeilingOf } from '../../../src/common/queue/worker-concurrency';
import { TestApp, startTestApp } from '../../support/test-app';

// @nestjs/bullmq's key for @Processor's options (not exported from its index).
const PROCESSOR_METADATA = 'bullmq:processor_metadata';
const SRC = join(__dirname, '..', '..', '..', 'src');

type ProcessorClass = abstract new (...args: never[]) => WorkerHost;

/** Every `@Processor` class in src/**\/*.processor.ts: the list cannot go stale when a context adds one. */
function processorClasses(): ProcessorClass[] {
  const classes: ProcessorClass[] = [];
  for (const file of (readdirSync(SRC, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.processor.ts'))
    .map((f) => join(SRC, f))) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading every processor file found on disk
    for (const exported of Object.values(require(file) as Record<string, unknown>)) {
      if (typeof exported === 'function' && Reflect.getMetadata(PROCESSOR_METADATA, exported) !== undefined) {
        classes.push(exported as ProcessorClass);
      }
    }
  }
  return classes;
}

/**
 * WORKER_CONCURRENCY is the number of parallel jobs of every queue's worker, not of one of them;
 * WORKER_CONCURRENCY_<QUEUE> sets one queue's, and neither lifts a processor's ceiling.
 */
describe('worker concurrency from config', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      WORKER_CONCURRENCY: '5',
      WORKER_CONCURRENCY_WEBHOOKS: '12',
      WORKER_CONCURRENCY_SCORING: '7',
    });
  });
  afterAll(() => t?.close());

  it('reaches every processor in src, each with its queue override and under its ceiling', () => {
    const classes = processorClasses();
    expect(classes.length).toBeGreaterThanOrEqual(13);
    const hosts = t.app
      .get(DiscoveryService)
      .getProviders()
      .map((w) => w.instance as unknown)
      .filter((i): i is WorkerHost => i instanceof WorkerHost);

    const seen: Record<string, number> = {};
    const expected: Record<string, number> = {};
    for (const cls of classes) {
      const running = hosts.filter((h) => h instanceof cls);
      expect([cls.name, running.length]).toEqual([cls.name, 1]);
      const queue = running[0].worker.name;
      seen[queue] = running[0].worker.concurrency;
      expected[queue] = queue === 'webhooks' ? 12 : Math.min(5, concurrencyCeilingOf(cls) ?? Infinity);
    }
    expect(seen).toEqual(expected);
    // The exceptions, named: scoring's runs serialise on a lock (its override of 7 stays at 2); syncs are polite
    // to the networks.
    const ceilings = Object.fromEntries(
      classes.flatMap((c) => (concurrencyCeilingOf(c) === undefined ? [] : [[c.name, concurrencyCeilingOf(c)]])),
    );
    expect(ceilings).toEqual({ ConnectorsProcessor: 4, ScoringProcessor: 2 });
    expect(seen.scoring).toBe(2);
    // Every queue that has jobs in the catalogue has a worker here, so none waits on a process that never runs.
    expect(Object.keys(seen).sort()).toEqual([...catalogueSnapshot().jobs.keys()].sort());
  });
});
