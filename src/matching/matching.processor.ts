import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import {
  MATCHING_QUEUE,
  MATCHING_SCHEDULES,
  MatchCampaignPayload,
  MatchingJob,
  MemberWithdrawnPayload,
  OFFERS_QUEUE,
  OFFERS_SCHEDULES,
  OffersJob,
} from './matching.queue';
import { MatchingService } from './matching.service';
import { upsertSchedules } from '../common/queue/schedules';

@Processor(MATCHING_QUEUE)
export class MatchingProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly matching: MatchingService,
    @InjectQueue(MATCHING_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await upsertSchedules(this.queue, MATCHING_SCHEDULES);
  }

  async process(job: Job<MatchCampaignPayload | MemberWithdrawnPayload>): Promise<number> {
    const name = job.name as MatchingJob;
    switch (name) {
      case MatchingJob.MatchCampaign:
        return this.matching.matchCampaign((job.data as MatchCampaignPayload).campaignId);
      case MatchingJob.MemberWithdrawn: {
        const d = job.data as MemberWithdrawnPayload;
        return this.matching.withdrawMember(d.influencerId, d.reason);
      }
      case MatchingJob.CampaignSoldOut:
        return this.matching.withdrawSoldOut((job.data as MatchCampaignPayload).campaignId);
      case MatchingJob.MatchActiveCampaigns:
        return this.matching.matchActiveCampaigns();
      default: {
        const unknown: never = name;
        throw new Error(`unknown job ${String(unknown)}`);
      }
    }
  }
}

@Processor(OFFERS_QUEUE)
export class OffersProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly matching: MatchingService,
    @InjectQueue(OFFERS_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await upsertSchedules(this.queue, OFFERS_SCHEDULES);
  }

  async process(job: Job): Promise<number> {
    const name = job.name as OffersJob;
    switch (name) {
      case OffersJob.ExpireOffers:
        return this.matching.expireDue();
      default: {
        const unknown: never = name;
        throw new Error(`unknown job ${String(unknown)}`);
      }
    }
  }
}
