import { InjectQueue, Processor } from '@nestjs/bullmq';
import { CatalogueProcessor, JobHandlers } from '../common/messaging/catalogue-processor';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { upsertSchedules } from '../common/queue/schedules';
import { NotificationDelivery } from './delivery.service';
import { DIGEST_CRON, RecipientKind } from './notification-kinds';
import { NOTIFICATIONS_QUEUE, NotificationsJob, REMIND_EVERY_MS, SWEEP_EVERY_MS } from './notifications.queue';
import { NotificationsService } from './notifications.service';

@Processor(NOTIFICATIONS_QUEUE)
export class NotificationsProcessor
  extends CatalogueProcessor<typeof NOTIFICATIONS_QUEUE>
  implements OnApplicationBootstrap
{
  readonly handlers: JobHandlers<typeof NOTIFICATIONS_QUEUE> = {
    [NotificationsJob.Deliver]: (d) => this.delivery.deliver(d.notificationId),
    [NotificationsJob.RemindExpiring]: () => this.notifications.remindExpiring(),
    [NotificationsJob.DigestFanOut]: (d) => this.delivery.fanOutDigests(d?.day),
    [NotificationsJob.Digest]: (d) => this.delivery.sendDigest(d.recipientKind as RecipientKind, d.recipientId, d.day),
    [NotificationsJob.Sweep]: () => this.delivery.sweep(),
    [NotificationsJob.OffersMade]: (d) => this.notifications.notifyOffersMade(d.campaignId),
  };

  constructor(
    private readonly delivery: NotificationDelivery,
    private readonly notifications: NotificationsService,
    @InjectQueue(NOTIFICATIONS_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await upsertSchedules(this.queue, [
      { id: NotificationsJob.RemindExpiring, everyMs: REMIND_EVERY_MS },
      { id: NotificationsJob.DigestFanOut, pattern: DIGEST_CRON },
      { id: NotificationsJob.Sweep, everyMs: SWEEP_EVERY_MS },
    ]);
  }
}
