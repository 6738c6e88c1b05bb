import { QUEUES } from '../common/queue/queues';
import { defineJobs } from '../common/messaging/catalogue';

export const TRUST_QUEUE = QUEUES.trust;

export enum TrustJob {
  /** Runs every fraud rule over the last days' raw rows (set-based, idempotent). */
  DetectSignals = 'detect-fraud-signals',
}

export const TRUST_SCHEDULES = [{ id: TrustJob.DetectSignals, everyMs: 5 * 60_000 }];

declare module '../common/messaging/catalogue' {
  interface JobCatalogue {
    trust: {
      [TrustJob.DetectSignals]: Record<string, never>;
    };
  }
}
defineJobs(TRUST_QUEUE, { [TrustJob.DetectSignals]: true });
