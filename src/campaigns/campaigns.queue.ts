import { QUEUES } from '../common/queue/queues';
import { defineJobs } from '../common/messaging/catalogue';

export const CAMPAIGNS_QUEUE = QUEUES.campaigns;

export enum CampaignsJob {
  /** Completes running campaigns past `endsAt` (set-based); repeatable. */
  CompleteEnded = 'complete-ended-campaigns',
}

export const CAMPAIGNS_SCHEDULES: { id: CampaignsJob; everyMs: number }[] = [
  { id: CampaignsJob.CompleteEnded, everyMs: 60_000 },
];

/** How many campaigns one statement completes; the job loops until none are due. */
export const COMPLETE_BATCH = 500;

declare module '../common/messaging/catalogue' {
  interface JobCatalogue {
    campaigns: { [CampaignsJob.CompleteEnded]: Record<string, never> };
  }
}
defineJobs(CAMPAIGNS_QUEUE, { [CampaignsJob.CompleteEnded]: true });
