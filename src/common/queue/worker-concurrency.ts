import { WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Module, OnApplicationBootstrap, SetMetadata } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, Reflector } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '../../config/config';

const CEILING = 'sway:concurrency-ceiling';

/**
 * For a processor whose jobs serialise on a lock anyway: more slots than this would only hold database
 * connections while waiting, so WORKER_CONCURRENCY is capped at `max` for it.
 */
export const ConcurrencyCeiling = (max: number): ClassDecorator => SetMetadata(CEILING, max);

/**
 * WORKER_CONCURRENCY for every processor, in one place: `@Processor` options are static and cannot read config,
 * so each worker's concurrency is set once all workers exist (BullMQ applies it from the next fetch on).
 */
@Injectable()
class WorkerConcurrency implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    for (const { instance } of this.discovery.getProviders()) {
      if (!(instance instanceof WorkerHost)) continue;
      const ceiling = this.reflector.get<number | undefined>(CEILING, instance.constructor);
      instance.worker.concurrency = Math.min(this.config.workerConcurrency, ceiling ?? Infinity);
    }
  }
}

@Module({ imports: [DiscoveryModule], providers: [WorkerConcurrency] })
export class WorkerConcurrencyModule {}
