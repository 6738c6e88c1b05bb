import type { Queue } from 'bullmq';

export interface Schedule {
  id: string;
  everyMs: number;
}

/**
 * Registers repeatable jobs. A scheduler id is unique per queue, so however many workers start, each job runs
 * on one schedule; re-registering after a deploy updates the interval instead of adding a second timer.
 */
export async function upsertSchedules(queue: Queue, schedules: readonly Schedule[]): Promise<void> {
  for (const s of schedules) await queue.upsertJobScheduler(s.id, { every: s.everyMs }, { name: s.id });
}
