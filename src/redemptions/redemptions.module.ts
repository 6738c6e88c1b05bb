import { NotificationsModule } from '../notifications/notifications.module';
import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { InfluencersModule } from '../influencers/influencers.module';
import { MatchingModule } from '../matching/matching.module';
import { RedemptionsController } from './redemptions.controller';
import { RedemptionsRepository } from './redemptions.repository';
import { RedemptionsService } from './redemptions.service';
import { ScoringModule } from '../scoring/scoring.module';
import { TrackingModule } from '../tracking/tracking.module';
import { SharesController } from './shares.controller';
import { SharesRepository } from './shares.repository';
import { SharesService } from './shares.service';
import { WebhooksModule } from '../webhooks/webhooks.module';

@Module({
  imports: [
    MatchingModule,
    CampaignsModule,
    BillingModule,
    InfluencersModule,
    ScoringModule,
    TrackingModule,
    WebhooksModule,
    NotificationsModule,
  ],
  controllers: [RedemptionsController, SharesController],
  providers: [RedemptionsRepository, RedemptionsService, SharesRepository, SharesService],
  exports: [RedemptionsService, SharesService],
})
export class RedemptionsModule {}
