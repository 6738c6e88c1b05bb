import { InjectQueue, Processor } from '@nestjs/bullmq';
import { CatalogueProcessor, JobHandlers } from '../common/messaging/catalogue-processor';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { CAMPAIGNS_QUEUE, CAMPAIGNS_SCHEDULES, CampaignsJob } from './campaigns.queue';
import { CampaignsService } from './campaigns.service';
import { upsertSchedules } from '../common/queue/schedules';

@Processor(CAMPAIGNS_QUEUE)
export class CampaignsProcessor extends CatalogueProcessor<typeof CAMPAIGNS_QUEUE> implements OnApplicationBootstrap {
  readonly handlers: JobHandlers<typeof CAMPAIGNS_QUEUE> = {
    [CampaignsJob.CompleteEnded]: async () => {
      const completed = await this.campaigns.completeEnded();
      if (completed) this.logger.log(`completed ${completed} campaign(s) past their end`);
      return { completed };
    },
  };

  private readonly logger = new Logger(CampaignsProcessor.name);

  constructor(
    private readonly campaigns: CampaignsService,
    @InjectQueue(CAMPAIGNS_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await upsertSchedules(this.queue, CAMPAIGNS_SCHEDULES);
  }
}
