import { OutboxMessage } from '../common/outbox/outbox.service';
import { QUEUES } from '../common/queue/queues';

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

/** Consumed by the matching context: (re)compute offers for a campaign that became active. */
export function matchCampaignMessage(campaignId: string): OutboxMessage {
  return { queue: QUEUES.matching, name: 'match-campaign', payload: { campaignId } };
}
