import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { upsertSchedules } from '../common/queue/schedules';
import { REDEMPTIONS_QUEUE, REDEMPTIONS_SCHEDULES, RedemptionsJob } from './redemptions.queue';
import { RedemptionsService } from './redemptions.service';
import { SharesService } from './shares.service';

@Processor(REDEMPTIONS_QUEUE)
export class RedemptionsProcessor extends WorkerHost implements OnApplicationBootstrap {
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

  async process(job: Job): Promise<number> {
    const name = job.name as RedemptionsJob;
    switch (name) {
      case RedemptionsJob.PurgeShippedAddresses:
        return this.redemptions.purgeShippedAddresses();
      case RedemptionsJob.RefreshShareMetrics:
        return this.shares.refreshMetrics();
      default: {
        const unknown: never = name;
        throw new Error(`unknown job ${String(unknown)}`);
      }
    }
  }
}
