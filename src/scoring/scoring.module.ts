import { Module } from '@nestjs/common';
import { InfluencersModule } from '../influencers/influencers.module';
import { ScoringController } from './scoring.controller';
import { ScoringRepository } from './scoring.repository';
import { ScoringService } from './scoring.service';
import { SignalsService } from './signals.service';

@Module({
  imports: [InfluencersModule],
  controllers: [ScoringController],
  providers: [ScoringRepository, ScoringService, SignalsService],
  exports: [ScoringService, SignalsService],
})
export class ScoringModule {}
