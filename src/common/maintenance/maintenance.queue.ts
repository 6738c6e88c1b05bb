import { defineJobs } from '../messaging/catalogue';
export const MAINTENANCE_QUEUE = 'maintenance';

export enum MaintenanceJob {
  PurgeIdempotencyKeys = 'purge-idempotency-keys',
}

/** Repeatable jobs: one scheduler id each, so N workers register one schedule, not N. */
export const MAINTENANCE_SCHEDULES: { id: MaintenanceJob; everyMs: number }[] = [
  { id: MaintenanceJob.PurgeIdempotencyKeys, everyMs: 60 * 60 * 1000 },
];

declare module '../messaging/catalogue' {
  interface JobCatalogue {
    maintenance: { [MaintenanceJob.PurgeIdempotencyKeys]: Record<string, never> };
  }
}
defineJobs('maintenance', { [MaintenanceJob.PurgeIdempotencyKeys]: true });
