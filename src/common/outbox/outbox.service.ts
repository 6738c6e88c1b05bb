import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { QueueName } from '../queue/queues';

export interface OutboxMessage {
  queue: QueueName;
  name: string;
  /** Ids only — never personal data: the outbox and Redis outlive an erasure request. */
  payload: Record<string, string | number | boolean | null>;
  delayMs?: number;
}

@Injectable()
export class OutboxService {
  /** Must be called with the business transaction's manager: the job exists if and only if the commit does. */
  async enqueue(manager: EntityManager, ...messages: OutboxMessage[]): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxService.enqueue needs a transactional EntityManager');
    }
    if (messages.length === 0) return;
    const params: unknown[] = [];
    const rows = messages.map((m, i) => {
      params.push(m.queue, m.name, JSON.stringify(m.payload), m.delayMs ?? 0);
      const b = i * 4;
      return `($${b + 1}, $${b + 2}, $${b + 3}::jsonb, now() + ($${b + 4}::int * interval '1 millisecond'))`;
    });
    await manager.query(
      `INSERT INTO outbox (queue, job_name, payload, available_at) VALUES ${rows.join(', ')}`,
      params,
    );
  }
}
