import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { brandKeyedHash, normalizeEmail } from '../common/privacy/pseudonym';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { WebhookEventData } from '../webhooks/webhook-event-types';
import { WebhookEventsService } from '../webhooks/webhook-events.service';
import { ConversionInput, parseConversion } from './conversion-input';
import { ConversionRow, ConversionsRepository } from './conversions.repository';
import {
  BatchItemStatus,
  ConversionBatchResponseDto,
  ConversionBatchResultDto,
  ConversionDto,
  CreateConversionRequestDto,
} from './dto/conversion.dto';
import type { ConversionSource } from './entities/conversion.entity';
import { ConversionConflict, ConversionsInvalid } from './tracking.exception';

export interface IngestResult {
  status: Exclude<BatchItemStatus, 'invalid'>;
  row: ConversionRow;
}

function toConversionDto(r: ConversionRow): ConversionDto {
  const dto: ConversionDto = {
    id: r.id,
    orderId: r.orderId,
    attributed: r.campaignId !== null,
    possibleCodeLeak: r.possibleCodeLeak,
    amountCents: Number(r.amountCents),
    currency: r.currency,
    occurredAt: r.occurredAt.toISOString(),
    refundedCents: Number(r.refundedCents),
    source: r.source,
  };
  if (r.campaignId) dto.campaignId = r.campaignId;
  if (r.claimId) dto.claimId = r.claimId;
  if (r.attributedBy) dto.attributedBy = r.attributedBy;
  return dto;
}

function conversionEventData(r: ConversionRow): WebhookEventData['conversion.created'] {
  return {
    conversionId: r.id,
    orderId: r.orderId,
    amountCents: Number(r.amountCents),
    currency: r.currency,
    campaignId: r.campaignId,
    claimId: r.claimId,
    attributedBy: r.attributedBy,
    possibleCodeLeak: r.possibleCodeLeak,
    source: r.source,
  };
}

@Injectable()
export class ConversionsService {
  constructor(
    private readonly repo: ConversionsRepository,
    private readonly dataSource: DataSource,
    private readonly webhooks: WebhookEventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The customer's email as the self-referral rule compares it: keyed per brand like the claimant's. */
  emailHasher(brandId: string): (email: string) => Buffer {
    return (email) => brandKeyedHash(this.config.hashSecret, brandId, 'email', normalizeEmail(email));
  }

  /** 201 for a new order, 200 for a replay of the same order; a changed amount or currency is a 409. */
  async create(brandId: string, body: CreateConversionRequestDto): Promise<{ created: boolean; body: ConversionDto }> {
    const parsed = parseConversion(body, Date.now(), this.emailHasher(brandId));
    if ('errors' in parsed) throw new ConversionsInvalid(parsed.errors);
    const [r] = await this.ingest(brandId, [parsed.input], 'api');
    if (r.status === 'conflict') throw new ConversionConflict(parsed.input.orderId);
    return { created: r.status === 'created', body: toConversionDto(r.row) };
  }

  async batch(brandId: string, items: unknown[]): Promise<ConversionBatchResponseDto> {
    const now = Date.now();
    const hash = this.emailHasher(brandId);
    const parsed = items.map((raw) => parseConversion(raw, now, hash));
    const valid = parsed.flatMap((p) => ('input' in p ? [p.input] : []));
    const outcomes = valid.length ? await this.ingest(brandId, valid, 'api') : [];
    let k = 0;
    const results = parsed.map((p): ConversionBatchResultDto => {
      if ('errors' in p) return { orderId: p.orderId, status: 'invalid', conversionId: null, errors: p.errors };
      const o = outcomes[k++];
      const r: ConversionBatchResultDto = {
        orderId: o.row.orderId,
        status: o.status,
        conversionId: o.row.id,
        attributed: o.row.campaignId !== null,
      };
      if (o.row.campaignId) r.campaignId = o.row.campaignId;
      return r;
    });
    return { results };
  }

  /**
   * One set-based INSERT for all inputs, then one read of the orders that already existed. An order repeated
   * inside one request is inserted once; its other occurrences are judged against that row like any replay.
   */
  async ingest(
    brandId: string,
    inputs: ConversionInput[],
    source: ConversionSource,
    m?: EntityManager,
  ): Promise<IngestResult[]> {
    // The conversion.created events commit with the conversions.
    if (!m) return this.dataSource.transaction((tm) => this.ingest(brandId, inputs, source, tm));
    const firsts = new Map<string, ConversionInput>();
    for (const i of inputs) if (!firsts.has(i.orderId)) firsts.set(i.orderId, i);
    const inserted = await this.repo.insert(brandId, [...firsts.values()], source, m);
    await this.webhooks.recordMany(
      m,
      inserted.map((r) => ({ brandId, type: 'conversion.created', data: conversionEventData(r) })),
    );
    const rows = new Map(inserted.map((r) => [r.orderId, r]));
    const createdNow = new Set(rows.keys());
    const missing = [...firsts.keys()].filter((o) => !rows.has(o));
    if (missing.length) for (const r of await this.repo.byOrderIds(brandId, missing, m)) rows.set(r.orderId, r);
    const seen = new Set<string>();
    return inputs.map((i) => {
      const row = rows.get(i.orderId)!;
      const first = createdNow.has(i.orderId) && !seen.has(i.orderId);
      seen.add(i.orderId);
      if (first) return { status: 'created', row };
      const same = Number(row.amountCents) === i.amountCents && row.currency === i.currency;
      return { status: same ? 'existing' : 'conflict', row };
    });
  }

  async refund(m: EntityManager, brandId: string, paymentIntentId: string, refundedTotalCents: number) {
    const r = await this.repo.refund(m, brandId, paymentIntentId, refundedTotalCents);
    if (r?.deltaCents)
      await this.webhooks.record(m, brandId, 'conversion.refunded', {
        conversionId: r.id,
        refundedCents: r.refundedCents,
        deltaCents: r.deltaCents,
      });
    return r;
  }
}
