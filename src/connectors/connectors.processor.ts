import { InjectQueue, Processor } from '@nestjs/bullmq';
import { CatalogueProcessor, JobHandlers } from '../common/messaging/catalogue-processor';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, Job, Queue, UnrecoverableError } from 'bullmq';
import { upsertSchedules } from '../common/queue/schedules';
import { ConcurrencyCeiling } from '../common/queue/worker-concurrency';
import { CONNECTORS_QUEUE, CONNECTORS_SCHEDULES, ConnectorsJob, SyncAccountPayload } from './connectors.queue';
import { ConnectorsService } from './connectors.service';
import { SyncService } from './sync.service';

// Syncs wait on the networks, not on our CPU; a few at a time keep each instance's per-IP budget intact.
@Processor(CONNECTORS_QUEUE, { lockDuration: 120_000 })
@ConcurrencyCeiling(4)
export class ConnectorsProcessor extends CatalogueProcessor<typeof CONNECTORS_QUEUE> implements OnApplicationBootstrap {
  readonly handlers: JobHandlers<typeof CONNECTORS_QUEUE> = {
    [ConnectorsJob.SyncAccount]: (_d, job, token) => this.syncAccount(job, token),
    [ConnectorsJob.DailySync]: () => this.connectors.enqueueDaily(),
    [ConnectorsJob.PurgeOAuthStates]: () => this.connectors.purgeOAuthStates(),
  };

  private readonly logger = new Logger(ConnectorsProcessor.name);

  constructor(
    private readonly sync: SyncService,
    private readonly connectors: ConnectorsService,
    @InjectQueue(CONNECTORS_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    // Through the shared helper, so the schedule keeper restores them when Redis comes back empty.
    await upsertSchedules(this.queue, CONNECTORS_SCHEDULES);
  }

  private async syncAccount(job: Job<SyncAccountPayload>, token?: string): Promise<unknown> {
    const r = await this.sync.run(job.data.accountId).catch((err: Error) => {
      this.logger.error(`sync of account ${job.data.accountId} failed: ${err.message}`);
      throw err;
    });
    switch (r.kind) {
      case 'done':
      case 'skipped':
        return r;
      case 'rate_limited':
        // The network said when: wait until then without spending an attempt.
        await job.moveToDelayed(r.retryAt.getTime() + 1_000, token);
        throw new DelayedError();
      case 'failed':
        // Another 404/401 would follow; the daily run tries again tomorrow.
        if (r.permanent) throw new UnrecoverableError(r.error.message);
        throw r.error;
    }
  }
}
