import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { MAINTENANCE_QUEUE, MAINTENANCE_SCHEDULES, MaintenanceJob } from './maintenance.queue';
import { upsertSchedules } from '../queue/schedules';

@Processor(MAINTENANCE_QUEUE)
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(MAINTENANCE_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await upsertSchedules(this.queue, MAINTENANCE_SCHEDULES);
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as MaintenanceJob;
    switch (name) {
      case MaintenanceJob.PurgeIdempotencyKeys: {
        const res: [unknown[], number] = await this.dataSource.query(
          `DELETE FROM idempotency_keys WHERE expires_at < now()`,
        );
        this.logger.log(`purged ${res[1]} expired idempotency keys`);
        return { purged: res[1] };
      }
      default: {
        const unknown: never = name;
        throw new Error(`unknown job ${String(unknown)}`);
      }
    }
  }
}
