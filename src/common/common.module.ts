import { Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { CatalogueCheck } from './messaging/catalogue-check';
import { TerminusModule } from '@nestjs/terminus';
import { AuthGuard } from './auth/auth.guard';
import { AuthRegistry } from './auth/auth.registry';
import { HealthController } from './health/health.controller';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { OutboxModule } from './outbox/outbox.module';
import { QueuesModule } from './queue/queues.module';
import { AccountLimiter } from './rate-limit/account-limiter';
import { RateLimitGuard } from './rate-limit/rate-limit';
import { RedisModule } from './redis/redis.module';
import { PrivacyRegistry } from './privacy/privacy.registry';
import { LinkedAccountsRegistry } from './accounts/linked-accounts.registry';
import { MailModule } from './mail/mail.module';

/** Cross-cutting machinery, no business rules. Guards run in order: rate limit before credentials. */
@Global()
@Module({
  imports: [
    RedisModule,
    QueuesModule,
    OutboxModule,
    MailModule,
    DiscoveryModule,
    TerminusModule.forRoot({ logger: false }),
  ],
  controllers: [HealthController, MetricsController],
  providers: [
    AuthRegistry,
    PrivacyRegistry,
    LinkedAccountsRegistry,
    MetricsService,
    IdempotencyStore,
    AccountLimiter,
    CatalogueCheck,
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [
    AuthRegistry,
    PrivacyRegistry,
    LinkedAccountsRegistry,
    MetricsService,
    IdempotencyStore,
    AccountLimiter,
    RedisModule,
    QueuesModule,
    OutboxModule,
    MailModule,
  ],
})
export class CommonModule {}
