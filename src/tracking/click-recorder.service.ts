import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../common/metrics/metrics.service';
import { CLICK_BUFFER_MAX, CLICK_FLUSH_BATCH, CLICK_FLUSH_INTERVAL_MS } from './tracking.queue';
import { PendingClick, TrackingRepository } from './tracking.repository';

/**
 * The redirect never waits for the database: clicks wait here and are written in batches (one multi-row
 * statement each) every CLICK_FLUSH_INTERVAL_MS, early when a batch fills up, and on shutdown. What a crash can
 * lose is what sits in this buffer: at most one interval plus the flush in flight (≤ 1 s; docs/tracking.md).
 * On a graceful shutdown Nest first closes the HTTP server (in-flight redirects finish), then calls
 * onApplicationShutdown here before TypeORM's (this module is nearer the root), so the last clicks are written
 * while the pool is still open.
 */
@Injectable()
export class ClickRecorder implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ClickRecorder.name);
  private buffer: PendingClick[] = [];
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly written: Counter<'kind'>;
  private readonly dropped: Counter;
  private readonly flushSeconds: Histogram;

  constructor(
    private readonly repo: TrackingRepository,
    metrics: MetricsService,
  ) {
    this.written = new Counter({
      name: 'sway_clicks_recorded_total',
      help: 'Clicks written to the database, by kind',
      labelNames: ['kind'],
      registers: [metrics.registry],
    });
    this.dropped = new Counter({
      name: 'sway_clicks_dropped_total',
      help: 'Clicks dropped because the buffer was full (database unavailable for long)',
      registers: [metrics.registry],
    });
    this.flushSeconds = new Histogram({
      name: 'sway_click_flush_seconds',
      help: 'Duration of one click flush',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [metrics.registry],
    });
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), CLICK_FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  record(click: PendingClick): void {
    if (this.buffer.length >= CLICK_BUFFER_MAX) {
      this.dropped.inc();
      return;
    }
    this.buffer.push(click);
    if (this.buffer.length >= CLICK_FLUSH_BATCH && !this.flushing) void this.flush();
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Writes everything buffered; concurrent callers share the flush in progress. */
  flush(): Promise<void> {
    if (!this.flushing) this.flushing = this.drain().finally(() => (this.flushing = null));
    return this.flushing;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (let attempt = 0; attempt < 5; attempt++) {
      await this.flush();
      if (!this.buffer.length) return;
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
    this.logger.error(`shutdown: ${this.buffer.length} click(s) could not be written`);
  }

  private async drain(): Promise<void> {
    while (this.buffer.length) {
      const batch = this.buffer.slice(0, CLICK_FLUSH_BATCH);
      const end = this.flushSeconds.startTimer();
      try {
        await this.repo.insertClicks(batch);
      } catch (err) {
        // Kept for the next tick; the insert is idempotent, so a commit whose reply was lost is not doubled.
        this.logger.warn(`click flush of ${batch.length} failed, will retry: ${(err as Error).message}`);
        return;
      } finally {
        end();
      }
      this.buffer.splice(0, batch.length);
      for (const c of batch) this.written.inc({ kind: c.kind });
    }
  }
}
