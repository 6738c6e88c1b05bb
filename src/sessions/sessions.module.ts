import { NotificationsModule } from '../notifications/notifications.module';
import { Module } from '@nestjs/common';
import { InfluencersModule } from '../influencers/influencers.module';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

@Module({
  imports: [InfluencersModule, NotificationsModule],
  controllers: [SessionsController],
  providers: [SessionsRepository, SessionsService],
  exports: [SessionsService],
})
export class SessionsModule {}
