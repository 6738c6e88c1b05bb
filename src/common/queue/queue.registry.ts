import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { QUEUES, QueueName } from './queues';

export interface QueueLookup {
  get(name: string): Queue;
}

@Injectable()
export class QueueRegistry implements QueueLookup, OnModuleInit {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    for (const name of Object.values(QUEUES)) {
      this.queues.set(name, this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    }
  }

  get(name: QueueName | string): Queue {
    const q = this.queues.get(name);
    if (!q) throw new Error(`unknown queue ${name}`);
    return q;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }
}
