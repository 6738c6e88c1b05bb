import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { upsertSchedules } from '../common/queue/schedules';
import { RollupsService } from './rollups.service';
import { ROLLUPS_QUEUE, ROLLUPS_SCHEDULES, ReconcilePayload, RollupsJob } from './tracking.queue';

@Processor(ROLLUPS_QUEUE)
export class RollupsProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(RollupsProcessor.name);

  constructor(
    private readonly rollups: RollupsService,
    @InjectQueue(ROLLUPS_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await upsertSchedules(this.queue, ROLLUPS_SCHEDULES);
    // Partitions exist before the first click after a deploy; the DEFAULT partition covers the gap until then.
    await this.rollups.maintainPartitions().catch((err: Error) => {
      this.logger.warn(`click partition maintenance failed: ${err.message}`);
    });
  }

  async process(job: Job<ReconcilePayload>): Promise<unknown> {
    const name = job.name as RollupsJob;
    switch (name) {
      case RollupsJob.Reconcile:
        return (await this.rollups.reconcile(job.data?.campaignId ?? null)).length;
      case RollupsJob.Partitions:
        return this.rollups.maintainPartitions();
      case RollupsJob.PruneVisitors:
        return this.rollups.pruneVisitorSets();
      default: {
        const unknown: never = name;
        throw new Error(`unknown job ${String(unknown)}`);
      }
    }
  }
}
