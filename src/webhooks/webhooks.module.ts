import { Module } from '@nestjs/common';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookEventsService } from './webhook-events.service';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';

/** Imports no business context, so every producer can import it without a cycle. */
@Module({
  controllers: [WebhooksController],
  providers: [WebhooksRepository, WebhookEventsService, WebhookDeliveryService, WebhookEndpointsService],
  exports: [WebhookEventsService, WebhookDeliveryService],
})
export class WebhooksModule {}
