import { Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit.service';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxService } from '../common/outbox/outbox.service';
import { decodeCursor, Page, toPage } from '../common/pagination/pagination';
import { AppException, FieldError } from '../common/problem/app.exception';
import { TopicsService } from '../topics/topics.service';
import { WebhookEventsService } from '../webhooks/webhook-events.service';
import { CampaignStatus, EDITABLE_STATUSES, TRANSITIONS, TransitionName, canTransition } from './campaign-status';
import {
  CampaignEnded,
  CampaignInWrongState,
  CampaignNotFound,
  InvalidCampaignDates,
  UnknownTargetingTopics,
} from './campaigns.exception';
import { COMPLETE_BATCH, matchCampaignMessage } from './campaigns.queue';
import { CampaignRow, CampaignValues, CampaignsRepository, UnitTaken } from './campaigns.repository';
import {
  CreateCampaignRequestDto,
  ListCampaignsQueryDto,
  TopicTargetDto,
  UpdateCampaignRequestDto,
} from './dto/campaign-request.dto';
import { CampaignResponseDto } from './dto/campaign-response.dto';

/** The slice of a campaign that billing prices and moves through funding. */
export interface CampaignForBilling {
  id: string;
  brandId: string;
  name: string;
  status: CampaignStatus;
  inventory: number;
  claimed: number;
  unitCostCents: number;
  currency: string;
  endsAt: Date | null;
  fundedCents: number;
  platformFeeBps: number | null;
}

/**
 * Called inside the transaction that ended campaigns, so follow-up work (refunds, expiring checkouts) is
 * written to the outbox atomically with the status change. Billing registers one; campaigns never imports it.
 */
export type CampaignsEndedHook = (
  m: EntityManager,
  change: { campaignIds: string[]; status: Extract<CampaignStatus, 'completed' | 'cancelled'> },
) => Promise<void>;

function toBilling(r: CampaignRow): CampaignForBilling {
  return {
    id: r.id,
    brandId: r.brandId,
    name: r.name,
    status: r.status,
    inventory: r.inventory,
    claimed: r.claimed,
    unitCostCents: Number(r.unitCostCents),
    currency: r.currency,
    endsAt: r.endsAt,
    fundedCents: Number(r.fundedCents),
    platformFeeBps: r.platformFeeBps,
  };
}

/** Audit log action per state change a person or key makes. */
const AUDIT_ACTIONS: Partial<Record<TransitionName, string>> = {
  pause: 'campaign.paused',
  resume: 'campaign.resumed',
  close: 'campaign.closed',
  cancel: 'campaign.cancelled',
};

@Injectable()
export class CampaignsService {
  private readonly endedHooks: CampaignsEndedHook[] = [];

  constructor(
    private readonly repo: CampaignsRepository,
    private readonly dataSource: DataSource,
    private readonly topics: TopicsService,
    private readonly outbox: OutboxService,
    private readonly webhooks: WebhookEventsService,
    private readonly audit: AuditLog,
  ) {}

  /** For the claim transaction: one unit, or null with the reason (status or sold out) to report. */
  async takeUnit(m: EntityManager, id: string): Promise<UnitTaken | { refused: CampaignStatus | 'sold_out' }> {
    const taken = await this.repo.takeUnit(m, id);
    if (taken) return taken;
    const row = await this.repo.lockById(m, id);
    if (!row) throw new CampaignNotFound();
    return { refused: row.status === 'active' ? 'sold_out' : row.status };
  }

  /** Public-facing facts of a campaign by id, for contexts that already checked access (claims, tracking). */
  async findById(id: string, m: EntityManager = this.dataSource.manager): Promise<CampaignRow | null> {
    return this.repo.findById(id, m);
  }

  onCampaignsEnded(hook: CampaignsEndedHook): void {
    this.endedHooks.push(hook);
  }

  async create(brandId: string, dto: CreateCampaignRequestDto): Promise<CampaignResponseDto> {
    await this.assertTopicsExist(dto.targeting.topics);
    const values: CampaignValues = {
      name: dto.name,
      perkTitle: dto.perk.title,
      perkDescription: dto.perk.description,
      perkKind: dto.perk.kind,
      unitCostCents: dto.perk.unitCostCents,
      currency: dto.perk.currency,
      inventory: dto.inventory,
      match: dto.targeting.match,
      minOverallScore: dto.targeting.minOverallScore ?? null,
      countries: dto.targeting.countries ?? null,
      landingUrl: dto.landingUrl,
      startsAt: dto.startsAt ? new Date(dto.startsAt) : null,
      endsAt: dto.endsAt ? new Date(dto.endsAt) : null,
      offerTtlHours: dto.offerTtlHours ?? 72,
      attributionWindowDays: dto.attributionWindowDays ?? 30,
    };
    checkDates(values, { endsAtChanged: values.endsAt !== null });
    const id = await this.dataSource.transaction(async (m) => {
      const id = await this.repo.insert(m, brandId, values);
      await this.storeTopics(m, id, dto.targeting.topics);
      await this.audit.record(m, {
        brandId,
        action: 'campaign.created',
        target: { type: 'campaign', id },
        changes: { campaignName: values.name, inventory: values.inventory, unitCostCents: values.unitCostCents },
      });
      return id;
    });
    return this.get(brandId, id);
  }

  async list(brandId: string, query: ListCampaignsQueryDto): Promise<Page<CampaignResponseDto>> {
    const limit = query.limit ?? 50;
    const after = decodeCursor(query.cursor, ['micros', 'uuid']);
    const rows = await this.repo.list(brandId, {
      status: query.status,
      after: after ?? undefined,
      limit: limit + 1,
    });
    return toPage(
      rows,
      limit,
      (r) => CampaignResponseDto.fromRow(r),
      (r) => [r.cursorTs, r.id],
    );
  }

  async get(brandId: string, id: string): Promise<CampaignResponseDto> {
    const row = await this.repo.find(brandId, id);
    if (!row) throw new CampaignNotFound();
    return CampaignResponseDto.fromRow(row);
  }

  async update(brandId: string, id: string, dto: UpdateCampaignRequestDto): Promise<CampaignResponseDto> {
    if (dto.targeting?.topics) await this.assertTopicsExist(dto.targeting.topics);
    await this.dataSource.transaction(async (m) => {
      const cur = await this.repo.lockOwned(m, brandId, id);
      if (!cur) throw new CampaignNotFound();
      if (!EDITABLE_STATUSES.includes(cur.status))
        throw new CampaignInWrongState('edit', cur.status, EDITABLE_STATUSES);
      const pick = <T>(v: T | undefined, old: T): T => (v === undefined ? old : v);
      const date = (v: string | null | undefined, old: Date | null): Date | null =>
        v === undefined ? old : v === null ? null : new Date(v);
      const values: CampaignValues = {
        name: pick(dto.name, cur.name),
        perkTitle: pick(dto.perk?.title, cur.perkTitle),
        perkDescription: pick(dto.perk?.description, cur.perkDescription),
        perkKind: pick(dto.perk?.kind, cur.perkKind),
        unitCostCents: pick(dto.perk?.unitCostCents, Number(cur.unitCostCents)),
        currency: pick(dto.perk?.currency, cur.currency),
        inventory: pick(dto.inventory, cur.inventory),
        match: pick(dto.targeting?.match, cur.match),
        minOverallScore: pick(dto.targeting?.minOverallScore, cur.minOverallScore),
        countries: pick(dto.targeting?.countries, cur.countries),
        landingUrl: pick(dto.landingUrl, cur.landingUrl),
        startsAt: date(dto.startsAt, cur.startsAt),
        endsAt: date(dto.endsAt, cur.endsAt),
        offerTtlHours: pick(dto.offerTtlHours, cur.offerTtlHours),
        attributionWindowDays: pick(dto.attributionWindowDays, cur.attributionWindowDays),
      };
      checkDates(values, { endsAtChanged: dto.endsAt !== undefined && dto.endsAt !== null });
      if (!(await this.repo.update(m, brandId, id, values))) {
        throw new CampaignInWrongState('edit', cur.status, EDITABLE_STATUSES);
      }
      if (dto.targeting?.topics) await this.storeTopics(m, id, dto.targeting.topics);
      // Field names only, plus the new values of the plain ones: what changed, not the whole campaign again.
      await this.audit.record(m, {
        brandId,
        action: 'campaign.updated',
        target: { type: 'campaign', id },
        changes: { fields: Object.keys(dto) },
      });
    });
    return this.get(brandId, id);
  }

  pause(brandId: string, id: string): Promise<CampaignResponseDto> {
    return this.move(brandId, id, 'pause', 'pause');
  }

  resume(brandId: string, id: string): Promise<CampaignResponseDto> {
    return this.move(brandId, id, 'resume', 'resume');
  }

  /** Completes the campaign; billing's hook refunds the unused budget (asynchronously, through the outbox). */
  close(brandId: string, id: string): Promise<CampaignResponseDto> {
    return this.move(brandId, id, 'close', 'close');
  }

  cancel(brandId: string, id: string): Promise<CampaignResponseDto> {
    return this.move(brandId, id, 'cancel', 'cancel');
  }

  /** The scheduled job: completes every running campaign past its end, in batches. Returns how many. */
  async completeEnded(): Promise<number> {
    let total = 0;
    for (;;) {
      const ids = await this.dataSource.transaction(async (m) => {
        const done = await this.repo.completeDue(m, COMPLETE_BATCH);
        if (done.length)
          await this.runEndedHooks(
            m,
            done.map((c) => c.id),
            'completed',
          );
        await this.webhooks.recordMany(
          m,
          done.map((c) => ({
            brandId: c.brandId,
            type: 'campaign.completed',
            data: { campaignId: c.id, reason: 'ended' },
          })),
        );
        return done;
      });
      total += ids.length;
      if (ids.length < COMPLETE_BATCH) return total;
    }
  }

  // ---- for billing, inside its transactions ----

  /** Locks the brand's campaign for the rest of the transaction; 404 when it is not this brand's. */
  async lockOwnedForBilling(m: EntityManager, brandId: string, id: string): Promise<CampaignForBilling> {
    const row = await this.repo.lockOwned(m, brandId, id);
    if (!row) throw new CampaignNotFound();
    return toBilling(row);
  }

  /** Operator and Stripe paths, which address a campaign by its own id rather than on a brand's behalf. */
  async lockByIdForBilling(m: EntityManager, id: string): Promise<CampaignForBilling | null> {
    const row = await this.repo.lockById(m, id);
    return row ? toBilling(row) : null;
  }

  async markPendingFunding(m: EntityManager, id: string): Promise<boolean> {
    const t = TRANSITIONS.requestFunding;
    return this.repo.transition(m, { id, brandId: null }, t.from, t.to);
  }

  async abandonFunding(m: EntityManager, id: string): Promise<boolean> {
    const t = TRANSITIONS.abandonFunding;
    return this.repo.transition(m, { id, brandId: null }, t.from, t.to);
  }

  /** Funded: becomes active and matching is queued in the same transaction. */
  async activateFunded(
    m: EntityManager,
    id: string,
    via: 'payment' | 'offline',
    funding: { fundedCents: number; feeBps: number },
  ): Promise<boolean> {
    const t = via === 'payment' ? TRANSITIONS.activateAfterPayment : TRANSITIONS.activateOffline;
    const ok = await this.repo.transition(m, { id, brandId: null }, t.from, t.to, { funding });
    if (ok) await this.outbox.enqueue(m, matchCampaignMessage(id));
    if (ok)
      await this.webhooks.record(m, (await this.repo.findById(id, m))!.brandId, 'campaign.activated', {
        campaignId: id,
        via,
        fundedCents: funding.fundedCents,
      });
    return ok;
  }

  private async move(brandId: string, id: string, name: TransitionName, action: string): Promise<CampaignResponseDto> {
    const t = TRANSITIONS[name];
    await this.dataSource.transaction(async (m) => {
      const ok = await this.repo.transition(m, { id, brandId }, t.from, t.to, { notEnded: name === 'resume' });
      if (!ok) {
        const cur = await this.repo.statusOf(m, { id, brandId });
        if (!cur) throw new CampaignNotFound();
        if (canTransition(name, cur.status) && cur.endsAt) throw new CampaignEnded(action, cur.endsAt);
        throw new CampaignInWrongState(action, cur.status, t.from);
      }
      await this.audit.record(m, {
        brandId,
        action: AUDIT_ACTIONS[name] ?? `campaign.${name}`,
        target: { type: 'campaign', id },
        changes: { status: t.to },
      });
      if (t.to === 'active') await this.outbox.enqueue(m, matchCampaignMessage(id));
      if (t.to === 'completed' || t.to === 'cancelled') await this.runEndedHooks(m, [id], t.to);
      if (t.to === 'completed')
        await this.webhooks.record(m, brandId, 'campaign.completed', { campaignId: id, reason: 'closed' });
    });
    return this.get(brandId, id);
  }

  private async runEndedHooks(m: EntityManager, ids: string[], status: 'completed' | 'cancelled'): Promise<void> {
    for (const hook of this.endedHooks) await hook(m, { campaignIds: ids, status });
  }

  private async assertTopicsExist(topics: TopicTargetDto[]): Promise<void> {
    const missing = new Set((await this.topics.missingSlugs(topics.map((t) => t.slug))).map((s) => s.toLowerCase()));
    if (!missing.size) return;
    throw new UnknownTargetingTopics(
      topics.map((t, index) => ({ index, slug: t.slug })).filter((t) => missing.has(t.slug.toLowerCase())),
    );
  }

  private async storeTopics(m: EntityManager, id: string, topics: TopicTargetDto[]): Promise<void> {
    const stored = await this.repo.replaceTopics(m, id, topics);
    // Topics are never deleted today; should one vanish between the check and the insert, say so rather than
    // store a campaign that targets less than was asked.
    if (stored !== topics.length) {
      throw new AppException('unprocessable', 'A targeting topic no longer exists; check the slugs and retry');
    }
  }
}

/** Dates in order, and an end that is still ahead when it is being set. */
function checkDates(v: CampaignValues, opts: { endsAtChanged: boolean }, now = new Date()): void {
  const errors: FieldError[] = [];
  if (v.startsAt && v.endsAt && v.endsAt <= v.startsAt) {
    errors.push({ field: 'endsAt', message: `must be after startsAt (${v.startsAt.toISOString()})` });
  } else if (opts.endsAtChanged && v.endsAt && v.endsAt <= now) {
    errors.push({ field: 'endsAt', message: 'must be in the future' });
  }
  if (errors.length) throw new InvalidCampaignDates(errors);
}
