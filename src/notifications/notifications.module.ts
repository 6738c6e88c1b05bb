import { Module, OnModuleInit } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { CampaignsService } from '../campaigns/campaigns.service';
import { WebhookDeliveryService } from '../webhooks/webhook-delivery.service';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { NotificationDelivery } from './delivery.service';
import { NotificationDirectory } from './directory';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

/**
 * Imports only contexts that import no business context themselves (campaigns, webhooks: their hooks are facts
 * we report), so every producer can import this module without a cycle.
 */
@Module({
  imports: [CampaignsModule, WebhooksModule],
  controllers: [NotificationsController],
  providers: [NotificationsService, NotificationDirectory, NotificationDelivery],
  exports: [NotificationsService, NotificationDirectory, NotificationDelivery],
})
export class NotificationsModule implements OnModuleInit {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly campaigns: CampaignsService,
    private readonly webhooks: WebhookDeliveryService,
  ) {}

  onModuleInit(): void {
    this.campaigns.onCampaignsEnded(async (m, { campaignIds, status }) => {
      if (status !== 'completed' || !campaignIds.length) return;
      const rows: { id: string; brandId: string; name: string }[] = await m.query(
        `SELECT id, brand_id AS "brandId", name FROM campaigns.campaign_facts WHERE id = ANY($1::uuid[])`,
        [campaignIds],
      );
      for (const c of rows)
        await this.notifications.record(m, {
          to: { kind: 'brand', id: c.brandId },
          kind: 'campaign_completed',
          key: `campaign-completed:${c.id}`,
          params: { campaignId: c.id, campaignName: c.name },
        });
    });
    this.webhooks.onEndpointDisabled(async (m, e) => {
      await this.notifications.record(m, {
        to: { kind: 'brand', id: e.brandId },
        kind: 'webhook_endpoint_disabled',
        key: `webhook-disabled:${e.endpointId}:${Date.now()}`,
        params: { endpointId: e.endpointId, reason: e.reason },
      });
    });
  }
}
