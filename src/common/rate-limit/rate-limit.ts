import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { REDIS, RedisClient } from '../redis/redis.module';
import { insuredLimiter, isRejection, rateLimited } from './limiters';

export type RateLimitBucket = 'default' | 'auth';
const RATE_LIMIT = 'sway:rate-limit';

/** `auth` is the strict bucket for signup and login: guessing passwords or mass-creating accounts. */
export const RateLimit = (bucket: RateLimitBucket): MethodDecorator => SetMetadata(RATE_LIMIT, bucket);

/** Fixed one-minute window per (bucket, client IP); still enforced, in process, while Redis is down. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiters: Record<RateLimitBucket, RateLimiterRedis>;

  constructor(
    private readonly reflector: Reflector,
    @Inject(REDIS) redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const make = (bucket: RateLimitBucket, points: number): RateLimiterRedis =>
      insuredLimiter(redis, { keyPrefix: `${config.queuePrefix}:rl:${bucket}`, points, durationSeconds: 60 });
    this.limiters = {
      default: make('default', config.rateLimit.defaultPerMinute),
      auth: make('auth', config.rateLimit.authPerMinute),
    };
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (!this.config.rateLimit.enabled) return true;
    const bucket =
      this.reflector.getAllAndOverride<RateLimitBucket | undefined>(RATE_LIMIT, [ctx.getHandler(), ctx.getClass()]) ??
      'default';
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    try {
      await this.limiters[bucket].consume(req.ip);
    } catch (err) {
      if (isRejection(err)) throw rateLimited(err.msBeforeNext);
      throw err;
    }
    return true;
  }
}
