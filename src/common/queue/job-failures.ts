import { WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Job } from 'bullmq';

/**
 * Every worker, in one place: a job whose handler throws is failed by BullMQ and retried with backoff
 * (DEFAULT_JOB_OPTIONS), and logged here with its queue, name, id and attempt — never its payload. A worker's
 * own `error` event (a lost Redis connection, a failed lock renewal) is logged too: an EventEmitter with no
 * `error` listener throws, which would end the process.
 */
@Injectable()
export class JobFailureLogger implements OnApplicationBootstrap {
  private readonly logger = new Logger('Jobs');

  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const host: unknown = wrapper.instance;
      if (!(host instanceof WorkerHost)) continue;
      let worker: WorkerHost['worker'];
      try {
        worker = host.worker;
      } catch {
        continue; // declared but not started (no worker in this role)
      }
      if (!worker) continue;
      worker.on('failed', (job: Job | undefined, err: Error) => {
        this.logger.error(
          {
            err,
            queue: worker.name,
            job: job?.name,
            jobId: job?.id,
            attempt: job?.attemptsMade,
            willRetry: job ? job.attemptsMade < (job.opts.attempts ?? 1) : false,
          },
          'job failed',
        );
      });
      worker.on('error', (err: Error) => this.logger.error({ err, queue: worker.name }, 'worker error'));
    }
  }
}
