/** The longest wait between two attempts, whatever a receiver's Retry-After asks for. */
export const MAX_RETRY_DELAY_MS = 24 * 3_600_000;

/**
 * The delay before attempt `attempt + 1` (attempts made so far: `attempt`), or null when the schedule is
 * exhausted. ±10 % jitter spreads retries of many deliveries that failed together (a receiver's outage).
 * A 429/503 `Retry-After` longer than the schedule's delay wins; a shorter one does not hurry the retry.
 */
export function nextDelayMs(
  schedule: readonly number[],
  attempt: number,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): number | null {
  if (attempt >= schedule.length) return null;
  const base = schedule[attempt];
  const jittered = Math.round(base * (0.9 + 0.2 * random()));
  return Math.min(MAX_RETRY_DELAY_MS, Math.max(jittered, retryAfterMs ?? 0));
}

/** RFC 9110 Retry-After: delay-seconds or an HTTP-date; anything else is ignored. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d{1,10}$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}
