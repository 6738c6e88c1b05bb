import { QUEUES } from '../common/queue/queues';

export const PRIVACY_QUEUE = QUEUES.privacy;

export enum PrivacyJob {
  EraseMember = 'erase-member',
}

export interface EraseMemberPayload {
  [key: string]: string;
  influencerId: string;
}

/** Published (through the outbox) when a member withdraws `matching` or is erased; the matcher consumes it. */
export const MATCHING_WITHDRAWN_JOB = 'member-matching-withdrawn';
