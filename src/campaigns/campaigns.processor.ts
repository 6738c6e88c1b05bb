import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { CAMPAIGNS_QUEUE, CAMPAIGNS_SCHEDULES, CampaignsJob } from './campaigns.queue';
import { CampaignsService } from './campaigns.service';
import { upsertSchedules } from '../common/queue/schedules';

@Processor(CAMPAIGNS_QUEUE)
export class CampaignsProcessor extends WorkerHost implements OnApplicationBootstrap {
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

  async process(job: Job): Promise<unknown> {
    const name = job.name as CampaignsJob;
    switch (name) {
      case CampaignsJob.CompleteEnded: {
        const completed = await this.campaigns.completeEnded();
        if (completed) this.logger.log(`completed ${completed} campaign(s) past their end`);
        return { completed };
      }
      default: {
        const unknown: never = name;
        throw new Error(`unknown job ${String(unknown)}`);
      }
    }
  }
}
