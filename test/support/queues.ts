import { QueueRegistry } from '../../src/common/queue/queue.registry';
import { TestApp } from './test-app';

/** Jobs of `name` on `queue` whose payload has `campaignId`, whatever their state. */
export async function jobsFor(t: TestApp, queue: string, name: string, campaignId: string): Promise<number> {
  const q = t.app.get(QueueRegistry).get(queue);
  const jobs = await q.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed', 'paused']);
  return jobs.filter((j) => j?.name === name && j.data?.campaignId === campaignId).length;
}

export async function runJob(
  t: TestApp,
  queue: string,
  name: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  await t.app.get(QueueRegistry).get(queue).add(name, data);
}
