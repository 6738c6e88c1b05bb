import { InjectQueue, Processor } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { CatalogueProcessor, JobHandlers } from '../common/messaging/catalogue-processor';
import { upsertSchedules } from '../common/queue/schedules';
import { TRUST_QUEUE, TRUST_SCHEDULES, TrustJob } from './trust.queue';
import { TrustService } from './trust.service';

@Processor(TRUST_QUEUE)
export class TrustProcessor extends CatalogueProcessor<typeof TRUST_QUEUE> implements OnApplicationBootstrap {
  readonly handlers: JobHandlers<typeof TRUST_QUEUE> = {
    [TrustJob.DetectSignals]: () => this.trust.detect(),
  };

  constructor(
    private readonly trust: TrustService,
    @InjectQueue(TRUST_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await upsertSchedules(this.queue, TRUST_SCHEDULES);
  }
}
