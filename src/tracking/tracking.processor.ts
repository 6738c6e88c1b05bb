import { InjectQueue, Processor } from '@nestjs/bullmq';
import { CatalogueProcessor, JobHandlers } from '../common/messaging/catalogue-processor';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { upsertSchedules } from '../common/queue/schedules';
import { RollupsService } from './rollups.service';
import { ROLLUPS_QUEUE, ROLLUPS_SCHEDULES, RollupsJob } from './tracking.queue';

@Processor(ROLLUPS_QUEUE)
export class RollupsProcessor extends CatalogueProcessor<typeof ROLLUPS_QUEUE> implements OnApplicationBootstrap {
  readonly handlers: JobHandlers<typeof ROLLUPS_QUEUE> = {
    // Scheduled runs carry no data; an operator's run names a campaign or null for all.
    [RollupsJob.Reconcile]: async (d) => (await this.rollups.reconcile(d?.campaignId ?? null)).length,
    [RollupsJob.Partitions]: () => this.rollups.maintainPartitions(),
    [RollupsJob.PruneVisitors]: () => this.rollups.pruneVisitorSets(),
  };

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
}
