import type { RedisClient } from '../redis/redis.module';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppException } from '../problem/app.exception';

/**
 * A fixed-window counter in Redis (shared by every API process) with an in-process twin that takes over while
 * Redis cannot answer: limits must hold during an outage, or a Redis restart would be a window for guessing
 * passwords. The twin counts per process, so during an outage a client may get (processes × points); that is
 * the price of not failing open.
 */
export function insuredLimiter(
  redis: RedisClient,
  o: { keyPrefix: string; points: number; durationSeconds: number },
): RateLimiterRedis {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: o.keyPrefix,
    points: o.points,
    duration: o.durationSeconds,
    // Straight to the in-process twin while disconnected, instead of a command error per request.
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: o.keyPrefix, points: o.points, duration: o.durationSeconds }),
  });
}

/** 429 problem+json with Retry-After in whole seconds (at least 1). */
export function rateLimited(msBeforeNext: number): AppException {
  const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppException('rate_limited', `Too many requests; retry in ${retryAfter} s`, undefined, {
    'retry-after': String(retryAfter),
  });
}

export const isRejection = (v: unknown): v is RateLimiterRes => v instanceof RateLimiterRes;
