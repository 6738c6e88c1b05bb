import { InjectQueue, Processor } from '@nestjs/bullmq';
import { CatalogueProcessor, JobHandlers } from '../common/messaging/catalogue-processor';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { upsertSchedules } from '../common/queue/schedules';
import { REDEMPTIONS_QUEUE, REDEMPTIONS_SCHEDULES, RedemptionsJob } from './redemptions.queue';
import { RedemptionsService } from './redemptions.service';
import { SharesService } from './shares.service';

@Processor(REDEMPTIONS_QUEUE)
export class RedemptionsProcessor
  extends CatalogueProcessor<typeof REDEMPTIONS_QUEUE>
  implements OnApplicationBootstrap
{
  readonly handlers: JobHandlers<typeof REDEMPTIONS_QUEUE> = {
    [RedemptionsJob.PurgeShippedAddresses]: () => this.redemptions.purgeShippedAddresses(),
    [RedemptionsJob.RefreshShareMetrics]: () => this.shares.refreshMetrics(),
  };

  constructor(
    private readonly redemptions: RedemptionsService,
    private readonly shares: SharesService,
    @InjectQueue(REDEMPTIONS_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await upsertSchedules(this.queue, REDEMPTIONS_SCHEDULES);
  }
}
