import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { QueueLookup, QueueRegistry } from '../queue/queue.registry';
import { waitForReplicas } from '../redis/redis.module';

const OUTBOX_CHANNEL = 'sway_outbox';
const BATCH = 1_000;
// BullMQ's connection queues commands while Redis is away; bound the wait so the transaction rolls back.
const PUBLISH_TIMEOUT_MS = 5_000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      t = setTimeout(() => reject(new Error(`Redis did not accept the jobs within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(t));
}

interface OutboxRow {
  id: string;
  job_id: string;
  queue: string;
  job_name: string;
  payload: Record<string, unknown>;
}

/**
 * Moves committed outbox rows to BullMQ. Rows are deleted in the same transaction that publishes them: if
 * Redis refuses, the transaction rolls back and the rows wait for the next attempt; if the commit fails after
 * Redis accepted, the re-publish reuses jobId `outbox-<job_id>` and BullMQ drops the duplicate. With Redis
 * Cluster, "accepted" includes a replica's acknowledgement, so a master failover cannot lose a published row.
 */
export class OutboxPublisher {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueLookup,
    private readonly publishTimeoutMs = PUBLISH_TIMEOUT_MS,
  ) {}

  /** Publishes every due row; returns how many. Throws when Redis is unavailable (nothing is lost). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.dataSource.transaction(async (manager) => {
        // TypeORM answers a DELETE … RETURNING with [rows, affectedCount].
        const [rows] = await manager.query<[OutboxRow[], number]>(
          `DELETE FROM outbox WHERE id IN (
             SELECT id FROM outbox WHERE available_at <= now() AND queue = ANY($2) ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
           ) RETURNING id, job_id, queue, job_name, payload`,
          [BATCH, this.queues.names()],
        );
        const byQueue = new Map<string, OutboxRow[]>();
        for (const r of rows) byQueue.set(r.queue, [...(byQueue.get(r.queue) ?? []), r]);
        for (const [queue, list] of byQueue) {
          const jobs = list
            .sort((a, b) => Number(a.id) - Number(b.id))
            .map((r) => ({ name: r.job_name, data: r.payload, opts: { jobId: `outbox-${r.job_id}` } }));
          const q = this.queues.get(queue);
          await withTimeout(q.addBulk(jobs), this.publishTimeoutMs);
          // On a Redis Cluster the rows are deleted only once a replica holds the jobs too (see waitForReplicas).
          await withTimeout(
            q.client.then((c) => waitForReplicas(c, q.toKey('id'), this.publishTimeoutMs / 2)),
            this.publishTimeoutMs,
          );
        }
        return rows.length;
      });
      total += n;
      if (n < BATCH) return total;
    }
  }
}

/** Worker-side loop: wakes on NOTIFY from the insert trigger, and polls once a second as a fallback. */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly publisher: OutboxPublisher;
  private listener: Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private failures = 0;

  constructor(
    dataSource: DataSource,
    queues: QueueRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.publisher = new OutboxPublisher(dataSource, queues);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
    this.schedule(0);
  }

  private async listen(): Promise<void> {
    try {
      const client = new Client({ connectionString: this.config.databaseUrl, application_name: 'sway-outbox-listen' });
      client.on('error', () => {
        this.listener = null;
      });
      client.on('notification', () => this.kick());
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.listener = client;
    } catch (err) {
      this.logger.warn(`outbox LISTEN unavailable, polling only: ${(err as Error).message}`);
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), ms);
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async run(): Promise<void> {
    try {
      const n = await this.publisher.drain();
      if (n > 0) this.logger.debug(`published ${n} outbox message(s)`);
      if (this.failures > 0) this.logger.log('outbox relay recovered');
      this.failures = 0;
      this.schedule(1_000);
    } catch (err) {
      this.failures++;
      const delay = Math.min(30_000, 500 * 2 ** Math.min(this.failures, 6));
      if (this.failures === 1 || this.failures % 10 === 0) {
        this.logger.warn(`outbox relay failed (${this.failures}x), retrying in ${delay} ms: ${(err as Error).message}`);
      }
      this.schedule(delay);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.listener?.end().catch(() => undefined);
  }
}
