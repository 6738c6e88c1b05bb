import { QUEUES } from '../common/queue/queues';
import { defineJobs } from '../common/messaging/catalogue';

/** Self-contained: the queue's name, its jobs and their payloads (ids only). */
export const CONNECTORS_QUEUE = QUEUES.connectors;

export enum ConnectorsJob {
  /** One account's sync (on link, manual, daily fan-out, retry); jobId `sync-<accountId>-<reason>`. */
  SyncAccount = 'sync-account',
  /** Daily: one SyncAccount job per verified account, so one failing account never holds up the others. */
  DailySync = 'daily-connector-sync',
  /** Hourly: expired OAuth authorisations. */
  PurgeOAuthStates = 'purge-oauth-states',
}

export interface SyncAccountPayload {
  [key: string]: string;
  accountId: string;
}

/** Before the daily score run (03:15 UTC), so the run sees the day's signals. Times are UTC. */
export const CONNECTORS_SCHEDULES: { id: ConnectorsJob; pattern: string }[] = [
  { id: ConnectorsJob.DailySync, pattern: '20 1 * * *' },
  { id: ConnectorsJob.PurgeOAuthStates, pattern: '7 * * * *' },
];

/** Bounded work per run (docs/connectors.md). */
export const SYNC_LIMITS = {
  sinceDays: 90,
  refreshDays: 14,
  maxPosts: 300,
  maxReactorsPerPost: 100,
  maxRequests: 600,
} as const;

/** A failed sync is retried with exponential backoff; a rate-limited one waits for the network's reset. */
export const SYNC_ATTEMPTS = 5;
export const SYNC_BACKOFF_MS = 30_000;
/** Manual syncs: at most one a minute per account. */
export const MANUAL_SYNC_INTERVAL_MS = 60_000;

declare module '../common/messaging/catalogue' {
  interface JobCatalogue {
    connectors: {
      [ConnectorsJob.SyncAccount]: SyncAccountPayload;
      [ConnectorsJob.DailySync]: Record<string, never>;
      [ConnectorsJob.PurgeOAuthStates]: Record<string, never>;
    };
  }
}
defineJobs(CONNECTORS_QUEUE, {
  [ConnectorsJob.SyncAccount]: true,
  [ConnectorsJob.DailySync]: true,
  [ConnectorsJob.PurgeOAuthStates]: true,
});
