import { NotificationsModule } from '../notifications/notifications.module';
import { Module } from '@nestjs/common';
import { TopicsModule } from '../topics/topics.module';
import { InfluencerTokens } from './influencer-tokens.service';
import { InfluencersController } from './influencers.controller';
import { InfluencersRepository } from './influencers.repository';
import { InfluencersService } from './influencers.service';
import { PrivacyService } from './privacy.service';

@Module({
  imports: [TopicsModule, NotificationsModule],
  controllers: [InfluencersController],
  providers: [InfluencersRepository, InfluencersService, InfluencerTokens, PrivacyService],
  exports: [InfluencersService, PrivacyService, InfluencerTokens],
})
export class InfluencersModule {}
