import { Module } from '@nestjs/common';
import { BrandsModule } from '../brands/brands.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TeamsController } from './teams.controller';
import { TeamsRepository } from './teams.repository';
import { TeamsService } from './teams.service';

@Module({
  imports: [BrandsModule, SessionsModule],
  controllers: [TeamsController],
  providers: [TeamsRepository, TeamsService],
  exports: [TeamsService],
})
export class TeamsModule {}
