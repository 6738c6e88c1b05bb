import { NotificationsModule } from '../notifications/notifications.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { BillingController } from './billing.controller';
import { BillingRepository } from './billing.repository';
import { BillingService } from './billing.service';
import { StripeEventsService } from './stripe-events.service';
import { StripeGateway } from './stripe.gateway';
import { StripeWebhookController } from './stripe-webhook.controller';

@Module({
  imports: [CampaignsModule, WebhooksModule, NotificationsModule],
  controllers: [BillingController, StripeWebhookController],
  providers: [BillingRepository, BillingService, StripeEventsService, StripeGateway],
  exports: [BillingService, StripeEventsService, StripeGateway],
})
export class BillingModule {}
