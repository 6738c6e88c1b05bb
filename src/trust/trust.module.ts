import { NotificationsModule } from '../notifications/notifications.module';
import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { TrustController } from './trust.controller';
import { TrustRepository } from './trust.repository';
import { TrustService } from './trust.service';

/** Fraud signals (README.md). Reads the other contexts only through their published views. */
@Module({
  imports: [CampaignsModule, WebhooksModule, NotificationsModule],
  controllers: [TrustController],
  providers: [TrustRepository, TrustService],
  exports: [TrustService],
})
export class TrustModule {}
