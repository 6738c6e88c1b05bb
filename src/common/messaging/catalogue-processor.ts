import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import type { CatalogueQueue, JobName, JobPayload } from './catalogue';

/** One handler per job of queue Q; the compiler insists on all of them and on nothing else. */
export type JobHandlers<Q extends CatalogueQueue> = {
  [J in JobName<Q>]: (
    data: JobPayload<Q, J>,
    job: Job<JobPayload<Q, J>, unknown, J>,
    token?: string,
  ) => Promise<unknown>;
};

/**
 * A processor for one catalogue queue: it lists its handlers instead of switching on `job.name`, so the list is
 * exhaustive at compile time and visible at run time (CatalogueCheck compares it with the catalogue).
 */
export abstract class CatalogueProcessor<Q extends CatalogueQueue> extends WorkerHost {
  abstract readonly handlers: JobHandlers<Q>;

  process(job: Job, token?: string): Promise<unknown> {
    type Handler = (data: unknown, job: Job, token?: string) => Promise<unknown>;
    // The one cast: TypeScript cannot correlate a run-time job name with its handler's payload type.
    const handler = (this.handlers as unknown as Record<string, Handler | undefined>)[job.name];
    // Only a job published by a newer or older deploy gets here: fail it (retried, then kept for the operator).
    if (!handler) return Promise.reject(new Error(`no handler for job ${job.name} on queue ${job.queueName}`));
    return handler(job.data, job, token);
  }
}
