import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventName, EventPayload, JobMessage, subscribersOf } from '../messaging/catalogue';

/**
 * A job on a queue of the catalogue, typed by queue and job name (src/common/messaging/catalogue.ts). Payloads
 * are ids only — never personal data: the outbox and Redis outlive an erasure request.
 */
export type OutboxMessage = JobMessage;

@Injectable()
export class OutboxService {
  /**
   * A job on the caller's own queue. Must be called with the business transaction's manager: the job exists
   * if and only if the commit does.
   */
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

  /**
   * An event the caller's context owns: one outbox row per subscriber (the job it subscribed with), in the
   * caller's transaction. The producer never names a consumer; CatalogueCheck guarantees a subscriber exists.
   */
  async publish<E extends EventName>(manager: EntityManager, event: E, ...payloads: EventPayload<E>[]): Promise<void> {
    const subs = subscribersOf(event);
    if (!subs.length) throw new Error(`event ${event} has no subscriber`);
    const messages = subs.flatMap((s) => payloads.map((payload) => ({ queue: s.queue, name: s.job, payload })));
    // The subscription was type-checked against the job's payload when it was declared.
    await this.enqueue(manager, ...(messages as unknown as OutboxMessage[]));
  }
}
