import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditActor, AuditLog } from '../audit/audit.service';
import { CampaignsService } from '../campaigns/campaigns.service';
import { decodeCursor, Page, toPage } from '../common/pagination/pagination';
import { PrivacyRegistry } from '../common/privacy/privacy.registry';
import { NotificationsService } from '../notifications/notifications.service';
import { WebhookEventsService } from '../webhooks/webhook-events.service';
import { FraudSignalDto, FraudSignalListQueryDto, FraudVerdictListDto } from './dto/fraud-signal.dto';
import { LOOKBACK_DAYS, RULE_EXPLANATIONS, SIGNAL_TYPES, SignalStatus } from './rules';
import { FraudSignalNotFound } from './trust.exception';
import { Exclusions, NO_EXCLUSIONS, OpenedSignal, SignalRow, TrustRepository } from './trust.repository';

export type SignalDecision = 'confirm' | 'dismiss';

function toDto(r: SignalRow): FraudSignalDto {
  const dto: FraudSignalDto = {
    id: r.id,
    type: r.type,
    severity: r.severity,
    status: r.status,
    evidence: r.evidence,
    openedAt: r.openedAt.toISOString(),
  };
  if (r.claimId) dto.claimId = r.claimId;
  if (r.resolvedAt) dto.resolvedAt = r.resolvedAt.toISOString();
  if (r.note !== null) dto.note = r.note;
  return dto;
}

/** UTC midnight `days` days ago: rules group by UTC day or minute, so a day-aligned start never splits a group. */
function lookbackStart(now: Date, days = LOOKBACK_DAYS): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days));
}

/**
 * Fraud signals (issue 17): rules flag, brands decide. Detection is set-based SQL per rule over the other
 * contexts' published views (TrustRepository), each rule in its own transaction with the `fraud_signal.opened`
 * webhook events of what it opened.
 */
@Injectable()
export class TrustService implements OnModuleInit {
  private readonly logger = new Logger(TrustService.name);

  constructor(
    private readonly repo: TrustRepository,
    private readonly dataSource: DataSource,
    private readonly campaigns: CampaignsService,
    private readonly webhooks: WebhookEventsService,
    private readonly audit: AuditLog,
    private readonly notifications: NotificationsService,
    private readonly privacy: PrivacyRegistry,
  ) {}

  onModuleInit(): void {
    this.privacy.register({
      name: 'fraudVerdicts',
      // What the member is already shown (GET /v1/me/fraud-verdicts): the confirmed verdicts about their own claims.
      // Open signals and evidence stay out: evidence names other members' claims, and an undecided flag is not a
      // finding about anyone yet.
      export: async (id, m) => (await this.memberVerdicts(id, m)).data,
      // Nothing personal to erase here: signals hold claim ids and counts, never an email, address or hash, and
      // the claims they point to are pseudonymised by the redemptions context's own erasure.
      erase: () => Promise.resolve(),
    });
  }

  /** Runs every rule; returns how many signals were opened. Safe to run concurrently and as often as wanted. */
  async detect(now = new Date()): Promise<number> {
    const since = lookbackStart(now);
    let opened = 0;
    for (const type of SIGNAL_TYPES) {
      const rows = await this.dataSource.transaction(async (m) => {
        const found: OpenedSignal[] = await this.repo.detect(m, type, since);
        await this.webhooks.recordMany(
          m,
          found.map((s) => ({
            brandId: s.brandId,
            type: 'fraud_signal.opened' as const,
            data: { signalId: s.id, campaignId: s.campaignId, claimId: s.claimId, type: s.type, severity: s.severity },
          })),
        );
        // The roles that decide on fraud hear of it; the mail names the rule, never a member's data.
        for (const s of found) {
          await this.notifications.record(m, {
            to: { kind: 'brand', id: s.brandId },
            kind: 'fraud_signal_opened',
            key: `fraud:${s.id}`,
            params: { signal: s.type.replace(/_/g, ' ') },
          });
        }
        return found;
      });
      if (rows.length) this.logger.log(`${type}: ${rows.length} signal(s) opened`);
      opened += rows.length;
    }
    return opened;
  }

  async list(brandId: string, campaignId: string, q: FraudSignalListQueryDto): Promise<Page<FraudSignalDto>> {
    await this.campaigns.get(brandId, campaignId);
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, ['micros', 'uuid']);
    const rows = await this.repo.list(campaignId, { status: q.status, limit: limit + 1, after: after ?? undefined });
    return toPage(rows, limit, toDto, (r) => [r.cursorUs, r.id]);
  }

  /**
   * Confirm or dismiss, with an optional note, audited. A decision can be changed (a dismissed signal confirmed
   * later, or the reverse); repeating the current decision with the same note changes nothing and is not
   * audited again.
   */
  async resolve(
    brandId: string,
    campaignId: string,
    signalId: string,
    decision: SignalDecision,
    note: string | undefined,
  ): Promise<FraudSignalDto> {
    await this.campaigns.get(brandId, campaignId);
    return this.dataSource.transaction(async (m) => {
      const row = await this.repo.lock(m, signalId, campaignId);
      if (!row) throw new FraudSignalNotFound();
      // The actor is whoever the request acts as (a team member or an API key): AuditLog reads it.
      return toDto(await this.decide(m, row, decision, note ?? null));
    });
  }

  /**
   * For the contests context: an upheld contest of a fraud verdict dismisses the signal (its clicks and sales
   * count again), audited with the operator as actor. Returns false when there is no such signal.
   */
  async dismissOnContest(m: EntityManager, signalId: string, note: string): Promise<boolean> {
    const row = await this.repo.lock(m, signalId, null);
    if (!row) return false;
    await this.decide(m, row, 'dismiss', note, { kind: 'admin', id: null });
    return true;
  }

  private async decide(
    m: EntityManager,
    row: SignalRow,
    decision: SignalDecision,
    note: string | null,
    actor?: AuditActor,
  ): Promise<SignalRow> {
    const status: Exclude<SignalStatus, 'open'> = decision === 'confirm' ? 'confirmed' : 'dismissed';
    if (row.status === status && row.note === note) return row;
    const updated = await this.repo.setStatus(m, row.id, status, note);
    await this.audit.record(m, {
      brandId: row.brandId,
      action: decision === 'confirm' ? 'fraud_signal.confirmed' : 'fraud_signal.dismissed',
      target: { type: 'fraud_signal', id: row.id },
      changes: { status: { from: row.status, to: status }, type: row.type, ...(note !== null ? { note } : {}) },
      ...(actor ? { actor } : {}),
    });
    return updated;
  }

  counts(campaignId: string): Promise<Record<SignalStatus, number>> {
    return this.repo.counts(campaignId);
  }

  /** What confirmed signals take out of the campaign's figures (zeros without any confirmed signal). */
  async exclusions(campaignId: string, currency: string, confirmed: number): Promise<Exclusions> {
    if (!confirmed) return { ...NO_EXCLUSIONS };
    return this.repo.exclusions(campaignId, currency);
  }

  /** The member's own confirmed verdicts: which rule, in plain words; never evidence (it names other claims). */
  async memberVerdicts(influencerId: string, m?: EntityManager): Promise<FraudVerdictListDto> {
    const rows = await this.repo.memberVerdicts(influencerId, m);
    return {
      data: rows.map((r) => ({
        signalId: r.signalId,
        claimId: r.claimId,
        campaignId: r.campaignId,
        type: r.type,
        rule: RULE_EXPLANATIONS[r.type],
        confirmedAt: r.confirmedAt.toISOString(),
      })),
    };
  }
}
