import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AuthGuard } from './auth/auth.guard';
import { AuthRegistry } from './auth/auth.registry';
import { RequestPrincipalInterceptor } from './auth/request-principal';
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
  imports: [RedisModule, QueuesModule, OutboxModule, MailModule, TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, MetricsController],
  providers: [
    AuthRegistry,
    PrivacyRegistry,
    LinkedAccountsRegistry,
    MetricsService,
    IdempotencyStore,
    AccountLimiter,
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
    // The audit log's actor, without threading the caller through every service (a cost on every route:
    // bench/README.md measures it; the idempotency interceptor is bound per route instead).
    { provide: APP_INTERCEPTOR, useClass: RequestPrincipalInterceptor },
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
