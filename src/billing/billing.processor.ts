import { InjectQueue, Processor } from '@nestjs/bullmq';
import { CatalogueProcessor, JobHandlers } from '../common/messaging/catalogue-processor';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { BILLING_QUEUE, BILLING_SCHEDULES, BillingJob } from './billing.queue';
import { BillingService } from './billing.service';
import { StripeEventsService } from './stripe-events.service';
import { upsertSchedules } from '../common/queue/schedules';

@Processor(BILLING_QUEUE)
export class BillingProcessor extends CatalogueProcessor<typeof BILLING_QUEUE> implements OnApplicationBootstrap {
  readonly handlers: JobHandlers<typeof BILLING_QUEUE> = {
    [BillingJob.ProcessStripeEvent]: (d) => this.events.process(d.eventId),
    [BillingJob.SettleCampaign]: (d) => this.billing.settle(d.campaignId),
    [BillingJob.ExpireCheckouts]: (d) => this.billing.expireCheckouts(d.campaignId),
    [BillingJob.SettleOutstanding]: () => this.billing.settleOutstanding(),
  };

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
}
