import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../../config/config';

export const REDIS = Symbol('REDIS');

/**
 * The shared client for rate limits, caches and health. Commands fail fast while Redis is down (no offline
 * queue), so callers can degrade instead of hanging; BullMQ keeps its own blocking connections.
 */
export function createRedis(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    lazyConnect: false,
  });
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const r = createRedis(config.redisUrl, 'sway-app');
        // Errors surface where commands are issued; without a listener ioredis would print each reconnect.
        r.on('error', () => undefined);
        return r;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
