import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { REDIS, RedisClient } from '../redis/redis.module';
import { insuredLimiter, isRejection, rateLimited } from './limiters';

/** Attempts without delay, then 1 s, 2 s, 4 s … between attempts, at most 15 min; forgotten an hour after the first. */
export const ACCOUNT_LIMIT = { freeAttempts: 5, baseDelaySeconds: 1, maxDelaySeconds: 15 * 60, windowSeconds: 3600 };

/**
 * Per-account throttle for password checks, on top of the per-IP bucket: an attacker spreading guesses at one
 * account over many addresses still gets a handful per hour. Every attempt counts until one succeeds; after the
 * free ones each attempt opens a lock whose length doubles, and attempts inside it are refused without being
 * checked, whatever the password. The lock is taken atomically, so parallel guesses cannot slip through together.
 *
 * Use: `await limiter.attempt(key)` before verifying, `await limiter.succeeded(key)` after a success. The key is
 * the caller's account identity, namespaced (`member:<email>`); routes that log the same accounts in share a
 * key and so one budget. Keys are stored only as a keyed hash (an email is personal data). Throttles whether the
 * account exists or not, so a 429 tells nothing about membership. The lock is bounded, so an attacker can delay
 * a member's login but not lock them out for good.
 */
@Injectable()
export class AccountLimiter {
  private readonly attempts: RateLimiterRedis;
  private readonly locks: RateLimiterRedis;

  constructor(
    @Inject(REDIS) redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const prefix = `${config.queuePrefix}:rl:account`;
    // A counter that never refuses by itself: the decision is the lock's.
    this.attempts = insuredLimiter(redis, {
      keyPrefix: `${prefix}:n`,
      points: Number.MAX_SAFE_INTEGER,
      durationSeconds: ACCOUNT_LIMIT.windowSeconds,
    });
    // One attempt per lock window; each window's length is given at the attempt that opens it.
    this.locks = insuredLimiter(redis, { keyPrefix: `${prefix}:lock`, points: 1, durationSeconds: 1 });
  }

  /** Throws 429 (Retry-After) while the account is locked; otherwise counts the attempt. */
  async attempt(account: string): Promise<void> {
    if (!this.config.rateLimit.enabled) return;
    const key = this.key(account);
    const lock = await this.locks.get(key);
    if (lock && lock.consumedPoints >= 1 && lock.msBeforeNext > 0) throw rateLimited(lock.msBeforeNext);
    const n = (await this.attempts.consume(key)).consumedPoints;
    if (n <= ACCOUNT_LIMIT.freeAttempts) return;
    const delay = Math.min(
      ACCOUNT_LIMIT.baseDelaySeconds * 2 ** Math.min(n - ACCOUNT_LIMIT.freeAttempts - 1, 30),
      ACCOUNT_LIMIT.maxDelaySeconds,
    );
    try {
      await this.locks.consume(key, 1, { customDuration: delay });
    } catch (err) {
      // A parallel attempt opened the lock first.
      if (isRejection(err)) throw rateLimited(err.msBeforeNext);
      throw err;
    }
  }

  /** A successful login forgets the failures before it. */
  async succeeded(account: string): Promise<void> {
    if (!this.config.rateLimit.enabled) return;
    const key = this.key(account);
    await Promise.all([this.attempts.delete(key), this.locks.delete(key)]);
  }

  private key(account: string): string {
    return createHmac('sha256', this.config.hashSecret).update(`account-limit:${account}`).digest('base64url');
  }
}
