import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../config/config';
import { upsertSchedules } from '../common/queue/schedules';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WEBHOOKS_QUEUE, WebhooksJob } from './webhooks.queue';

@Processor(WEBHOOKS_QUEUE)
export class WebhooksProcessor extends WorkerHost implements OnApplicationBootstrap {
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

  async process(job: Job): Promise<unknown> {
    const name = job.name as WebhooksJob;
    switch (name) {
      case WebhooksJob.FanOut:
        return this.deliveries.fanOut(String(job.data.eventId));
      case WebhooksJob.Deliver:
        return this.deliveries.deliver(String(job.data.deliveryId), Number(job.data.lease));
      case WebhooksJob.Sweep:
        return this.deliveries.sweep();
      default: {
        const unknown: never = name;
        throw new Error(`unknown job ${String(unknown)}`);
      }
    }
  }
}
