/**
 * When business events happen: a claim's, share's or click's timestamp (and so the report day it counts on).
 * Always the wall clock in the product. The demo runs Sway inside its own process and swaps the source to replay
 * a month of activity at the simulated timestamps through the same code paths; nothing a request carries can
 * change it, and infrastructure (timeouts, leases, queues, expiry checks) keeps reading the real time.
 */
let source: () => number = () => Date.now();

export function businessNow(): Date {
  return new Date(source());
}

/** For the demo (and tests of it) only: `null` restores the wall clock. */
export function setBusinessClock(fn: (() => number) | null): void {
  source = fn ?? ((): number => Date.now());
}
