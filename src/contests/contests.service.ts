import { NotificationsService } from '../notifications/notifications.service';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MetricsService } from '../common/metrics/metrics.service';
import { Page, decodeCursor, toPage } from '../common/pagination/pagination';
import { PrivacyRegistry } from '../common/privacy/privacy.registry';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ContestAction, ScoringService } from '../scoring/scoring.service';
import { TrustService } from '../trust/trust.service';
import { ContestRow, ContestsRepository } from './contests.repository';
import {
  ContestAlreadyOpen,
  ContestAlreadyResolved,
  ContestNotApplicable,
  ContestNotFound,
  VerdictNotFound,
} from './contests.exception';
import {
  AdminContestDto,
  AdminContestQueryDto,
  ContestDto,
  CreateContestRequestDto,
  CreateContestResponseDto,
  FraudOverviewDto,
  ResolveContestRequestDto,
} from './dto/contests.dto';
import { PageQueryDto } from '../common/pagination/pagination';

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

function toContestDto(r: ContestRow): ContestDto {
  return {
    id: r.id,
    status: r.status,
    subject: {
      kind: r.subjectKind,
      ...(r.topic !== null && { topic: r.topic }),
      ...(r.factor !== null && { factor: r.factor as never }),
      ...(r.signalId !== null && { signalId: r.signalId }),
    },
    reason: r.reason,
    links: r.links,
    answer: r.answer,
    createdAt: new Date(r.createdAt).toISOString(),
    resolvedAt: iso(r.resolvedAt),
  };
}

/**
 * Score contests (issue 17). Its own context rather than part of scoring: a contest is a case between a member
 * and an operator (filing, review, answer, audit trail), which scoring has no business storing; scoring stays
 * the owner of every number and of the corrections (ScoringService.contestFacts / applyContest).
 */
@Injectable()
export class ContestsService implements OnModuleInit {
  private readonly logger = new Logger(ContestsService.name);
  private readonly resolution: Histogram<'outcome'>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: ContestsRepository,
    private readonly scoring: ScoringService,
    private readonly trust: TrustService,
    private readonly notifications: NotificationsService,
    private readonly privacy: PrivacyRegistry,
    metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.resolution = new Histogram({
      name: 'sway_contest_resolution_seconds',
      help: 'Time from filing a score contest to its resolution, by outcome',
      labelNames: ['outcome'],
      // An hour to four weeks: the promise to members is an answer within days.
      buckets: [3600, 4 * 3600, 12 * 3600, 86400, 2 * 86400, 3 * 86400, 7 * 86400, 14 * 86400, 28 * 86400],
      registers: [metrics.registry],
    });
  }

  onModuleInit(): void {
    this.privacy.register({
      name: 'contests',
      export: (id, m) => this.repo.exportMember(id, m),
      erase: (id, m) => this.repo.eraseMember(id, m),
    });
  }

  async file(influencerId: string, dto: CreateContestRequestDto): Promise<CreateContestResponseDto> {
    const s = dto.subject;
    const v = {
      influencerId,
      subjectKind: s.kind,
      topic: s.kind === 'topic' ? s.topic!.toLowerCase() : null,
      factor: s.kind === 'factor' ? s.factor! : null,
      // Checked below against the trust context's confirmed verdicts about this member.
      signalId: s.kind === 'fraud_signal' ? s.signalId!.toLowerCase() : null,
    };
    for (const k of ['topic', 'factor', 'signalId'] as const)
      if (s[k] !== undefined && v[k] === null)
        throw new ContestNotApplicable(`subject.${k}`, `subject.${k} does not belong to a contest of kind ${s.kind}`);
    const score = await this.scoring.overallOf(influencerId);
    if (s.kind !== 'fraud_signal' && score === null)
      throw new ContestNotApplicable('subject.kind', 'You have no score yet, so there is nothing to contest');
    const row = await this.dataSource.transaction(async (m) => {
      if (v.topic && !(await this.repo.topicExists(m, v.topic)))
        throw new ContestNotApplicable('subject.topic', 'Unknown topic');
      // Someone else's verdict, or none: the same 404, so a signal id reveals nothing.
      if (v.signalId && !(await this.repo.isVerdictAbout(m, v.signalId, influencerId))) throw new VerdictNotFound();
      await this.repo.lockMember(m, influencerId);
      if (await this.repo.openOnSameSubject(m, v)) throw new ContestAlreadyOpen();
      const c = await this.repo.insert(m, {
        ...v,
        reason: dto.reason.trim(),
        links: dto.links ?? [],
        scoreAtFiling: score,
      });
      await this.repo.event(m, c.id, 'member', 'filed', { subject: s.kind, links: (dto.links ?? []).length });
      return c;
    });
    this.logger.log(`contest ${row.id} filed (${row.subjectKind})`);
    return { contest: { id: row.id, status: 'open', createdAt: new Date(row.createdAt).toISOString() } };
  }

  async mine(influencerId: string, q: PageQueryDto): Promise<Page<ContestDto>> {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, ['micros', 'uuid']);
    const rows = await this.repo.memberContests(influencerId, { after: after ?? undefined, limit: limit + 1 });
    return toPage(rows, limit, toContestDto, (r) => [r.cursorUs, r.id]);
  }

  /** 404 for another member's contest: it is never revealed that it exists. */
  async oneOfMine(influencerId: string, id: string): Promise<ContestDto> {
    const [row] = await this.repo.memberContests(influencerId, { limit: 1, id });
    if (!row) throw new ContestNotFound();
    return toContestDto(row);
  }

  async queue(q: AdminContestQueryDto): Promise<Page<AdminContestDto>> {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, ['micros', 'uuid']);
    const rows = await this.repo.adminContests({
      status: q.status ?? 'open',
      after: after ?? undefined,
      limit: limit + 1,
    });
    const page = toPage(
      rows,
      limit,
      (r) => r,
      (r) => [r.cursorUs, r.id],
    );
    return { data: await this.forOperator(page.data), nextCursor: page.nextCursor };
  }

  async adminOne(id: string): Promise<AdminContestDto> {
    const [row] = await this.repo.adminContests({ status: 'open', limit: 1, id });
    if (!row) throw new ContestNotFound();
    return (await this.forOperator([row]))[0];
  }

  async resolve(id: string, dto: ResolveContestRequestDto): Promise<AdminContestDto> {
    const actions = dto.actions ?? [];
    if (dto.outcome === 'rejected' && actions.length)
      throw new ContestNotApplicable('actions', 'A rejected contest changes nothing: send no actions');
    const row = await this.dataSource.transaction(async (m) => {
      const c = await this.repo.lock(m, id);
      if (!c) throw new ContestNotFound();
      if (c.status !== 'open') throw new ContestAlreadyResolved(c.status);
      const answer = dto.answer.trim();
      let runId: string | null = null;
      const applied: Record<string, unknown>[] = actions.map((a) =>
        a.kind === 'remove_topic'
          ? { kind: a.kind, topic: a.topic!.toLowerCase() }
          : a.kind === 'exclude_account'
            ? { kind: a.kind, accountRef: a.accountRef }
            : { kind: a.kind },
      );
      if (dto.outcome === 'upheld') {
        // Every upheld contest rescores the member, so the correction shows in their score and history at once.
        ({ runId } = await this.scoring.applyContest(m, {
          influencerId: c.influencerId,
          contestId: c.id,
          answer,
          actions: applied.filter((a) => a.kind !== 'dismiss_signal') as ContestAction[],
        }));
        // An upheld verdict contest dismisses the signal (its clicks and sales count again), audited by trust.
        if (c.signalId && (await this.trust.dismissOnContest(m, c.signalId, answer)))
          applied.push({ kind: 'dismiss_signal', signalId: c.signalId });
        for (const a of applied) await this.repo.event(m, c.id, 'operator', 'action', a);
        await this.repo.event(m, c.id, 'system', 'rescore_requested', { runId });
      }
      await this.repo.event(m, c.id, 'operator', 'resolved', { outcome: dto.outcome, actions: applied.length });
      // The member hears of the answer (their preference for "contests" decides mail; the in-app list always).
      await this.notifications.record(m, {
        to: { kind: 'member', id: c.influencerId },
        kind: 'contest_answered',
        key: `contest:${c.id}`,
        params: { subject: subjectLabel(c), outcome: dto.outcome },
      });
      return this.repo.resolve(m, c.id, {
        status: dto.outcome,
        answer,
        actions: dto.outcome === 'upheld' ? applied : null,
        runId,
      });
    });
    const seconds = (new Date(row.resolvedAt!).getTime() - new Date(row.createdAt).getTime()) / 1000;
    this.resolution.observe({ outcome: row.status }, Math.max(0, seconds));
    this.logger.log(`contest ${row.id} ${row.status} after ${Math.round(seconds)} s`);
    return (await this.forOperator([row]))[0];
  }

  /**
   * The operator's fraud overview across brands, counts only. Only confirmed verdicts are published by the trust
   * context (trust.confirmed_verdicts); open and dismissed counts need a view of its own.
   */
  async fraudOverview(): Promise<FraudOverviewDto> {
    const rows = await this.repo.fraudOverview();
    const brands = new Map<string, FraudOverviewDto['brands'][number]>();
    for (const r of rows) {
      const b = brands.get(r.brandId) ?? { brandId: r.brandId, brand: r.brand, confirmed: 0, byType: {} };
      b.confirmed += r.n;
      b.byType[r.type] = r.n;
      brands.set(r.brandId, b);
    }
    const list = [...brands.values()];
    return {
      brands: list,
      confirmed: list.reduce((s, b) => s + b.confirmed, 0),
      note: 'Confirmed verdicts only: open and dismissed signals are not yet published by the trust context.',
    };
  }

  /** The member behind each contest only as a pseudonym with coarse facts; the model's view through scoring. */
  private async forOperator(rows: ContestRow[]): Promise<AdminContestDto[]> {
    if (!rows.length) return [];
    const events = await this.repo.eventsOf(rows.map((r) => r.id));
    return Promise.all(
      rows.map(async (r) => {
        const member = await this.repo.memberFacts(r.influencerId);
        return {
          ...toContestDto(r),
          scoreAtFiling: r.scoreAtFiling,
          actions: r.actions,
          rescoreRunId: r.rescoreRunId,
          member: {
            pseudonym: this.pseudonym(r.influencerId),
            country: member?.country ?? null,
            memberSince: member?.since ? new Date(member.since).toISOString().slice(0, 10) : null,
            earlierContests: await this.repo.earlierContests(r.influencerId, r.createdAt),
          },
          model: await this.scoring.contestFacts(r.influencerId),
          events: events
            .filter((e) => e.contestId === r.id)
            .map((e) => ({ at: new Date(e.at).toISOString(), actor: e.actor, action: e.action, details: e.details })),
        };
      }),
    );
  }

  private pseudonym(influencerId: string): string {
    const mac = createHmac('sha256', this.config.hashSecret).update(`operator-pseudonym:${influencerId}`).digest();
    return `mem_${mac.subarray(0, 9).toString('base64url')}`;
  }
}

/** The contest's subject in words the member wrote it about (no other member's data, no evidence). */
function subjectLabel(c: { subjectKind: string; topic: string | null; factor: string | null }): string {
  if (c.subjectKind === 'topic' && c.topic) return `your ${c.topic} score`;
  if (c.subjectKind === 'factor' && c.factor) return `the ${c.factor} factor`;
  if (c.subjectKind === 'fraud_signal') return 'a fraud verdict';
  return 'your overall score';
}
