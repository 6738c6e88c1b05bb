import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { QUEUES } from './queues';

export interface QueueLookup {
  get(name: string): Queue;
  /** Rows for any other queue stay in the outbox (a deploy that adds the queue will publish them). */
  names(): string[];
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

  get(name: string): Queue {
    const q = this.queues.get(name);
    if (!q) throw new Error(`unknown queue ${name}`);
    return q;
  }

  names(): string[] {
    return [...this.queues.keys()];
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }
}
