import { NotificationsModule } from '../notifications/notifications.module';
import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { InfluencersModule } from '../influencers/influencers.module';
import { MatchingController } from './matching.controller';
import { MatchingRepository } from './matching.repository';
import { MatchingService } from './matching.service';
import './matching.subscriptions';

@Module({
  imports: [CampaignsModule, InfluencersModule, NotificationsModule],
  controllers: [MatchingController],
  providers: [MatchingRepository, MatchingService],
  exports: [MatchingService],
})
export class MatchingModule {}
