import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxService } from '../common/outbox/outbox.service';
import { PrivacyRegistry } from '../common/privacy/privacy.registry';
import { APP_CONFIG, AppConfig } from '../config/config';
import { InfluencersService } from '../influencers/influencers.service';
import {
  CreateScoreRunRequestDto,
  CreateScoreRunResponseDto,
  FactorDto,
  MyScoresResponseDto,
  ScoreRunDto,
} from './dto/scoring.dto';
import { accountHash, hmacPads } from './keyed-hash';
import { FACTORS, FactorName, MODEL_V1, MODEL_VERSION, ModelOverrides, contributions, withOverrides } from './model-v1';
import { ContestActionRejected, ScoreRunNotFound } from './scoring.exception';
import { ScoringJob, SCORING_QUEUE } from './scoring.queue';
import { PostMetrics, postUrlKey } from './post-metrics';
import { ScoreRow, ScoreRunRow, ScoringRepository } from './scoring.repository';
import './scoring.events';

const DESCRIPTIONS: Record<FactorName, string> = {
  reach: 'Distinct people who engaged with your posts (each counts at most once; recent counts more)',
  amplification: 'Weighted reactions per post, smoothed so one viral post or posting a lot does not dominate',
  network: 'Engagement from people who are themselves influential on Sway',
  audience: 'Followers who actually engaged (bought or inactive followers count for nothing)',
};

export type ContestAction =
  { kind: 'remove_topic'; topic: string } | { kind: 'exclude_account'; accountRef: string } | { kind: 'rescore' };

export interface ContestFacts {
  overall: {
    score: number;
    target: number;
    percentile: number;
    base: number;
    factors: FactorDto[];
    raw: number;
    posts: number;
    followers: number;
    reactions: number;
    botReactions: number;
    podReactions: number;
    modelVersion: string;
    computedAt: string;
  } | null;
  topics: { slug: string; score: number; published: boolean; reactors: number }[];
  history: { at: string; overall: number; modelVersion: string; reason: string; note: string | null }[];
  accounts: { network: string; accountRef: string; excluded: boolean }[];
  removedTopics: string[];
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);
const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

function toFactors(f: Record<string, number>): FactorDto[] {
  const c = {
    reach: f.reach ?? 0,
    amplification: f.amplification ?? 0,
    network: f.network ?? 0,
    audience: f.audience ?? 0,
  };
  const contrib = contributions(c);
  return FACTORS.map((name) => ({
    name,
    value: round(c[name]),
    contribution: round(contrib[name], 2),
    description: DESCRIPTIONS[name],
  }));
}

function toRunDto(r: ScoreRunRow): ScoreRunDto {
  return {
    id: r.id,
    status: r.status,
    scored: r.scored,
    modelVersion: r.modelVersion,
    trigger: r.trigger,
    asOf: iso(r.asOf),
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    error: r.error,
    stats: r.stats,
    params: r.params,
  };
}

@Injectable()
export class ScoringService implements OnModuleInit {
  private readonly logger = new Logger(ScoringService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: ScoringRepository,
    private readonly outbox: OutboxService,
    private readonly privacy: PrivacyRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly influencers: InfluencersService,
  ) {}

  onModuleInit(): void {
    this.privacy.register({
      name: 'scores',
      export: (id, m) => this.exportMember(id, m),
      erase: (id, m) => this.repo.eraseMember(id, m),
    });
  }

  /** The run row and its job are written in one transaction (outbox), so a 202 always has a job behind it. */
  async requestRun(dto: CreateScoreRunRequestDto): Promise<CreateScoreRunResponseDto> {
    const run = await this.dataSource.transaction(async (m) => {
      const row = await this.repo.insertRun(m, {
        trigger: 'manual',
        modelVersion: MODEL_VERSION,
        asOf: dto.asOf ? new Date(dto.asOf) : null,
        params: dto.overrides && Object.keys(dto.overrides).length ? { ...dto.overrides } : null,
      });
      await this.outbox.enqueue(m, { queue: SCORING_QUEUE, name: ScoringJob.Run, payload: { runId: row.id } });
      return row;
    });
    return { runId: run.id };
  }

  async getRun(id: string): Promise<ScoreRunDto> {
    const run = await this.repo.findRun(id);
    if (!run) throw new ScoreRunNotFound();
    return toRunDto(run);
  }

  /** Idempotent: a run that already succeeded is not run again when BullMQ delivers its job twice. */
  async executeRun(runId: string): Promise<void> {
    const run = await this.repo.markRunning(runId);
    if (!run) return;
    const t0 = Date.now();
    try {
      const overrides = (run.params ?? {}) as ModelOverrides;
      const { scored } = await this.repo.executeRun(
        runId,
        run.asOf ?? new Date(),
        run.trigger,
        withOverrides(overrides),
        run.modelVersion,
        hmacPads(this.config.hashSecret),
        // Matching follows within seconds instead of at its next sweep (issue #18).
        (m) => this.outbox.publish(m, 'scoring.run_finished', { runId }),
        { memberId: run.memberId, note: run.note },
      );
      this.logger.log(`score run ${runId} scored ${scored} member(s) in ${Date.now() - t0} ms`);
    } catch (err) {
      await this.repo.markFailed(runId, (err as Error).message ?? 'failed');
      this.logger.error(`score run ${runId} failed after ${Date.now() - t0} ms: ${(err as Error).message}`);
      throw err;
    }
  }

  /** The scheduled run: its own row, then the same path as a manual run. */
  async runDaily(): Promise<string> {
    const row = await this.dataSource.transaction((m) =>
      this.repo.insertRun(m, { trigger: 'daily', modelVersion: MODEL_VERSION, asOf: null, params: null }),
    );
    await this.executeRun(row.id);
    return row.id;
  }

  /** pg_partman's maintenance: partitions ahead of now; retention drops months past the windows (docs/privacy.md). */
  async maintainPartitions(): Promise<{ created: string[]; dropped: string[]; followers: number }> {
    // Follower snapshots count only inside the model window (the smallest one in it caps the audience).
    const r = await this.repo.maintainPartitions(MODEL_V1.windowDays);
    if (r.created.length || r.dropped.length || r.followers) {
      this.logger.log(
        `signal partitions: created ${r.created.length}, dropped ${r.dropped.length}; follower snapshots deleted ${r.followers}`,
      );
    }
    return r;
  }

  /** Partitions for past months (backfills, test worlds): partman's maintenance works forward from now only. */
  backfillPartitions(from: Date, to: Date): Promise<string[]> {
    return this.repo.ensurePartitions(from, to);
  }

  async myScores(influencerId: string): Promise<MyScoresResponseDto> {
    const rows = await this.repo.scoresOf(influencerId);
    const history = await this.repo.historyOf(influencerId);
    const overall = rows.find((r) => r.topicId === 0);
    const sources = await this.sourcesOf(influencerId);
    return {
      overall: overall
        ? {
            score: overall.score,
            percentile: round(overall.percentile ?? 0, 1),
            target: overall.target,
            base: MODEL_V1.a,
            factors: toFactors(overall.factors),
            modelVersion: overall.modelVersion,
            computedAt: new Date(overall.computedAt).toISOString(),
          }
        : null,
      topics: rows
        .filter((r): r is ScoreRow & { slug: string } => r.topicId !== 0 && r.slug !== null)
        .map((r) => ({
          slug: r.slug,
          score: r.score,
          hidden: r.hidden,
          published: r.published && !r.hidden,
          reactors: r.reactors,
          factors: toFactors(r.factors),
        })),
      history: history.map((h) => ({
        at: new Date(h.at).toISOString(),
        overall: h.overall,
        modelVersion: h.modelVersion,
        reason: h.reason,
        note: h.note,
      })),
      sources,
      windowDays: MODEL_V1.windowDays,
    };
  }

  /** Which linked accounts fed the score: each one's signals in the model's window (declared and verified alike). */
  private async sourcesOf(influencerId: string): Promise<MyScoresResponseDto['sources']> {
    const accounts = await this.influencers.socialAccounts(influencerId);
    const since = new Date(Date.now() - MODEL_V1.windowDays * 86_400_000);
    const counts = await this.repo.accountSources(
      influencerId,
      accounts.map((a) => ({
        network: a.network,
        hash: accountHash(this.config.hashSecret, a.network, a.externalId),
      })),
      since,
    );
    return accounts.map((a, k) => ({
      accountId: a.id,
      network: a.network,
      handle: a.handle,
      posts: counts[k].posts,
      reactions: counts[k].reactions,
      followers: counts[k].followers,
      lastSignalAt: counts[k].lastSignalAt ? new Date(counts[k].lastSignalAt).toISOString() : null,
    }));
  }

  /**
   * For the contests context (operator review): what the model knows about one member — components, terms, the
   * gaming counters, topic scores, recent history and their accounts as keyed hashes. Nothing of other members.
   */
  async contestFacts(influencerId: string): Promise<ContestFacts> {
    const rows = await this.repo.scoresOf(influencerId);
    const history = await this.repo.historyOf(influencerId);
    const overall = rows.find((r) => r.topicId === 0);
    const f = overall?.factors ?? {};
    return {
      overall: overall
        ? {
            score: overall.score,
            target: overall.target,
            percentile: round(overall.percentile ?? 0, 1),
            base: MODEL_V1.a,
            factors: toFactors(overall.factors),
            raw: round(f.raw ?? 0, 4),
            posts: f.posts ?? 0,
            followers: f.followers ?? 0,
            reactions: f.reactions ?? 0,
            botReactions: f.botReactions ?? 0,
            podReactions: f.podReactions ?? 0,
            modelVersion: overall.modelVersion,
            computedAt: new Date(overall.computedAt).toISOString(),
          }
        : null,
      topics: rows
        .filter((r): r is ScoreRow & { slug: string } => r.topicId !== 0 && r.slug !== null)
        .map((r) => ({ slug: r.slug, score: r.score, published: r.published && !r.hidden, reactors: r.reactors })),
      history: history.slice(-10).map((h) => ({
        at: new Date(h.at).toISOString(),
        overall: h.overall,
        modelVersion: h.modelVersion,
        reason: h.reason,
        note: h.note,
      })),
      accounts: await this.repo.accountsOf(influencerId),
      removedTopics: (await this.repo.excludedTopicsOf(influencerId)).map((t) => t.slug),
    };
  }

  /** The member's current overall score, or null before their first run. */
  async overallOf(influencerId: string): Promise<number | null> {
    const rows = await this.repo.scoresOf(influencerId);
    return rows.find((r) => r.topicId === 0)?.score ?? null;
  }

  /**
   * An upheld contest's corrections, in the caller's transaction: topics removed and accounts excluded for this
   * member only (an account ref that is not theirs is refused), then a rescore run of that member through the
   * outbox, whose history row carries the answer. Returns the run id.
   */
  async applyContest(
    m: EntityManager,
    v: { influencerId: string; contestId: string; answer: string; actions: ContestAction[] },
  ): Promise<{ runId: string }> {
    for (const [i, a] of v.actions.entries()) {
      if (a.kind === 'remove_topic') {
        const [t] = await this.repo.topicIds(m, [a.topic]);
        if (!t) throw new ContestActionRejected(`actions[${i}].topic`, 'Unknown topic slug');
        await this.repo.excludeTopic(m, v.influencerId, t.id, v.contestId);
      } else if (a.kind === 'exclude_account') {
        if (!(await this.repo.excludeAccount(m, v.influencerId, a.accountRef, v.contestId)))
          throw new ContestActionRejected(`actions[${i}].accountRef`, 'Not one of this member’s linked accounts');
      }
    }
    const row = await this.repo.insertRun(m, {
      trigger: 'contest',
      modelVersion: MODEL_VERSION,
      asOf: null,
      params: null,
      memberId: v.influencerId,
      note: v.answer,
    });
    await this.outbox.enqueue(m, { queue: SCORING_QUEUE, name: ScoringJob.Run, payload: { runId: row.id } });
    return { runId: row.id };
  }

  /** Deletes the signals fetched through one account (a connector's unlink); returns the posts removed. */
  forgetAccount(influencerId: string, network: string, externalId: string, m: EntityManager): Promise<number> {
    return this.repo.forgetAccount(influencerId, network, accountHash(this.config.hashSecret, network, externalId), m);
  }

  /** For shares: reach and engagements of the member's posts at these URLs, from connector signals. */
  postMetrics(items: { influencerId: string; url: string }[], m: EntityManager): Promise<PostMetrics[]> {
    if (!items.length) return Promise.resolve([]);
    return this.repo.postMetrics(
      items.map((i) => ({ influencerId: i.influencerId, key: postUrlKey(i.url) })),
      m,
    );
  }

  private async exportMember(id: string, m: EntityManager): Promise<unknown> {
    const rows = await this.repo.scoresOf(id, m);
    return {
      signals: await this.repo.exportSignals(id, m),
      scores: rows.map((r) => ({
        topic: r.topicId === 0 ? null : r.slug,
        score: r.score,
        target: r.target,
        percentile: r.percentile,
        reactors: r.reactors,
        published: r.published,
        factors: r.factors,
        modelVersion: r.modelVersion,
        computedAt: new Date(r.computedAt).toISOString(),
      })),
      history: (await this.repo.historyOf(id, m)).map((h) => ({ ...h, at: new Date(h.at).toISOString() })),
    };
  }
}
