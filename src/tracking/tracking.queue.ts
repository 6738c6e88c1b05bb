import { QUEUES } from '../common/queue/queues';
import { defineJobs } from '../common/messaging/catalogue';

export const ROLLUPS_QUEUE = QUEUES.rollups;

export enum RollupsJob {
  /** Recount every rollup from the raw rows and repair any difference (daily, and on demand by the operator). */
  Reconcile = 'reconcile-rollups',
  /** pg_partman's maintenance of `clicks`: partitions ahead, retention (folded into `dropped_clicks`). */
  Partitions = 'ensure-click-partitions',
  /** Drop the per-day visitor sets of days no click can land on any more. */
  PruneVisitors = 'prune-click-visitors',
}

export const ROLLUPS_SCHEDULES: { id: RollupsJob; pattern: string }[] = [
  { id: RollupsJob.Reconcile, pattern: '45 3 * * *' },
  { id: RollupsJob.Partitions, pattern: '10 0 * * *' },
  { id: RollupsJob.PruneVisitors, pattern: '20 0 * * *' },
];

interface ReconcilePayload {
  [k: string]: string | null;
  campaignId: string | null;
}

/**
 * A redirect waits at most this long for its click to be committed; after that it redirects without a click id
 * (ClickRecorder). Normally a click commits in one round trip plus the commit in flight ahead of it.
 */
export const CLICK_ACK_TIMEOUT_MS = 500;
/** The most rows one group commit carries; more queued clicks go into the next statement. */
export const CLICK_FLUSH_BATCH = 5_000;
/** Pause before retrying a group commit that failed (database restarting, failover). */
export const CLICK_RETRY_MS = 200;
/** With the database down, memory is bounded: beyond this many buffered clicks new ones are dropped (and counted). */
export const CLICK_BUFFER_MAX = 200_000;
/** Code → link is immutable once claimed (a campaign's landing URL is editable only in draft, before claims). */
export const LINK_CACHE_TTL_MS = 5 * 60_000;
/** Unknown codes are cached briefly so a flood of made-up codes does not become a flood of queries. */
export const LINK_CACHE_MISS_TTL_MS = 5_000;
export const LINK_CACHE_SIZE = 100_000;
/** Visitor sets older than this many days can be dropped: clicks are stamped with the time they happen. */
export const VISITOR_SET_RETENTION_DAYS = 2;

declare module '../common/messaging/catalogue' {
  interface JobCatalogue {
    rollups: {
      [RollupsJob.Reconcile]: ReconcilePayload;
      [RollupsJob.Partitions]: Record<string, never>;
      [RollupsJob.PruneVisitors]: Record<string, never>;
    };
  }
}
defineJobs(ROLLUPS_QUEUE, {
  [RollupsJob.Reconcile]: true,
  [RollupsJob.Partitions]: true,
  [RollupsJob.PruneVisitors]: true,
});
