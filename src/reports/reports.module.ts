import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { InfluencersModule } from '../influencers/influencers.module';
import { MatchingModule } from '../matching/matching.module';
import { DashboardController } from './dashboard.controller';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';
import { TrustModule } from '../trust/trust.module';

@Module({
  imports: [CampaignsModule, MatchingModule, InfluencersModule, TrustModule],
  controllers: [ReportsController, DashboardController],
  providers: [ReportsRepository, ReportsService],
  exports: [ReportsService],
})
export class ReportsModule {}
