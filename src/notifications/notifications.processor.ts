import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { upsertSchedules } from '../common/queue/schedules';
import { NotificationDelivery } from './delivery.service';
import { DIGEST_CRON, RecipientKind } from './notification-kinds';
import { NOTIFICATIONS_QUEUE, NotificationsJob, REMIND_EVERY_MS, SWEEP_EVERY_MS } from './notifications.queue';
import { NotificationsService } from './notifications.service';

@Processor(NOTIFICATIONS_QUEUE)
export class NotificationsProcessor extends WorkerHost implements OnApplicationBootstrap {
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

  async process(job: Job): Promise<unknown> {
    const name = job.name as NotificationsJob;
    switch (name) {
      case NotificationsJob.Deliver:
        return this.delivery.deliver(String(job.data.notificationId));
      case NotificationsJob.RemindExpiring:
        return this.notifications.remindExpiring();
      case NotificationsJob.DigestFanOut:
        return this.delivery.fanOutDigests(typeof job.data?.day === 'string' ? job.data.day : undefined);
      case NotificationsJob.Digest:
        return this.delivery.sendDigest(
          job.data.recipientKind as RecipientKind,
          String(job.data.recipientId),
          String(job.data.day),
        );
      case NotificationsJob.Sweep:
        return this.delivery.sweep();
      default: {
        const unknown: never = name;
        throw new Error(`unknown job ${String(unknown)}`);
      }
    }
  }
}
