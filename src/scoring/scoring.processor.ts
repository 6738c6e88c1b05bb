import { InjectQueue, Processor } from '@nestjs/bullmq';
import { CatalogueProcessor, JobHandlers } from '../common/messaging/catalogue-processor';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { upsertSchedules } from '../common/queue/schedules';
import { ConcurrencyCeiling } from '../common/queue/worker-concurrency';
import { SCORING_QUEUE, SCORING_SCHEDULES, ScoringJob } from './scoring.queue';
import { ScoringService } from './scoring.service';

// A full run holds one worker slot for up to a minute at 100k members; runs are serialised by an advisory lock
// anyway, so more concurrency would only queue connections.
@Processor(SCORING_QUEUE, { lockDuration: 120_000 })
@ConcurrencyCeiling(2)
export class ScoringProcessor extends CatalogueProcessor<typeof SCORING_QUEUE> implements OnApplicationBootstrap {
  readonly handlers: JobHandlers<typeof SCORING_QUEUE> = {
    [ScoringJob.Run]: (d) => this.scoring.executeRun(d.runId),
    [ScoringJob.Daily]: () => this.scoring.runDaily(),
    [ScoringJob.Partitions]: () => this.scoring.maintainPartitions(),
  };

  private readonly logger = new Logger(ScoringProcessor.name);

  constructor(
    private readonly scoring: ScoringService,
    @InjectQueue(SCORING_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await upsertSchedules(this.queue, SCORING_SCHEDULES);
    // Partitions exist before the first ingest after a deploy; the DEFAULT partition covers the gap until then.
    await this.scoring.maintainPartitions().catch((err: Error) => {
      this.logger.warn(`signal partition maintenance failed: ${err.message}`);
    });
  }
}
