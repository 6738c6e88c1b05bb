import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Counter, Gauge, Histogram } from 'prom-client';
import { DataSource, EntityManager } from 'typeorm';
import { MetricsService } from '../common/metrics/metrics.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { DisabledReason } from './entities/endpoint.entity';
import { nextDelayMs, parseRetryAfter } from './retry-schedule';
import { webhookHeaders } from './signature';
import { SendResult, WebhookSender } from './webhook-http';
import {
  ATTEMPT_LOCK_MARGIN_MS,
  EVENT_RETENTION_DAYS,
  WEBHOOKS_QUEUE,
  WebhooksJob,
  deliverJobId,
} from './webhooks.queue';
import { ClaimedDelivery, Scheduled, WebhooksRepository } from './webhooks.repository';

/**
 * Called in the transaction that disabled an endpoint (410 or a long failure streak), so a notification written
 * to an outbox commits with the disable. The notifications context registers the brand's email here.
 */
export type EndpointDisabledHook = (
  m: EntityManager,
  e: { brandId: string; endpointId: string; reason: Exclude<DisabledReason, 'manual'> },
) => Promise<void>;

const SWEEP_BATCH = 500;
const WAITING_STATES = new Set<string>(['waiting', 'delayed', 'prioritized', 'waiting-children']);

type Outcome = 'succeeded' | 'http_error' | 'timeout' | 'refused' | 'network_error';

function outcomeOf(r: SendResult): Outcome {
  if (r.status !== null) return r.status >= 200 && r.status < 300 ? 'succeeded' : 'http_error';
  if (r.error?.startsWith('timeout')) return 'timeout';
  if (r.error?.startsWith('refused')) return 'refused';
  return 'network_error';
}

/** The retry loop: Postgres holds each delivery's state, BullMQ only its timer. */
@Injectable()
export class WebhookDeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly sender: WebhookSender;
  private readonly disabledHooks: EndpointDisabledHook[] = [];
  private readonly attempts: Counter<'outcome'>;
  private readonly duration: Histogram<'outcome'>;
  private readonly disabled: Counter<'reason'>;

  constructor(
    private readonly repo: WebhooksRepository,
    private readonly dataSource: DataSource,
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    this.sender = new WebhookSender(config.webhooks);
    const registers = [metrics.registry];
    this.attempts = new Counter({
      name: 'webhook_attempts_total',
      help: 'Outgoing webhook attempts by outcome (succeeded, http_error, timeout, refused, network_error)',
      labelNames: ['outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: 'webhook_attempt_duration_seconds',
      help: 'Duration of outgoing webhook attempts',
      labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
      registers,
    });
    this.disabled = new Counter({
      name: 'webhook_endpoints_disabled_total',
      help: 'Endpoints disabled automatically, by reason (gone = 410, failing = failure streak)',
      labelNames: ['reason'],
      registers,
    });
    const lag = (): Promise<number> => this.repo.lagSeconds();
    new Gauge({
      name: 'webhook_delivery_lag_seconds',
      help: 'How long the oldest due webhook delivery has been waiting past its time',
      registers,
      async collect() {
        try {
          this.set(await lag());
        } catch {
          // Postgres down: /health says so; the scrape still answers.
        }
      },
    });
  }

  onModuleDestroy(): void {
    this.sender.close();
  }

  onEndpointDisabled(hook: EndpointDisabledHook): void {
    this.disabledHooks.push(hook);
  }

  /** Queues the next attempt of each delivery. A failure here loses nothing: the sweeper re-queues from Postgres. */
  async schedule(deliveries: Scheduled[]): Promise<void> {
    if (!deliveries.length) return;
    const now = Date.now();
    await this.queue.addBulk(
      deliveries.map((d) => ({
        name: WebhooksJob.Deliver,
        data: { deliveryId: d.id, lease: d.lease },
        opts: { jobId: deliverJobId(d.id, d.lease), delay: Math.max(0, new Date(d.nextAttemptAt).getTime() - now) },
      })),
    );
  }

  async fanOut(eventId: string): Promise<number> {
    const due = await this.repo.fanOut(eventId);
    await this.schedule(due);
    return due.length;
  }

  async deliver(deliveryId: string, lease: number): Promise<Outcome | 'stale' | 'abandoned'> {
    const cfg = this.config.webhooks;
    const d = await this.repo.claimAttempt(deliveryId, lease, cfg.timeoutMs + ATTEMPT_LOCK_MARGIN_MS);
    if (!d) return 'stale';
    if (d.endpointStatus !== 'enabled' && d.origin !== 'test') {
      await this.repo.abandon(deliveryId, lease);
      return 'abandoned';
    }
    const secrets = await this.repo.liveSecrets(d.endpointId);
    const body = JSON.stringify({ type: d.type, timestamp: new Date(d.eventCreatedAt).toISOString(), data: d.data });
    const at = new Date();
    const r = await this.sender.send(
      d.url,
      webhookHeaders(secrets, d.eventId, Math.floor(at.getTime() / 1000), body),
      body,
    );
    const outcome = outcomeOf(r);
    this.attempts.inc({ outcome });
    this.duration.observe({ outcome }, r.durationMs / 1000);
    await this.afterAttempt(deliveryId, lease, d, at, r, outcome);
    return outcome;
  }

  private async afterAttempt(
    deliveryId: string,
    lease: number,
    d: ClaimedDelivery,
    at: Date,
    r: SendResult,
    outcome: Outcome,
  ): Promise<void> {
    const cfg = this.config.webhooks;
    const attempt = d.attempts + 1;
    const gone = r.status === 410;
    // A test send is one attempt and says nothing about the endpoint's health.
    const retrying = outcome !== 'succeeded' && !gone && d.origin !== 'test';
    const retryAfter = r.status === 429 || r.status === 503 ? parseRetryAfter(r.retryAfter) : null;
    const delay = retrying ? nextDelayMs(cfg.retryScheduleMs, attempt, retryAfter) : null;
    const nextAttemptAt = delay === null ? null : new Date(Date.now() + delay);
    const status = outcome === 'succeeded' ? 'succeeded' : nextAttemptAt ? 'pending' : 'failed';
    const recorded = await this.dataSource.transaction(async (m) => {
      const ok = await this.repo.recordAttempt(
        m,
        deliveryId,
        lease,
        {
          attempt,
          at,
          responseStatus: r.status,
          durationMs: r.durationMs,
          responseBody: r.body,
          error: r.error,
        },
        { status, nextAttemptAt },
      );
      if (!ok || d.origin === 'test') return ok;
      if (outcome === 'succeeded') {
        await this.repo.endpointSucceeded(m, d.endpointId);
        return ok;
      }
      const reason = await this.repo.endpointFailed(m, d.endpointId, gone, {
        failures: cfg.disableAfterFailures,
        afterMs: cfg.disableAfterMs,
      });
      if (reason && reason !== 'manual') {
        this.disabled.inc({ reason });
        this.logger.warn(`webhook endpoint ${d.endpointId} disabled (${reason})`);
        for (const hook of this.disabledHooks) await hook(m, { brandId: d.brandId, endpointId: d.endpointId, reason });
      }
      return ok;
    });
    if (recorded && nextAttemptAt) {
      await this.schedule([{ id: deliveryId, lease: lease + 1, nextAttemptAt }]).catch((err: Error) =>
        this.logger.warn(`retry of delivery ${deliveryId} not queued (the sweeper will): ${err.message}`),
      );
    }
  }

  /**
   * Re-queues deliveries whose job was lost; purges what is past retention. A job still waiting in Redis is left
   * alone (a backlog is not a loss); an active one past the attempt's lock belongs to a dead worker.
   */
  async sweep(): Promise<{ requeued: number; purged: number }> {
    let requeued = 0;
    for (let after: string | null = null; ;) {
      const batch = await this.repo.staleCandidates(this.config.webhooks.staleAfterMs, after, SWEEP_BATCH);
      const states = await Promise.all(
        batch.map(async (d) => (await this.queue.getJob(deliverJobId(d.id, d.lease)))?.getState() ?? 'missing'),
      );
      const lost = batch.filter((_, i) => !WAITING_STATES.has(states[i]));
      const renewed = await this.repo.renewLeases(lost);
      await this.schedule(renewed);
      requeued += renewed.length;
      if (batch.length < SWEEP_BATCH) break;
      after = batch[batch.length - 1].id;
    }
    if (requeued) this.logger.warn(`re-queued ${requeued} webhook deliveries whose job was lost`);
    const purged = await this.repo.purge(EVENT_RETENTION_DAYS);
    return { requeued, purged };
  }
}
