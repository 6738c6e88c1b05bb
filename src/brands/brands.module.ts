import { NotificationsModule } from '../notifications/notifications.module';
import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { AdminBrandsController, BrandsController } from './brands.controller';
import { BrandsRepository } from './brands.repository';
import { BrandsService } from './brands.service';

@Module({
  imports: [BillingModule, NotificationsModule],
  controllers: [BrandsController, AdminBrandsController],
  providers: [BrandsRepository, BrandsService],
  exports: [BrandsService],
})
export class BrandsModule {}
