import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { ScoringModule } from '../scoring/scoring.module';
import { TrustModule } from '../trust/trust.module';
import { ContestsController } from './contests.controller';
import { ContestsRepository } from './contests.repository';
import { ContestsService } from './contests.service';

@Module({
  imports: [ScoringModule, TrustModule, NotificationsModule],
  controllers: [ContestsController],
  providers: [ContestsRepository, ContestsService],
  exports: [ContestsService],
})
export class ContestsModule {}
