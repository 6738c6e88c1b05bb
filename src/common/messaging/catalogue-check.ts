import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { catalogueSnapshot } from './catalogue';
import { CatalogueProcessor } from './catalogue-processor';

// @nestjs/bullmq's key for @Processor's options (not exported from its index).
const PROCESSOR_METADATA = 'bullmq:processor_metadata';

/**
 * What is wrong between the catalogue and the handlers that exist: a job nobody handles, a handler for a job
 * nobody declared, an event nobody subscribes to, a subscription to an unknown event or job.
 */
export function catalogueProblems(handlers: Map<string, ReadonlySet<string>>, withHandlers: boolean): string[] {
  const { jobs, events, subscriptions } = catalogueSnapshot();
  const problems: string[] = [];
  for (const event of events) {
    if (!subscriptions.get(event)?.length) problems.push(`event ${event} has no subscriber`);
  }
  for (const [event, subs] of subscriptions) {
    if (!events.has(event)) problems.push(`subscription to undeclared event ${event}`);
    for (const s of subs) {
      if (!jobs.get(s.queue)?.has(s.job))
        problems.push(`event ${event} is routed to undeclared job ${s.queue}/${s.job}`);
    }
  }
  if (!withHandlers) return problems;
  for (const [queue, names] of jobs) {
    const handled = handlers.get(queue);
    for (const job of names) {
      if (!handled?.has(job)) problems.push(`job ${queue}/${job} has no handler`);
    }
  }
  for (const [queue, handled] of handlers) {
    for (const job of handled) {
      if (!jobs.get(queue)?.has(job)) problems.push(`handler for ${queue}/${job} has no job in the catalogue`);
    }
  }
  return problems;
}

/** Queue → job names, from the processors' handler maps and their `@Processor` queue names. */
export function handlersOf(instances: unknown[], reflector = new Reflector()): Map<string, Set<string>> {
  const handlers = new Map<string, Set<string>>();
  for (const instance of instances) {
    if (!(instance instanceof CatalogueProcessor)) continue;
    const meta = reflector.get<{ name?: string } | string | undefined>(PROCESSOR_METADATA, instance.constructor);
    const queue = typeof meta === 'string' ? meta : meta?.name;
    if (!queue) throw new Error(`${instance.constructor.name} has no @Processor queue`);
    const set = handlers.get(queue) ?? new Set<string>();
    for (const job of Object.keys((instance as CatalogueProcessor<never>).handlers)) set.add(job);
    handlers.set(queue, set);
  }
  return handlers;
}

/**
 * Refuses to start (Immich's job repository does the same) rather than let a job wait forever in Redis or an
 * event vanish. Runs in every role; handlers are checked where the workers run.
 */
@Injectable()
export class CatalogueCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const handlers = handlersOf(
      this.discovery.getProviders().map((w) => w.instance as unknown),
      this.reflector,
    );
    const problems = catalogueProblems(handlers, this.config.role !== 'api');
    if (problems.length) {
      throw new Error(`message catalogue is inconsistent, refusing to start:\n  - ${problems.join('\n  - ')}`);
    }
  }
}
