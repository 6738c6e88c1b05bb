import { defineEvents } from '../common/messaging/catalogue';

/** Events the scoring context owns (published through OutboxService.publish, in the fact's transaction). */
declare module '../common/messaging/catalogue' {
  interface EventCatalogue {
    /** A score run committed: scores and their published flags changed. */
    'scoring.run_finished': { [k: string]: string; runId: string };
  }
}

defineEvents({ 'scoring.run_finished': true });
