import { InjectQueue, Processor } from '@nestjs/bullmq';
import { CatalogueProcessor, JobHandlers } from '../messaging/catalogue-processor';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { MAINTENANCE_QUEUE, MAINTENANCE_SCHEDULES, MaintenanceJob } from './maintenance.queue';
import { upsertSchedules } from '../queue/schedules';

@Processor(MAINTENANCE_QUEUE)
export class MaintenanceProcessor
  extends CatalogueProcessor<typeof MAINTENANCE_QUEUE>
  implements OnApplicationBootstrap
{
  readonly handlers: JobHandlers<typeof MAINTENANCE_QUEUE> = {
    [MaintenanceJob.PurgeIdempotencyKeys]: async () => {
      const res: [unknown[], number] = await this.dataSource.query(
        `DELETE FROM idempotency_keys WHERE expires_at < now()`,
      );
      this.logger.log(`purged ${res[1]} expired idempotency keys`);
      return { purged: res[1] };
    },
  };

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
}
