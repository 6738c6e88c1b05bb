import { Module, OnModuleInit } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { BrandsModule } from '../brands/brands.module';
import { PrivacyRegistry } from '../common/privacy/privacy.registry';
import { ClickRecorder } from './click-recorder.service';
import { ConversionsRepository } from './conversions.repository';
import { ConversionsService } from './conversions.service';
import { RollupsRepository } from './rollups.repository';
import { RollupsService } from './rollups.service';
import { StripeConversionsService } from './stripe-conversions.service';
import { RedirectRoute } from './redirect.route';
import { ConversionsController } from './tracking.controller';
import { TrackingRepository } from './tracking.repository';
import { TrackingService } from './tracking.service';
import { WebhooksModule } from '../webhooks/webhooks.module';

@Module({
  imports: [BillingModule, BrandsModule, WebhooksModule],
  controllers: [ConversionsController],
  providers: [
    TrackingRepository,
    TrackingService,
    RedirectRoute,
    ClickRecorder,
    ConversionsRepository,
    ConversionsService,
    RollupsRepository,
    RollupsService,
    StripeConversionsService,
  ],
  exports: [RollupsService, ClickRecorder],
})
export class TrackingModule implements OnModuleInit {
  constructor(
    private readonly privacy: PrivacyRegistry,
    private readonly repo: TrackingRepository,
  ) {}

  onModuleInit(): void {
    this.privacy.register({
      name: 'clicks',
      export: (id, m) => this.repo.exportMemberClicks(m, id),
      // Clicks hold nothing about the member (their claim stays under the brand pseudonym) and only keyed,
      // day-rotated hashes of visitors: erasure keeps them so reports keep their totals.
      erase: () => Promise.resolve(),
    });
  }
}
