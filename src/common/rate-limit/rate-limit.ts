import { CanActivate, ExecutionContext, Inject, Injectable, Logger, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { AppException } from '../problem/app.exception';
import { REDIS } from '../redis/redis.module';

export type RateLimitBucket = 'default' | 'auth';
const RATE_LIMIT = 'sway:rate-limit';

/** `auth` is the strict bucket for signup and login: guessing passwords or mass-creating accounts. */
export const RateLimit = (bucket: RateLimitBucket): MethodDecorator => SetMetadata(RATE_LIMIT, bucket);

// Fixed one-minute window per (bucket, client); INCR and PEXPIRE in one script so a key never lives forever.
const SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}
`;

@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger(RateLimitGuard.name);

  constructor(
    private readonly reflector: Reflector,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (!this.config.rateLimit.enabled) return true;
    const bucket =
      this.reflector.getAllAndOverride<RateLimitBucket | undefined>(RATE_LIMIT, [ctx.getHandler(), ctx.getClass()]) ??
      'default';
    const limit = bucket === 'auth' ? this.config.rateLimit.authPerMinute : this.config.rateLimit.defaultPerMinute;
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const key = `${this.config.queuePrefix}:rl:${bucket}:${req.ip}`;
    let count: number;
    let ttlMs: number;
    try {
      [count, ttlMs] = (await this.redis.eval(SCRIPT, 1, key, 60_000)) as [number, number];
    } catch (err) {
      // Availability over limiting: a Redis outage must not take the API down with it.
      this.logger.warn(`rate limit unavailable: ${(err as Error).message}`);
      return true;
    }
    if (count > limit) {
      const retryAfter = Math.max(1, Math.ceil(ttlMs / 1000));
      throw new AppException('rate_limited', `Too many requests; retry in ${retryAfter} s`, undefined, {
        'retry-after': String(retryAfter),
      });
    }
    return true;
  }
}
