import { Module } from '@nestjs/common';
import { ScoringController } from './scoring.controller';
import { ScoringRepository } from './scoring.repository';
import { ScoringService } from './scoring.service';
import { SignalsService } from './signals.service';

@Module({
  controllers: [ScoringController],
  providers: [ScoringRepository, ScoringService, SignalsService],
  exports: [ScoringService, SignalsService],
})
export class ScoringModule {}
