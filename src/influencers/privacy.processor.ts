import { Processor } from '@nestjs/bullmq';
import { CatalogueProcessor, JobHandlers } from '../common/messaging/catalogue-processor';
import { PRIVACY_QUEUE, PrivacyJob } from './privacy.queue';
import { PrivacyService } from './privacy.service';

@Processor(PRIVACY_QUEUE)
export class PrivacyProcessor extends CatalogueProcessor<typeof PRIVACY_QUEUE> {
  readonly handlers: JobHandlers<typeof PRIVACY_QUEUE> = {
    [PrivacyJob.EraseMember]: (d) => this.privacy.completeErasure(d.influencerId),
  };

  constructor(private readonly privacy: PrivacyService) {
    super();
  }
}
