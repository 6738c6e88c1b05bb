import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OutboxService } from '../common/outbox/outbox.service';
import { WebhookEventData, WebhookEventInput, WebhookEventType } from './webhook-event-types';
import { fanOutMessage } from './webhooks.queue';
import { WebhooksRepository } from './webhooks.repository';

/**
 * The one entry point for producers: call it inside the transaction of the fact itself. The event row and its
 * outbox message commit with the fact, so no fact is lost and a rolled-back one is never sent.
 */
@Injectable()
export class WebhookEventsService {
  constructor(
    private readonly repo: WebhooksRepository,
    private readonly outbox: OutboxService,
  ) {}

  record<T extends WebhookEventType>(
    manager: EntityManager,
    brandId: string,
    type: T,
    data: WebhookEventData[T],
  ): Promise<void> {
    return this.recordMany(manager, [{ brandId, type, data }]);
  }

  async recordMany(manager: EntityManager, events: WebhookEventInput[]): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('WebhookEventsService.record needs the transaction of the fact');
    }
    if (!events.length) return;
    const rows = await this.repo.insertEvents(manager, events);
    // Brands without a subscribed endpoint keep the event (for a later replay) but cost no queue round trip.
    const wanted = rows.filter((r) => r.wanted).map((r) => fanOutMessage(r.id));
    if (wanted.length) await this.outbox.enqueue(manager, ...wanted);
  }
}
