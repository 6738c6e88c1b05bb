import { QUEUES } from '../common/queue/queues';

export const TRUST_QUEUE = QUEUES.trust;

export enum TrustJob {
  /** Runs every fraud rule over the last days' raw rows (set-based, idempotent). */
  DetectSignals = 'detect-fraud-signals',
}

export const TRUST_SCHEDULES = [{ id: TrustJob.DetectSignals, everyMs: 5 * 60_000 }];
