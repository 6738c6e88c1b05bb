import { defineEvents } from '../common/messaging/catalogue';

/** Events the influencers context owns (published through OutboxService.publish, in the fact's transaction). */
declare module '../common/messaging/catalogue' {
  interface EventCatalogue {
    /** The member withdrew `matching` consent or was erased. */
    'member.matching_withdrawn': {
      [k: string]: string;
      influencerId: string;
      reason: 'consent_withdrawn' | 'erased';
    };
    /** The member granted `matching` consent. */
    'member.matching_granted': { [k: string]: string | number; influencerId: string };
    /** The member made a topic visible again (its published score counts for matching once more). */
    'member.topic_unhidden': { [k: string]: string | number; influencerId: string; topicId: number };
  }
}

defineEvents({ 'member.matching_withdrawn': true, 'member.matching_granted': true, 'member.topic_unhidden': true });
