import { QUEUES } from '../common/queue/queues';

export const REDEMPTIONS_QUEUE = QUEUES.redemptions;

export enum RedemptionsJob {
  PurgeShippedAddresses = 'purge-shipped-addresses',
}

export const REDEMPTIONS_SCHEDULES = [{ id: RedemptionsJob.PurgeShippedAddresses, everyMs: 60 * 60_000 }];

/** Days a shipping address stays on a fulfilled claim (for returns and lost parcels). */
export const SHIPPING_ADDRESS_RETENTION_DAYS = 30;
