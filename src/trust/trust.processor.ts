import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { upsertSchedules } from '../common/queue/schedules';
import { TRUST_QUEUE, TRUST_SCHEDULES, TrustJob } from './trust.queue';
import { TrustService } from './trust.service';

@Processor(TRUST_QUEUE)
export class TrustProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly trust: TrustService,
    @InjectQueue(TRUST_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await upsertSchedules(this.queue, TRUST_SCHEDULES);
  }

  async process(job: Job): Promise<number> {
    const name = job.name as TrustJob;
    switch (name) {
      case TrustJob.DetectSignals:
        return this.trust.detect();
      default: {
        const unknown: never = name;
        throw new Error(`unknown job ${String(unknown)}`);
      }
    }
  }
}
