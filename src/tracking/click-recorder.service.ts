import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../common/metrics/metrics.service';
import { CLICK_ACK_TIMEOUT_MS, CLICK_BUFFER_MAX, CLICK_FLUSH_BATCH, CLICK_RETRY_MS } from './tracking.queue';
import { PendingClick, TrackingRepository } from './tracking.repository';

interface Entry {
  click: PendingClick;
  deadline: number;
  /** Answers the redirect waiting for this click; null once answered (committed, or given up on). */
  settle: ((committed: boolean) => void) | null;
}

/**
 * Group commit for clicks: the redirect hands out a `sway_click` id only once its click is committed, so an id a
 * visitor holds always names a stored click (a conversion posted right after the click attributes to it; a crash
 * loses no acknowledged click). Clicks arriving together share one multi-row statement: a flush starts on the
 * next turn of the event loop after the first click, and whatever arrives while it runs goes into the next one,
 * so under load batches grow by themselves and an idle click waits one round trip.
 *
 * If the database cannot take a click within CLICK_ACK_TIMEOUT_MS the redirect still happens (links must work),
 * without a click id, counted in `sway_clicks_unacknowledged_total`. Such a click stays queued and is written
 * when the database answers again (it still counts in reports; nobody holds its id). On a graceful shutdown Nest
 * closes the HTTP server first (in-flight redirects finish), then calls onApplicationShutdown here before
 * TypeORM's, so clicks still queued are written while the pool is open.
 */
@Injectable()
export class ClickRecorder implements OnApplicationShutdown {
  private readonly logger = new Logger(ClickRecorder.name);
  private queue: Entry[] = [];
  private inFlight: Entry[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly written: Counter<'kind'>;
  private readonly unacknowledged: Counter<'reason'>;
  private readonly flushSeconds: Histogram;
  private readonly batchSize: Histogram;

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
    this.unacknowledged = new Counter({
      name: 'sway_clicks_unacknowledged_total',
      help: 'Redirects answered without a click id: the click was not committed in time (timeout) or not queued (buffer_full)',
      labelNames: ['reason'],
      registers: [metrics.registry],
    });
    this.flushSeconds = new Histogram({
      name: 'sway_click_flush_seconds',
      help: 'Duration of one click group commit',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [metrics.registry],
    });
    this.batchSize = new Histogram({
      name: 'sway_click_flush_rows',
      help: 'Clicks per group commit',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000],
      registers: [metrics.registry],
    });
  }

  /**
   * Queues the click; resolves true once it is committed, false when it was not within CLICK_ACK_TIMEOUT_MS
   * (or could not even be queued). Never rejects.
   */
  record(click: PendingClick): Promise<boolean> {
    if (this.queue.length + this.inFlight.length >= CLICK_BUFFER_MAX) {
      this.unacknowledged.inc({ reason: 'buffer_full' });
      return Promise.resolve(false);
    }
    return new Promise<boolean>((resolve) => {
      this.queue.push({ click, deadline: Date.now() + CLICK_ACK_TIMEOUT_MS, settle: resolve });
      this.armSweep(CLICK_ACK_TIMEOUT_MS);
      this.schedule();
    });
  }

  /** Starts a commit on the next turn unless one is scheduled, running (it picks new clicks up) or retrying. */
  private schedule(): void {
    if (this.scheduled || this.flushing || this.retryTimer || !this.queue.length) return;
    // setImmediate, not a microtask: every request parsed in this I/O phase joins the same commit.
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  get pending(): number {
    return this.queue.length + this.inFlight.length;
  }

  /** Writes everything queued; concurrent callers share the flush in progress. Never rejects. */
  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.drain().finally(() => {
        this.flushing = null;
        // A click queued between the drain's last look and now found a commit "running": start its own.
        this.schedule();
      });
    }
    return this.flushing;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    for (let attempt = 0; attempt < 5; attempt++) {
      await this.flush();
      if (!this.pending) break;
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweep(Infinity);
    if (this.pending) this.logger.error(`shutdown: ${this.pending} click(s) could not be written`);
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, CLICK_FLUSH_BATCH);
      this.inFlight = batch;
      const end = this.flushSeconds.startTimer();
      try {
        await this.repo.insertClicks(batch.map((e) => e.click));
      } catch (err) {
        // Back to the front, tried again shortly; the insert is idempotent, so a commit whose reply was lost is
        // not doubled. Redirects keep waiting until their deadline.
        this.queue = batch.concat(this.queue);
        this.inFlight = [];
        this.logger.warn(`click flush of ${batch.length} failed, will retry: ${(err as Error).message}`);
        this.retryTimer ??= setTimeout(() => {
          this.retryTimer = null;
          void this.flush();
        }, CLICK_RETRY_MS);
        this.retryTimer.unref();
        return;
      } finally {
        end();
      }
      this.inFlight = [];
      this.batchSize.observe(batch.length);
      for (const e of batch) {
        this.written.inc({ kind: e.click.kind });
        e.settle?.(true);
        e.settle = null;
      }
    }
  }

  private armSweep(inMs: number): void {
    if (this.sweepTimer) return;
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = null;
      this.sweep(Date.now());
    }, inMs);
    this.sweepTimer.unref();
  }

  /** Answers, without a click id, every redirect whose click is still not committed at `now`. */
  private sweep(now: number): void {
    let next = Infinity;
    for (const list of [this.inFlight, this.queue]) {
      for (const e of list) {
        if (!e.settle) continue;
        if (e.deadline <= now) {
          e.settle(false);
          e.settle = null;
          this.unacknowledged.inc({ reason: 'timeout' });
        } else if (e.deadline < next) next = e.deadline;
      }
    }
    if (next !== Infinity) this.armSweep(Math.max(1, next - now));
  }
}
