import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { InfluencersModule } from '../influencers/influencers.module';
import { MatchingModule } from '../matching/matching.module';
import { RedemptionsController } from './redemptions.controller';
import { RedemptionsRepository } from './redemptions.repository';
import { RedemptionsService } from './redemptions.service';

@Module({
  imports: [MatchingModule, CampaignsModule, BillingModule, InfluencersModule],
  controllers: [RedemptionsController],
  providers: [RedemptionsRepository, RedemptionsService],
  exports: [RedemptionsService],
})
export class RedemptionsModule {}
