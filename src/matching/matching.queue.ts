import { defineJobs } from '../common/messaging/catalogue';
import { OutboxMessage } from '../common/outbox/outbox.service';
import { QUEUES } from '../common/queue/queues';

export const MATCHING_QUEUE = QUEUES.matching;
export const OFFERS_QUEUE = QUEUES.offers;

export enum MatchingJob {
  /** Offer a campaign to the next wave of eligible members (activation, resume, top-up). */
  MatchCampaign = 'match-campaign',
  /** A member withdrew `matching` consent or was erased: withdraw their pending offers. */
  MemberWithdrawn = 'member-matching-withdrawn',
  /** The last unit was claimed: withdraw the campaign's other pending offers (after the claim commits). */
  CampaignSoldOut = 'campaign-sold-out',
  /** Schedule: a wave for every active campaign, for new members and new scores (the safety net). */
  MatchActiveCampaigns = 'match-active-campaigns',
  /** A score run finished: a wave for every active campaign now, not at the next sweep. */
  MatchAfterScoring = 'match-after-scoring',
  /** A member became matchable (consent granted, topic unhidden): a wave for the campaigns they may fit. */
  MatchMember = 'match-member',
}

export enum OffersJob {
  /** Schedule: expire pending offers past their TTL and top their campaigns up. */
  ExpireOffers = 'expire-offers',
}

export const MATCHING_SCHEDULES = [{ id: MatchingJob.MatchActiveCampaigns, everyMs: 5 * 60_000 }];
export const OFFERS_SCHEDULES = [{ id: OffersJob.ExpireOffers, everyMs: 60_000 }];

interface MatchCampaignPayload {
  [k: string]: string;
  campaignId: string;
}

interface MemberWithdrawnPayload {
  [k: string]: string;
  influencerId: string;
  reason: 'consent_withdrawn' | 'erased';
}

interface ScoreRunFinishedPayload {
  [k: string]: string;
  runId: string;
}

interface MatchMemberPayload {
  [k: string]: string | number;
  influencerId: string;
}

declare module '../common/messaging/catalogue' {
  interface JobCatalogue {
    matching: {
      [MatchingJob.MatchCampaign]: MatchCampaignPayload;
      [MatchingJob.MemberWithdrawn]: MemberWithdrawnPayload;
      [MatchingJob.CampaignSoldOut]: MatchCampaignPayload;
      [MatchingJob.MatchActiveCampaigns]: Record<string, never>;
      [MatchingJob.MatchAfterScoring]: ScoreRunFinishedPayload;
      [MatchingJob.MatchMember]: MatchMemberPayload;
    };
    offers: { [OffersJob.ExpireOffers]: Record<string, never> };
  }
}

defineJobs(MATCHING_QUEUE, {
  [MatchingJob.MatchCampaign]: true,
  [MatchingJob.MemberWithdrawn]: true,
  [MatchingJob.CampaignSoldOut]: true,
  [MatchingJob.MatchActiveCampaigns]: true,
  [MatchingJob.MatchAfterScoring]: true,
  [MatchingJob.MatchMember]: true,
});
defineJobs(OFFERS_QUEUE, { [OffersJob.ExpireOffers]: true });

export function campaignSoldOut(campaignId: string): OutboxMessage {
  return { queue: MATCHING_QUEUE, name: MatchingJob.CampaignSoldOut, payload: { campaignId } };
}

export function matchCampaign(campaignId: string): OutboxMessage {
  return { queue: MATCHING_QUEUE, name: MatchingJob.MatchCampaign, payload: { campaignId } };
}

/** Pending offers in flight per unit of remaining inventory: enough to sell out without flooding people. */
export const OFFERS_PER_REMAINING_UNIT = 2;
/** At most this many new offers per person per rolling 7 days. */
export const WEEKLY_OFFER_CAP = 5;
/** Serialises matcher waves across workers, so the weekly cap and "2 × remaining" hold under concurrency. */
export const MATCHING_LOCK_KEY = 0x5a41_0001;
