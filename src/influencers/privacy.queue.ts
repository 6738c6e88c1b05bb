import { QUEUES } from '../common/queue/queues';
import { defineJobs } from '../common/messaging/catalogue';

export const PRIVACY_QUEUE = QUEUES.privacy;

export enum PrivacyJob {
  EraseMember = 'erase-member',
}

interface EraseMemberPayload {
  [key: string]: string;
  influencerId: string;
}

declare module '../common/messaging/catalogue' {
  interface JobCatalogue {
    privacy: { [PrivacyJob.EraseMember]: EraseMemberPayload };
  }
}
defineJobs(PRIVACY_QUEUE, { [PrivacyJob.EraseMember]: true });
