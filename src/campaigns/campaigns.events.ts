import { defineEvents } from '../common/messaging/catalogue';

/** Events the campaigns context owns (published through OutboxService.publish, in the fact's transaction). */
declare module '../common/messaging/catalogue' {
  interface EventCatalogue {
    /** Became active (activation, resume, or funding that starts it): others may now act on it. */
    'campaign.activated': { [k: string]: string; campaignId: string };
  }
}

defineEvents({ 'campaign.activated': true });
