import { QUEUES } from '../common/queue/queues';
import { defineJobs } from '../common/messaging/catalogue';

export const REDEMPTIONS_QUEUE = QUEUES.redemptions;

export enum RedemptionsJob {
  PurgeShippedAddresses = 'purge-shipped-addresses',
  /** Recompute recent shares' reach and engagements from newly arrived connector signals. */
  RefreshShareMetrics = 'refresh-share-metrics',
}

export const REDEMPTIONS_SCHEDULES = [
  { id: RedemptionsJob.PurgeShippedAddresses, everyMs: 60 * 60_000 },
  { id: RedemptionsJob.RefreshShareMetrics, everyMs: 15 * 60_000 },
];

/** Days a shipping address stays on a fulfilled claim (for returns and lost parcels). */
export const SHIPPING_ADDRESS_RETENTION_DAYS = 30;

/** Shares younger than this get their metrics refreshed; after that a post has had its audience. */
export const SHARE_METRICS_DAYS = 30;
export const SHARE_METRICS_BATCH = 1_000;

declare module '../common/messaging/catalogue' {
  interface JobCatalogue {
    redemptions: {
      [RedemptionsJob.PurgeShippedAddresses]: Record<string, never>;
      [RedemptionsJob.RefreshShareMetrics]: Record<string, never>;
    };
  }
}
defineJobs(REDEMPTIONS_QUEUE, {
  [RedemptionsJob.PurgeShippedAddresses]: true,
  [RedemptionsJob.RefreshShareMetrics]: true,
});
