import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobFailureLogger } from './job-failures';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { BULL_CONNECTION, bullConnection } from '../redis/redis.module';
import { QueueRegistry } from './queue.registry';
import { DEFAULT_JOB_OPTIONS, QUEUES } from './queues';
import { ScheduleKeeper } from './schedules';

@Global()
@Module({
  imports: [
    DiscoveryModule,
    BullModule.forRootAsync({
      inject: [APP_CONFIG, BULL_CONNECTION],
      useFactory: (config: AppConfig, connection: ReturnType<typeof bullConnection>) => ({
        connection,
        // A hash tag keeps each queue's keys in one Redis Cluster slot.
        prefix: config.queuePrefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
    BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name }))),
  ],
  providers: [QueueRegistry, ScheduleKeeper, JobFailureLogger],
  exports: [BullModule, QueueRegistry],
})
export class QueuesModule {}
