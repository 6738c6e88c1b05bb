import { WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, SetMetadata } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, Reflector } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '../../config/config';

const CEILING = 'sway:concurrency-ceiling';

/**
 * For a processor whose jobs serialise on a lock anyway: more slots than this would only hold database
 * connections while waiting, so WORKER_CONCURRENCY (and WORKER_CONCURRENCY_<QUEUE>) is capped at `max` for it.
 */
export const ConcurrencyCeiling = (max: number): ClassDecorator => SetMetadata(CEILING, max);

/** A worker's slots: its queue's own setting if there is one, else WORKER_CONCURRENCY; never above its ceiling. */
function concurrencyFor(config: AppConfig, queue: string, ceiling: number | undefined): number {
  return Math.min(config.workerConcurrencyByQueue[queue] ?? config.workerConcurrency, ceiling ?? Infinity);
}

export function concurrencyCeilingOf(processor: abstract new (...args: never[]) => unknown): number | undefined {
  return new Reflector().get<number | undefined>(CEILING, processor);
}

/**
 * WORKER_CONCURRENCY for every processor, in one place: `@Processor` options are static and cannot read config,
 * so each worker's concurrency is set once all workers exist (BullMQ applies it from the next fetch on).
 */
@Injectable()
class WorkerConcurrency implements OnApplicationBootstrap {
  private readonly logger = new Logger('WorkerConcurrency');

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    for (const { instance } of this.discovery.getProviders()) {
      if (!(instance instanceof WorkerHost)) continue;
      const ceiling = concurrencyCeilingOf(instance.constructor as new () => WorkerHost);
      const queue = instance.worker.name;
      const asked = this.config.workerConcurrencyByQueue[queue];
      if (asked !== undefined && ceiling !== undefined && asked > ceiling) {
        this.logger.warn(`${queue}: WORKER_CONCURRENCY for it is ${asked}, capped at its ceiling of ${ceiling}`);
      }
      instance.worker.concurrency = concurrencyFor(this.config, queue, ceiling);
    }
  }
}

@Module({ imports: [DiscoveryModule], providers: [WorkerConcurrency] })
export class WorkerConcurrencyModule {}
