import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueRegistry } from './queue.registry';

export type Schedule = { id: string; everyMs: number } | { id: string; pattern: string };

/**
 * What each queue instance was asked to keep scheduled in this process. Redis is allowed to come back empty
 * (README: it "may be lost without losing an acknowledged fact"), and a job scheduler lives only in Redis, so the
 * process that registered it must be able to put it back: `ScheduleKeeper` re-applies these.
 */
const kept = new WeakMap<Queue, Map<string, Schedule>>();

async function apply(queue: Queue, s: Schedule): Promise<void> {
  const repeat = 'pattern' in s ? { pattern: s.pattern, tz: 'UTC' } : { every: s.everyMs };
  await queue.upsertJobScheduler(s.id, repeat, { name: s.id });
}

/**
 * Registers repeatable jobs. A scheduler id is unique per queue, so however many workers start, each job runs
 * on one schedule; re-registering after a deploy updates the interval instead of adding a second timer.
 * Cron patterns are in UTC.
 */
export async function upsertSchedules(queue: Queue, schedules: readonly Schedule[]): Promise<void> {
  const mine = kept.get(queue) ?? new Map<string, Schedule>();
  kept.set(queue, mine);
  for (const s of schedules) {
    mine.set(s.id, s);
    await apply(queue, s);
  }
}

/** Re-creates the schedulers of `queue` that Redis no longer has; returns their ids. */
async function restoreMissingSchedules(queue: Queue): Promise<string[]> {
  const restored: string[] = [];
  for (const s of kept.get(queue)?.values() ?? []) {
    if (await queue.getJobScheduler(s.id)) continue;
    await apply(queue, s);
    restored.push(s.id);
  }
  return restored;
}

/** How often the keeper checks the schedulers even without a reconnect (a Redis failover may not drop our link). */
const SCHEDULE_CHECK_MS = 60_000;

/**
 * Puts lost job schedulers back: when a queue's Redis connection becomes ready again (a restarted Redis is
 * usually empty) and every SCHEDULE_CHECK_MS. Upserting is idempotent, so several workers doing it at once
 * still leave one scheduler per id.
 */
@Injectable()
export class ScheduleKeeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ScheduleKeeper.name);
  private timer: NodeJS.Timeout | null = null;
  private readonly detach: (() => void)[] = [];
  private checking: Promise<void> | null = null;

  constructor(private readonly registry: QueueRegistry) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const queue of this.registry.all()) {
      const client = await queue.client;
      const onReady = (): void => void this.check();
      client.on('ready', onReady);
      this.detach.push(() => client.off('ready', onReady));
    }
    this.timer = setInterval(() => void this.check(), SCHEDULE_CHECK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    for (const d of this.detach.splice(0)) d();
  }

  /** Checks every queue; concurrent triggers (one reconnect fires on every queue's client) share one pass. */
  check(): Promise<void> {
    if (!this.checking) this.checking = this.checkAll().finally(() => (this.checking = null));
    return this.checking;
  }

  private async checkAll(): Promise<void> {
    for (const queue of this.registry.all()) {
      try {
        const restored = await restoreMissingSchedules(queue);
        if (restored.length) this.logger.warn(`restored ${restored.length} job scheduler(s) of ${queue.name}`);
      } catch (err) {
        // Redis still down or flapping: the next reconnect or tick tries again.
        this.logger.warn(`schedule check of ${queue.name} failed: ${(err as Error).message}`);
      }
    }
  }
}
