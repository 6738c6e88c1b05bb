import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BillingModule } from './billing/billing.module';
import { BillingProcessor } from './billing/billing.processor';
import { BrandsModule } from './brands/brands.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { CampaignsProcessor } from './campaigns/campaigns.processor';
import { CommonModule } from './common/common.module';
import { MaintenanceProcessor } from './common/maintenance/maintenance.processor';
import { OutboxRelay } from './common/outbox/outbox.relay';
import { WorkerConcurrencyModule } from './common/queue/worker-concurrency';
import { APP_CONFIG, AppConfig } from './config/config';
import { typeOrmOptions } from './database/typeorm.options';
import { ReadReplicasModule } from './database/read-replicas';
import { TopicsModule } from './topics/topics.module';
import { MatchingModule } from './matching/matching.module';
import { MatchingProcessor, OffersProcessor } from './matching/matching.processor';
import { RedemptionsModule } from './redemptions/redemptions.module';
import { RedemptionsProcessor } from './redemptions/redemptions.processor';
import { InfluencersModule } from './influencers/influencers.module';
import { PrivacyProcessor } from './influencers/privacy.processor';
import { ScoringModule } from './scoring/scoring.module';
import { ScoringProcessor } from './scoring/scoring.processor';
import { SessionsModule } from './sessions/sessions.module';
import { ReportsModule } from './reports/reports.module';
import { TrackingModule } from './tracking/tracking.module';
import { ConnectorsModule } from './connectors/connectors.module';
import { ConnectorsProcessor } from './connectors/connectors.processor';
import { RollupsProcessor } from './tracking/tracking.processor';
import { WebhooksModule } from './webhooks/webhooks.module';
import { WebhooksProcessor } from './webhooks/webhooks.processor';
import { TrustModule } from './trust/trust.module';
import { TrustProcessor } from './trust/trust.processor';
import { NotificationsModule } from './notifications/notifications.module';
import { NotificationsProcessor } from './notifications/notifications.processor';
import { AuditModule } from './audit/audit.module';
import { TeamsModule } from './teams/teams.module';
import { ContestsModule } from './contests/contests.module';

@Module({})
class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}

/** Processors and the outbox relay exist only where ROLE includes the workers. */
@Module({
  imports: [
    InfluencersModule,
    ScoringModule,
    CampaignsModule,
    BillingModule,
    MatchingModule,
    RedemptionsModule,
    TrackingModule,
    WebhooksModule,
    WorkerConcurrencyModule,
    ConnectorsModule,
    TrustModule,
    NotificationsModule,
  ],
  providers: [
    OutboxRelay,
    MaintenanceProcessor,
    PrivacyProcessor,
    CampaignsProcessor,
    BillingProcessor,
    MatchingProcessor,
    OffersProcessor,
    RedemptionsProcessor,
    ScoringProcessor,
    RollupsProcessor,
    WebhooksProcessor,
    ConnectorsProcessor,
    TrustProcessor,
    NotificationsProcessor,
  ],
})
export class WorkersModule {}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const withWorkers = config.role === 'worker' || config.role === 'all';
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({
          ...typeOrmOptions(config.databaseUrl, {
            applicationName: `sway-${config.role}`,
            poolSize: config.databasePoolSize,
            preparedStatements: config.databasePreparedStatements,
          }),
          autoLoadEntities: false,
        }),
        ReadReplicasModule,
        CommonModule,
        TopicsModule,
        BrandsModule,
        InfluencersModule,
        ScoringModule,
        CampaignsModule,
        BillingModule,
        MatchingModule,
        RedemptionsModule,
        TrackingModule,
        ReportsModule,
        SessionsModule,
        WebhooksModule,
        ConnectorsModule,
        TrustModule,
        NotificationsModule,
        AuditModule,
        TeamsModule,
        ContestsModule,
        ...(withWorkers ? [WorkersModule] : []),
      ],
    };
  }
}
