import { InjectQueue, Processor } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { CatalogueProcessor, JobHandlers } from '../common/messaging/catalogue-processor';
import { upsertSchedules } from '../common/queue/schedules';
import {
  MATCHING_QUEUE,
  MATCHING_SCHEDULES,
  MatchingJob,
  OFFERS_QUEUE,
  OFFERS_SCHEDULES,
  OffersJob,
} from './matching.queue';
import { MatchingService } from './matching.service';

@Processor(MATCHING_QUEUE)
export class MatchingProcessor extends CatalogueProcessor<typeof MATCHING_QUEUE> implements OnApplicationBootstrap {
  readonly handlers: JobHandlers<typeof MATCHING_QUEUE> = {
    [MatchingJob.MatchCampaign]: (d) => this.matching.matchCampaign(d.campaignId),
    [MatchingJob.MemberWithdrawn]: (d) => this.matching.withdrawMember(d.influencerId, d.reason),
    [MatchingJob.CampaignSoldOut]: (d) => this.matching.withdrawSoldOut(d.campaignId),
    [MatchingJob.MatchActiveCampaigns]: () => this.matching.matchActiveCampaigns(),
    [MatchingJob.MatchAfterScoring]: () => this.matching.matchActiveCampaigns(),
    [MatchingJob.MatchMember]: (d) => this.matching.matchMember(d.influencerId),
  };

  constructor(
    private readonly matching: MatchingService,
    @InjectQueue(MATCHING_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await upsertSchedules(this.queue, MATCHING_SCHEDULES);
  }
}

@Processor(OFFERS_QUEUE)
export class OffersProcessor extends CatalogueProcessor<typeof OFFERS_QUEUE> implements OnApplicationBootstrap {
  readonly handlers: JobHandlers<typeof OFFERS_QUEUE> = {
    [OffersJob.ExpireOffers]: () => this.matching.expireDue(),
  };

  constructor(
    private readonly matching: MatchingService,
    @InjectQueue(OFFERS_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await upsertSchedules(this.queue, OFFERS_SCHEDULES);
  }
}
