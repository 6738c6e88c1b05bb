import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { BILLING_QUEUE, BILLING_SCHEDULES, BillingJob } from './billing.queue';
import { BillingService } from './billing.service';
import { StripeEventsService } from './stripe-events.service';
import { upsertSchedules } from '../common/queue/schedules';

@Processor(BILLING_QUEUE)
export class BillingProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly billing: BillingService,
    private readonly events: StripeEventsService,
    @InjectQueue(BILLING_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await upsertSchedules(this.queue, BILLING_SCHEDULES);
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as BillingJob;
    switch (name) {
      case BillingJob.ProcessStripeEvent:
        return this.events.process(String(job.data.eventId));
      case BillingJob.SettleCampaign:
        return this.billing.settle(String(job.data.campaignId));
      case BillingJob.ExpireCheckouts:
        return this.billing.expireCheckouts(String(job.data.campaignId));
      case BillingJob.SettleOutstanding:
        return this.billing.settleOutstanding();
      default: {
        const unknown: never = name;
        throw new Error(`unknown job ${String(unknown)}`);
      }
    }
  }
}
