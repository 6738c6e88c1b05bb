import { subscribe } from '../common/messaging/catalogue';
import '../campaigns/campaigns.events';
import '../influencers/influencers.events';
import '../scoring/scoring.events';
import { MATCHING_QUEUE, MatchingJob } from './matching.queue';

/** The events matching consumes, and the job each becomes on its own queue (docs/architecture.md). */
subscribe('campaign.activated', MATCHING_QUEUE, MatchingJob.MatchCampaign);
subscribe('member.matching_withdrawn', MATCHING_QUEUE, MatchingJob.MemberWithdrawn);
subscribe('member.matching_granted', MATCHING_QUEUE, MatchingJob.MatchMember);
subscribe('member.topic_unhidden', MATCHING_QUEUE, MatchingJob.MatchMember);
subscribe('scoring.run_finished', MATCHING_QUEUE, MatchingJob.MatchAfterScoring);
