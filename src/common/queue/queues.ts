import type { DefaultJobOptions } from 'bullmq';

/**
 * Queue conventions: every context with async work declares its queue name, job names and payloads
 * in `<ctx>.queue.ts`; payloads carry ids, never personal data; job ids are deterministic so a re-publish
 * (outbox replay) is deduplicated by BullMQ, and handlers are idempotent because delivery is at-least-once.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Every queue, so the dashboard and the metrics see them all. Contexts add theirs here. */
export const QUEUES = {
  outbox: 'outbox',
  privacy: 'privacy',
  scoring: 'scoring',
  matching: 'matching',
  offers: 'offers',
  billingEvents: 'billing-events',
  rollups: 'rollups',
  maintenance: 'maintenance',
  redemptions: 'redemptions',
  campaigns: 'campaigns',
  webhooks: 'webhooks',
  connectors: 'connectors',
  trust: 'trust',
  notifications: 'notifications',
} as const;
