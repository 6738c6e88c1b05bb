import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditLog } from '../audit/audit.service';
import { DataSource } from 'typeorm';
import { decodeCursor, Page, toPage } from '../common/pagination/pagination';
import { APP_CONFIG, AppConfig } from '../config/config';
import {
  CreateWebhookEndpointRequestDto,
  CreateWebhookEndpointResponseDto,
  DeliveryListQueryDto,
  QueuedDeliveryDto,
  ReplayRequestDto,
  ReplayResponseDto,
  RotateSecretResponseDto,
  UpdateWebhookEndpointRequestDto,
  WebhookAttemptDto,
  WebhookDeliveryDetailDto,
  WebhookDeliveryDto,
  WebhookEndpointDto,
} from './dto/webhook-endpoint.dto';
import { generateSecret } from './signature';
import { TEST_EVENT_TYPE } from './webhook-event-types';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { endpointUrlProblem } from './webhook-http';
import {
  InvalidReplayWindow,
  InvalidWebhookEndpoint,
  TooManyWebhookEndpoints,
  WebhookDeliveryNotFound,
  WebhookEndpointDisabled,
  WebhookEndpointNotFound,
} from './webhooks.exception';
import { EVENT_RETENTION_DAYS, MAX_ENDPOINTS_PER_BRAND, REPLAY_LIMIT } from './webhooks.queue';
import { EndpointRow, Scheduled, WebhooksRepository } from './webhooks.repository';

/** The brand-facing API of the webhooks context: endpoints, secrets, the delivery log, resend, replay, test. */
@Injectable()
export class WebhookEndpointsService {
  private readonly logger = new Logger(WebhookEndpointsService.name);

  constructor(
    private readonly repo: WebhooksRepository,
    private readonly dataSource: DataSource,
    private readonly deliveries: WebhookDeliveryService,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(brandId: string, dto: CreateWebhookEndpointRequestDto): Promise<CreateWebhookEndpointResponseDto> {
    this.checkUrl(dto.url);
    if ((await this.repo.countEndpoints(brandId)) >= MAX_ENDPOINTS_PER_BRAND) {
      throw new TooManyWebhookEndpoints(MAX_ENDPOINTS_PER_BRAND);
    }
    const secret = generateSecret();
    const row = await this.dataSource.transaction(async (m) => {
      const r = await this.repo.insertEndpoint(
        m,
        brandId,
        { url: dto.url, description: dto.description ?? null, eventTypes: dto.eventTypes },
        secret,
      );
      await this.audit.record(m, {
        brandId,
        action: 'webhook_endpoint.created',
        target: { type: 'webhook_endpoint', id: r.id },
        // The host only: a URL's path or query may carry the receiver's own secret.
        changes: { host: new URL(dto.url).host, eventTypes: dto.eventTypes },
      });
      return r;
    });
    return { endpoint: WebhookEndpointDto.fromRow(row), secret };
  }

  async list(brandId: string): Promise<{ data: WebhookEndpointDto[]; nextCursor: null }> {
    return {
      data: (await this.repo.listEndpoints(brandId)).map((r) => WebhookEndpointDto.fromRow(r)),
      nextCursor: null,
    };
  }

  async get(brandId: string, id: string): Promise<WebhookEndpointDto> {
    return WebhookEndpointDto.fromRow(await this.owned(brandId, id));
  }

  async update(brandId: string, id: string, dto: UpdateWebhookEndpointRequestDto): Promise<WebhookEndpointDto> {
    if (dto.url !== undefined) this.checkUrl(dto.url);
    await this.dataSource.transaction(async (m) => {
      const cur = await this.repo.findEndpoint(brandId, id, m, true);
      if (!cur) throw new WebhookEndpointNotFound();
      await this.repo.updateEndpoint(m, id, {
        url: dto.url ?? cur.url,
        description: dto.description === undefined ? cur.description : dto.description,
        eventTypes: dto.eventTypes ?? cur.eventTypes,
        status: dto.status ?? cur.status,
      });
      await this.audit.record(m, {
        brandId,
        action: 'webhook_endpoint.updated',
        target: { type: 'webhook_endpoint', id },
        changes: {
          fields: Object.keys(dto),
          ...(dto.url !== undefined ? { host: new URL(dto.url).host } : {}),
          ...(dto.status !== undefined ? { status: dto.status } : {}),
          ...(dto.eventTypes !== undefined ? { eventTypes: dto.eventTypes } : {}),
        },
      });
    });
    return this.get(brandId, id);
  }

  async remove(brandId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      if (!(await this.repo.deleteEndpoint(brandId, id, m))) throw new WebhookEndpointNotFound();
      await this.audit.record(m, {
        brandId,
        action: 'webhook_endpoint.deleted',
        target: { type: 'webhook_endpoint', id },
      });
    });
  }

  async rotateSecret(brandId: string, id: string, overlapHours = 24): Promise<RotateSecretResponseDto> {
    const secret = generateSecret();
    const until = await this.dataSource.transaction(async (m) => {
      if (!(await this.repo.findEndpoint(brandId, id, m, true))) throw new WebhookEndpointNotFound();
      await this.audit.record(m, {
        brandId,
        action: 'webhook_endpoint.secret_rotated',
        target: { type: 'webhook_endpoint', id },
        changes: { overlapHours },
      });
      return this.repo.rotateSecret(m, id, secret, overlapHours);
    });
    this.logger.log(`secret of webhook endpoint ${id} rotated (overlap ${overlapHours} h)`);
    return { secret, previousExpiresAt: new Date(until).toISOString() };
  }

  async listDeliveries(brandId: string, id: string, q: DeliveryListQueryDto): Promise<Page<WebhookDeliveryDto>> {
    await this.owned(brandId, id);
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, ['micros', 'uuid']);
    const rows = await this.repo.listDeliveries(id, after, limit + 1);
    return toPage(
      rows,
      limit,
      (r) => WebhookDeliveryDto.fromRow(r),
      (r) => [r.cursorUs, r.id],
    );
  }

  async getDelivery(brandId: string, id: string, deliveryId: string): Promise<WebhookDeliveryDetailDto> {
    await this.owned(brandId, id);
    const row = await this.repo.findDelivery(id, deliveryId);
    if (!row) throw new WebhookDeliveryNotFound();
    const attempts = await this.repo.attemptsOf(deliveryId);
    return { ...WebhookDeliveryDto.fromRow(row), attempts: attempts.map((a) => WebhookAttemptDto.fromRow(a)) };
  }

  /** A new delivery of the same event (same webhook-id) to this endpoint, with a fresh retry schedule. */
  async resend(brandId: string, id: string, deliveryId: string): Promise<QueuedDeliveryDto> {
    const endpoint = await this.enabled(brandId, id);
    const row = await this.repo.findDelivery(endpoint.id, deliveryId);
    if (!row) throw new WebhookDeliveryNotFound();
    const [d] = await this.queueNew(endpoint.id, 'resend', [row.eventId]);
    return { deliveryId: d.id };
  }

  /** Every event of the endpoint's types in [from, to), each with its original id and timestamp. */
  async replay(brandId: string, id: string, dto: ReplayRequestDto): Promise<ReplayResponseDto> {
    const from = new Date(dto.from);
    const to = new Date(dto.to);
    if (!(to > from)) throw new InvalidReplayWindow('to must be after from');
    if (from.getTime() < Date.now() - (EVENT_RETENTION_DAYS + 1) * 86_400_000) {
      throw new InvalidReplayWindow(`events are kept ${EVENT_RETENTION_DAYS} days; from is older than that`);
    }
    const endpoint = await this.enabled(brandId, id);
    const events = await this.repo.eventsInWindow(brandId, endpoint.eventTypes, from, to, REPLAY_LIMIT);
    await this.queueNew(
      endpoint.id,
      'replay',
      events.map((e) => e.id),
    );
    const last = events[events.length - 1];
    return {
      events: events.length,
      continueFrom: events.length === REPLAY_LIMIT ? new Date(last.createdAt).toISOString() : null,
    };
  }

  /** A sample event to this endpoint only: one attempt, no retries, no effect on the failure streak. */
  async test(brandId: string, id: string): Promise<QueuedDeliveryDto> {
    const endpoint = await this.owned(brandId, id);
    const [d] = await this.dataSource.transaction(async (m) => {
      const eventId = await this.repo.insertEvent(m, brandId, TEST_EVENT_TYPE, {
        endpointId: endpoint.id,
        message: 'A test event from Sway: your endpoint is reachable and verifies our signature.',
      });
      return this.repo.insertDeliveries(m, endpoint.id, 'test', [eventId]);
    });
    await this.scheduleQuietly([d]);
    return { deliveryId: d.id };
  }

  private async queueNew(endpointId: string, origin: 'resend' | 'replay', eventIds: string[]): Promise<Scheduled[]> {
    if (!eventIds.length) return [];
    const created = await this.dataSource.transaction((m) =>
      this.repo.insertDeliveries(m, endpointId, origin, eventIds),
    );
    await this.scheduleQuietly(created);
    return created;
  }

  /** The rows are committed: if Redis is away now, the sweeper queues them when it is back. */
  private async scheduleQuietly(d: Scheduled[]): Promise<void> {
    try {
      await this.deliveries.schedule(d);
    } catch (err) {
      this.logger.warn(`${d.length} delivery job(s) not queued now, the sweeper will: ${(err as Error).message}`);
    }
  }

  private async owned(brandId: string, id: string): Promise<EndpointRow> {
    const row = await this.repo.findEndpoint(brandId, id);
    if (!row) throw new WebhookEndpointNotFound();
    return row;
  }

  private async enabled(brandId: string, id: string): Promise<EndpointRow> {
    const row = await this.owned(brandId, id);
    if (row.status !== 'enabled') throw new WebhookEndpointDisabled();
    return row;
  }

  private checkUrl(url: string): void {
    const problem = endpointUrlProblem(url, this.config.webhooks.allowInsecure);
    if (problem) throw new InvalidWebhookEndpoint([{ field: 'url', message: problem }]);
  }
}
