import { Module } from '@nestjs/common';
import { BrandsModule } from '../brands/brands.module';
import { SessionsModule } from '../sessions/sessions.module';
import { PasskeysController } from './passkeys.controller';
import { PasskeysRepository } from './passkeys.repository';
import { PasskeysService } from './passkeys.service';
import { TeamsController } from './teams.controller';
import { TeamsRepository } from './teams.repository';
import { TeamsService } from './teams.service';

@Module({
  imports: [BrandsModule, SessionsModule],
  controllers: [TeamsController, PasskeysController],
  providers: [TeamsRepository, TeamsService, PasskeysRepository, PasskeysService],
  exports: [TeamsService],
})
export class TeamsModule {}
