/**
 * The typed catalogue of queues, jobs and events (issue #11). Nothing here names a context: each context adds
 * its own entries, in its own folder, by declaration merging —
 *
 *   // src/<ctx>/<ctx>.queue.ts: the queues it consumes, each with its job names and payloads
 *   declare module '../common/messaging/catalogue' {
 *     interface JobCatalogue { matching: { 'match-campaign': { campaignId: string } } }
 *   }
 *   defineJobs('matching', { 'match-campaign': true });          // the same names at run time
 *
 *   // src/<ctx>/<ctx>.events.ts: the events it produces (facts, named `<entity>.<past tense>`)
 *   declare module '../common/messaging/catalogue' {
 *     interface EventCatalogue { 'campaign.activated': { campaignId: string } }
 *   }
 *   defineEvents({ 'campaign.activated': true });
 *
 *   // src/<consumer>/<consumer>.subscriptions.ts: which of its jobs an event becomes
 *   subscribe('campaign.activated', 'matching', 'match-campaign');
 *
 * A producer publishes the event (OutboxService.publish) and never learns who consumes it. The check in
 * catalogue-check.ts refuses to start the app when a job, an event or a handler is left without its partner.
 */
/** @public each context's `<ctx>.queue.ts` extends it by declaration merging, which knip cannot follow. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface JobCatalogue {}
/** @public each producer's `<ctx>.events.ts` extends it by declaration merging. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface EventCatalogue {}

export type CatalogueQueue = Extract<keyof JobCatalogue, string>;
/** The job names as plain strings (contexts key them by string enums; the literal 'match-campaign' fits too). */
type JobsOf<Q extends CatalogueQueue> = {
  [K in keyof JobCatalogue[Q] & string as `${K}`]: JobCatalogue[Q][K];
};
export type JobName<Q extends CatalogueQueue> = keyof JobsOf<Q> & string;
export type JobPayload<Q extends CatalogueQueue, J extends JobName<Q>> = JobsOf<Q>[J];
export type EventName = Extract<keyof EventCatalogue, string>;
export type EventPayload<E extends EventName> = EventCatalogue[E];

/** A job message of any queue, discriminated by queue and name. */
export type JobMessage = {
  [Q in CatalogueQueue]: {
    [J in JobName<Q>]: { queue: Q; name: J; payload: JobPayload<Q, J>; delayMs?: number };
  }[JobName<Q>];
}[CatalogueQueue];

const jobs = new Map<string, Set<string>>();
const events = new Set<string>();
const subscriptions = new Map<string, { queue: string; job: string }[]>();

/**
 * Run-time twin of a queue's JobCatalogue entry. The `Record` makes the compiler insist that every job name in
 * the type is listed here too, so the start-up check sees exactly what the types declare.
 */
export function defineJobs<Q extends CatalogueQueue>(queue: Q, names: Record<JobName<Q>, true>): void {
  const set = jobs.get(queue) ?? new Set<string>();
  for (const n of Object.keys(names)) set.add(n);
  jobs.set(queue, set);
}

/** Run-time twin of a producer's EventCatalogue entries. */
export function defineEvents(names: Partial<Record<EventName, true>>): void {
  for (const n of Object.keys(names)) events.add(n);
}

/**
 * Consumer side: the event becomes job J on the consumer's own queue Q, with the event's payload (which must
 * be assignable to the job's payload).
 */
export function subscribe<E extends EventName, Q extends CatalogueQueue, J extends JobName<Q>>(
  event: E,
  queue: Q,
  job: J & (EventPayload<E> extends JobPayload<Q, J> ? J : never),
): void {
  const list = subscriptions.get(event) ?? [];
  if (!list.some((s) => s.queue === queue && s.job === job)) list.push({ queue, job });
  subscriptions.set(event, list);
}

export function subscribersOf(event: EventName): readonly { queue: string; job: string }[] {
  return subscriptions.get(event) ?? [];
}

/** The run-time catalogue, for the start-up check and the docs. */
export function catalogueSnapshot(): {
  jobs: Map<string, ReadonlySet<string>>;
  events: ReadonlySet<string>;
  subscriptions: ReadonlyMap<string, readonly { queue: string; job: string }[]>;
} {
  return { jobs: new Map(jobs), events: new Set(events), subscriptions: new Map(subscriptions) };
}
