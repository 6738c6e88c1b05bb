import { InjectQueue, Processor } from '@nestjs/bullmq';
import { CatalogueProcessor, JobHandlers } from '../common/messaging/catalogue-processor';
import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../config/config';
import { upsertSchedules } from '../common/queue/schedules';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WEBHOOKS_QUEUE, WebhooksJob } from './webhooks.queue';

@Processor(WEBHOOKS_QUEUE)
export class WebhooksProcessor extends CatalogueProcessor<typeof WEBHOOKS_QUEUE> implements OnApplicationBootstrap {
  readonly handlers: JobHandlers<typeof WEBHOOKS_QUEUE> = {
    [WebhooksJob.FanOut]: (d) => this.deliveries.fanOut(d.eventId),
    [WebhooksJob.Deliver]: (d) => this.deliveries.deliver(d.deliveryId, Number(d.lease)),
    [WebhooksJob.Sweep]: () => this.deliveries.sweep(),
  };

  constructor(
    private readonly deliveries: WebhookDeliveryService,
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await upsertSchedules(this.queue, [{ id: WebhooksJob.Sweep, everyMs: this.config.webhooks.sweepEveryMs }]);
  }
}
