import { loadConfig } from '../config/config';
import { MAX_RETRY_DELAY_MS, nextDelayMs, parseRetryAfter } from './retry-schedule';

const DAY = 86_400_000;

describe('retry schedule', () => {
  const schedule = loadConfig({
    DATABASE_URL: 'postgres://x@localhost/x',
    REDIS_URL: 'redis://localhost',
    ADMIN_TOKEN: 'a'.repeat(16),
    JWT_SECRET: 'j'.repeat(32),
  }).webhooks.retryScheduleMs;

  it('defaults to the issue schedule: ten attempts over about three days', () => {
    expect(schedule).toEqual([0, 5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 504e5, 72e6, 864e5]);
    const total = schedule.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(3 * DAY);
    expect(total).toBeLessThan(3.3 * DAY);
  });

  it('jitters by at most 10 % and stops when exhausted', () => {
    // After the first attempt comes the 5 s wait, after the second the 5 min one.
    expect(nextDelayMs(schedule, 1, null, () => 0.5)).toBe(5_000);
    expect(nextDelayMs(schedule, 2, null, () => 0)).toBe(300_000 * 0.9);
    expect(nextDelayMs(schedule, 2, null, () => 1)).toBe(300_000 * 1.1);
    expect(nextDelayMs(schedule, 10, null)).toBeNull();
  });

  it('lets a longer Retry-After win, never beyond a day', () => {
    expect(nextDelayMs([0, 1000], 1, 60_000, () => 0.5)).toBe(60_000);
    expect(nextDelayMs([0, 1000], 1, 10, () => 0.5)).toBe(1000);
    expect(nextDelayMs([0, 1000], 1, 9 * DAY, () => 0.5)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('parses Retry-After seconds and dates, ignores junk', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});
