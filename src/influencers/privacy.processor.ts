import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { EraseMemberPayload, PRIVACY_QUEUE, PrivacyJob } from './privacy.queue';
import { PrivacyService } from './privacy.service';

@Processor(PRIVACY_QUEUE)
export class PrivacyProcessor extends WorkerHost {
  constructor(private readonly privacy: PrivacyService) {
    super();
  }

  async process(job: Job<EraseMemberPayload>): Promise<void> {
    const name = job.name as PrivacyJob;
    switch (name) {
      case PrivacyJob.EraseMember:
        return this.privacy.completeErasure(job.data.influencerId);
      default: {
        const unknown: never = name;
        throw new Error(`unknown job ${String(unknown)}`);
      }
    }
  }
}
