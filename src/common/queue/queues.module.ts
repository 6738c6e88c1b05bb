import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { QueueRegistry } from './queue.registry';
import { DEFAULT_JOB_OPTIONS, QUEUES } from './queues';
import { ScheduleKeeper } from './schedules';

export function bullConnection(redisUrl: string): { url: string; maxRetriesPerRequest: null } {
  return { url: redisUrl, maxRetriesPerRequest: null };
}

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: bullConnection(config.redisUrl),
        // A hash tag keeps each queue's keys in one Redis Cluster slot.
        prefix: config.queuePrefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
    BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name }))),
  ],
  providers: [QueueRegistry, ScheduleKeeper],
  exports: [BullModule, QueueRegistry],
})
export class QueuesModule {}
