import { Injectable } from '@nestjs/common';
import { POST_URL_KEY_SQL, PostMetrics } from './post-metrics';
import { DataSource, EntityManager } from 'typeorm';
import { ModelParams } from './model-v1';
import { scoreRunStatements } from './score-run.query';
import { ensureMonthlyPartitions, runPartmanMaintenance } from '../database/partitions';

export interface ResolvedAccount {
  network: string;
  externalId: string;
  influencerId: string;
}

export type RunTrigger = 'manual' | 'daily' | 'contest';

export interface ScoreRunRow {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  trigger: RunTrigger;
  /** A contest rescore writes this member only. */
  memberId: string | null;
  /** The operator's answer, recorded as the history row's note. */
  note: string | null;
  modelVersion: string;
  asOf: Date | null;
  params: Record<string, number> | null;
  scored: number;
  stats: Record<string, number> | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface ScoreRow {
  topicId: number;
  slug: string | null;
  score: number;
  target: number;
  percentile: number | null;
  reactors: number;
  published: boolean;
  hidden: boolean;
  factors: Record<string, number>;
  modelVersion: string;
  computedAt: Date;
}

export interface HistoryRow {
  at: Date;
  overall: number;
  modelVersion: string;
  reason: string;
  note: string | null;
}

const RUN_COLS = `id, status, trigger, member_id AS "memberId", note, model_version AS "modelVersion", as_of AS "asOf", params, scored, stats, error,
  created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt"`;

const SCORING_LOCK = `hashtext('sway:scoring-run')`;
const PARTITIONED_TABLES = ['scoring.signal_posts', 'scoring.signal_reactions'] as const;

/** Set-based SQL only: one statement per table per ingest call, and whole-population scoring inside Postgres. */
@Injectable()
export class ScoringRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Accounts among the given ones that an active member has linked. */
  resolveAccounts(m: EntityManager, networks: string[], externalIds: string[]): Promise<ResolvedAccount[]> {
    return m.query(
      `SELECT DISTINCT sa.network, sa.external_id AS "externalId", sa.influencer_id AS "influencerId"
       FROM unnest($1::text[], $2::text[]) AS k(network, external_id)
       JOIN influencers.linked_accounts sa ON sa.network = k.network AND sa.external_id = k.external_id
       JOIN influencers.active_members i ON i.id = sa.influencer_id`,
      [networks, externalIds],
    );
  }

  topicIds(m: EntityManager, slugs: string[]): Promise<{ id: number; slug: string }[]> {
    return m.query(
      `SELECT t.id, s AS slug FROM unnest($1::text[]) s JOIN topics.topic_catalogue t ON lower(t.slug) = lower(s)`,
      [slugs],
    );
  }

  async rememberAccounts(
    m: EntityManager,
    hashes: Buffer[],
    influencerIds: string[],
    networks: string[],
  ): Promise<void> {
    if (!hashes.length) return;
    await m.query(
      `INSERT INTO scoring_accounts (account_hash, influencer_id, network)
       SELECT * FROM unnest($1::bytea[], $2::uuid[], $3::text[])
       ON CONFLICT (account_hash) DO UPDATE SET influencer_id = EXCLUDED.influencer_id, network = EXCLUDED.network
       WHERE scoring_accounts.influencer_id <> EXCLUDED.influencer_id`,
      [hashes, influencerIds, networks],
    );
  }

  async insertPosts(
    m: EntityManager,
    r: {
      network: string[];
      postId: string[];
      occurredAt: Date[];
      influencerId: string[];
      accountHash: Buffer[];
      topicIds: string[];
      url: (string | null)[];
    },
  ): Promise<number> {
    if (!r.network.length) return 0;
    // topic_ids travel as '{1,2}' literals: unnest cannot take a two-dimensional array of ragged rows.
    return this.count(
      m,
      `INSERT INTO signal_posts (network, post_id, occurred_at, influencer_id, account_hash, topic_ids, url)
       SELECT network, post_id, occurred_at, influencer_id, account_hash, topic_ids::int[], url
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::uuid[], $5::bytea[], $6::text[], $7::text[])
         AS t(network, post_id, occurred_at, influencer_id, account_hash, topic_ids, url)
       ON CONFLICT DO NOTHING`,
      [r.network, r.postId, r.occurredAt, r.influencerId, r.accountHash, r.topicIds, r.url],
    );
  }

  async insertReactions(
    m: EntityManager,
    r: {
      eventKey: Buffer[];
      occurredAt: Date[];
      influencerId: string[];
      network: string[];
      postId: string[];
      kind: string[];
      actorHash: Buffer[];
    },
  ): Promise<number> {
    if (!r.eventKey.length) return 0;
    return this.count(
      m,
      `INSERT INTO signal_reactions (event_key, occurred_at, influencer_id, network, post_id, kind, actor_hash)
       SELECT * FROM unnest($1::bytea[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::bytea[])
       ON CONFLICT DO NOTHING`,
      [r.eventKey, r.occurredAt, r.influencerId, r.network, r.postId, r.kind, r.actorHash],
    );
  }

  async insertFollowers(
    m: EntityManager,
    r: { influencerId: string[]; accountHash: Buffer[]; network: string[]; value: number[]; occurredAt: Date[] },
  ): Promise<number> {
    if (!r.influencerId.length) return 0;
    return this.count(
      m,
      `INSERT INTO signal_followers (influencer_id, account_hash, day, network, value, occurred_at)
       SELECT influencer_id, account_hash, (occurred_at AT TIME ZONE 'UTC')::date, network, value, occurred_at
       FROM unnest($1::uuid[], $2::bytea[], $3::text[], $4::bigint[], $5::timestamptz[])
         AS t(influencer_id, account_hash, network, value, occurred_at)
       ON CONFLICT DO NOTHING`,
      [r.influencerId, r.accountHash, r.network, r.value, r.occurredAt],
    );
  }

  /** Rows an `INSERT … ON CONFLICT DO NOTHING` really inserted (TypeORM returns no count for INSERT). */
  private async count(m: EntityManager, insert: string, params: unknown[]): Promise<number> {
    const [{ n }] = await m.query(`WITH ins AS (${insert} RETURNING 1) SELECT count(*)::int AS n FROM ins`, params);
    return n;
  }

  async insertRun(
    m: EntityManager,
    v: {
      trigger: RunTrigger;
      modelVersion: string;
      asOf: Date | null;
      params: Record<string, number> | null;
      memberId?: string | null;
      note?: string | null;
    },
  ): Promise<ScoreRunRow> {
    const [row] = await m.query(
      `INSERT INTO scoring.score_runs (trigger, model_version, as_of, params, member_id, note)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6) RETURNING ${RUN_COLS}`,
      [
        v.trigger,
        v.modelVersion,
        v.asOf,
        v.params ? JSON.stringify(v.params) : null,
        v.memberId ?? null,
        v.note ?? null,
      ],
    );
    return row;
  }

  async findRun(id: string, m: EntityManager = this.dataSource.manager): Promise<ScoreRunRow | null> {
    const rows = await m.query(`SELECT ${RUN_COLS} FROM score_runs WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async markRunning(id: string): Promise<ScoreRunRow | null> {
    const [rows] = await this.dataSource.query<[ScoreRunRow[], number]>(
      `UPDATE score_runs SET status = 'running', started_at = coalesce(started_at, now()), error = NULL,
         as_of = coalesce(as_of, now())
       WHERE id = $1 AND status IN ('queued', 'running', 'failed') RETURNING ${RUN_COLS}`,
      [id],
    );
    return rows[0] ?? null;
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE score_runs SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND status <> 'succeeded'`,
      [id, error.slice(0, 500)],
    );
  }

  /**
   * The whole run in one transaction: scores, history and the run's own row commit together or not at all. The
   * advisory lock serialises runs: a second run waits for the first, then scores on top of its result.
   */
  async executeRun(
    runId: string,
    asOf: Date,
    trigger: RunTrigger,
    model: ModelParams,
    modelVersion: string,
    pads: { ipad: Buffer; opad: Buffer },
    /** Runs in the run's transaction after its row is marked succeeded (the outbox event commits with it). */
    onSucceeded: (m: EntityManager) => Promise<void> = () => Promise.resolve(),
    scope: { memberId: string | null; note: string | null } = { memberId: null, note: null },
  ): Promise<{ scored: number; stats: Record<string, number> }> {
    const values: Record<string, unknown> = {
      as_of: asOf,
      ipad: pads.ipad,
      opad: pads.opad,
      run_id: runId,
      model_version: modelVersion,
      trigger,
      member_id: scope.memberId,
      note: scope.note,
    };
    return this.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL statement_timeout = '30min'`);
      // Big hash aggregates (pairs of 100k members' audiences) must not spill: this run's own transaction only.
      await m.query(`SET LOCAL work_mem = '1GB'`);
      // JIT compilation costs more than it saves on these one-off statements (measured: bench/README.md).
      await m.query(`SET LOCAL jit = off`);
      // Temp tables have no statistics until analysed; merge joins chosen on bad estimates sort millions of rows.
      await m.query(`SET LOCAL enable_mergejoin = off`);
      // …and the same estimates make the planner sort a million rows for a GroupAggregate; hash aggregates spill
      // to disk if they must, so prefer them.
      await m.query(`SET LOCAL enable_sort = off`);
      await m.query(`SELECT pg_advisory_xact_lock(${SCORING_LOCK})`);
      const stats: Record<string, number> = {};
      let scored = 0;
      for (const s of scoreRunStatements(model)) {
        const t0 = Date.now();
        const res = await m.query(
          s.sql,
          s.params.map((p) => values[p]),
        );
        stats[`${s.name}Ms`] = Date.now() - t0;
        if (s.name === 'count') scored = (res as { scored: number }[])[0].scored;
      }
      await m.query(
        `UPDATE score_runs SET status = 'succeeded', scored = $2, stats = $3::jsonb, finished_at = clock_timestamp(), error = NULL
         WHERE id = $1`,
        [runId, scored, JSON.stringify(stats)],
      );
      await onSucceeded(m);
      return { scored, stats };
    });
  }

  async scoresOf(influencerId: string, m: EntityManager = this.dataSource.manager): Promise<ScoreRow[]> {
    return m.query(
      `SELECT s.topic_id AS "topicId", t.slug, s.score, s.target, s.percentile, s.reactors, s.published,
              coalesce(p.hidden, false) AS hidden, s.factors, s.model_version AS "modelVersion", s.computed_at AS "computedAt"
       FROM scoring.scores s
       LEFT JOIN topics.topic_catalogue t ON t.id = s.topic_id
       LEFT JOIN influencers.topic_prefs p ON p.influencer_id = s.influencer_id AND p.topic_id = s.topic_id
       WHERE s.influencer_id = $1
       ORDER BY s.topic_id = 0 DESC, s.score DESC, t.slug`,
      [influencerId],
    );
  }

  historyOf(influencerId: string, m: EntityManager = this.dataSource.manager): Promise<HistoryRow[]> {
    return m.query(
      `SELECT at, overall, model_version AS "modelVersion", reason, note FROM scoring.score_history
       WHERE influencer_id = $1 ORDER BY at, id`,
      [influencerId],
    );
  }

  /**
   * What each of the member's accounts (by keyed hash) contributed since `since`: posts, reactions to them, the
   * latest follower count. One row per input, in input order.
   */
  async accountSources(
    influencerId: string,
    accounts: { network: string; hash: Buffer }[],
    since: Date,
  ): Promise<{ posts: number; reactions: number; followers: number | null; lastSignalAt: Date | null }[]> {
    if (!accounts.length) return [];
    const rows: { posts: number; reactions: number; followers: number | null; lastSignalAt: Date | null }[] =
      await this.dataSource.query(
        `SELECT p.posts, p.reactions, f.value AS followers, GREATEST(p.last_post, p.last_reaction) AS "lastSignalAt"
         FROM unnest($2::text[], $3::bytea[]) WITH ORDINALITY AS a(network, hash, ord)
         CROSS JOIN LATERAL (
           SELECT count(DISTINCT sp.post_id)::int AS posts, count(r.event_key)::int AS reactions,
                  max(sp.occurred_at) AS last_post, max(r.occurred_at) AS last_reaction
           FROM signal_posts sp
           LEFT JOIN signal_reactions r ON r.influencer_id = sp.influencer_id AND r.network = sp.network
             AND r.post_id = sp.post_id AND r.occurred_at >= $4
           WHERE sp.influencer_id = $1 AND sp.network = a.network AND sp.account_hash = a.hash AND sp.occurred_at >= $4
         ) p
         LEFT JOIN LATERAL (
           SELECT value::float8 AS value FROM signal_followers
           WHERE influencer_id = $1 AND network = a.network AND account_hash = a.hash
           ORDER BY day DESC LIMIT 1
         ) f ON true
         ORDER BY a.ord`,
        [influencerId, accounts.map((a) => a.network), accounts.map((a) => a.hash), since],
      );
    return rows;
  }

  /** The member's linked accounts as scoring knows them: keyed hashes only, and whether a contest excluded one. */
  accountsOf(
    influencerId: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<{ network: string; accountRef: string; excluded: boolean }[]> {
    return m.query(
      `SELECT a.network, encode(a.account_hash, 'hex') AS "accountRef", (x.account_hash IS NOT NULL) AS excluded
       FROM scoring.scoring_accounts a LEFT JOIN scoring.excluded_accounts x ON x.account_hash = a.account_hash
       WHERE a.influencer_id = $1 ORDER BY a.network, a.account_hash`,
      [influencerId],
    );
  }

  /** Excludes one of the member's accounts; false when the ref is not theirs (never another member's). */
  async excludeAccount(
    m: EntityManager,
    influencerId: string,
    accountRef: string,
    contestId: string,
  ): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO scoring.excluded_accounts (account_hash, influencer_id, contest_id)
       SELECT a.account_hash, a.influencer_id, $3 FROM scoring.scoring_accounts a
       WHERE a.influencer_id = $1 AND a.account_hash = decode($2, 'hex')
       ON CONFLICT (account_hash) DO UPDATE SET contest_id = EXCLUDED.contest_id
       RETURNING 1`,
      [influencerId, accountRef, contestId],
    );
    return rows.length > 0;
  }

  async excludeTopic(m: EntityManager, influencerId: string, topicId: number, contestId: string): Promise<void> {
    await m.query(
      `INSERT INTO scoring.excluded_topics (influencer_id, topic_id, contest_id) VALUES ($1, $2, $3)
       ON CONFLICT (influencer_id, topic_id) DO NOTHING`,
      [influencerId, topicId, contestId],
    );
  }

  excludedTopicsOf(influencerId: string, m: EntityManager = this.dataSource.manager): Promise<{ slug: string }[]> {
    return m.query(
      `SELECT t.slug FROM scoring.excluded_topics x JOIN topics.topic_catalogue t ON t.id = x.topic_id
       WHERE x.influencer_id = $1 ORDER BY t.slug`,
      [influencerId],
    );
  }

  /** Everything this context stores about a member, for the export (actor hashes of others are not theirs). */
  async exportSignals(influencerId: string, m: EntityManager): Promise<Record<string, unknown>> {
    const posts = await m.query(
      `SELECT p.network, p.post_id AS "postId", p.occurred_at AS "occurredAt", p.url,
              coalesce((SELECT array_agg(t.slug ORDER BY t.slug) FROM topics.topic_catalogue t WHERE t.id = ANY(p.topic_ids)), '{}') AS topics
       FROM scoring.signal_posts p WHERE p.influencer_id = $1 ORDER BY p.occurred_at`,
      [influencerId],
    );
    const received = await m.query(
      `SELECT network, post_id AS "postId", kind AS type, occurred_at AS "occurredAt"
       FROM signal_reactions WHERE influencer_id = $1 ORDER BY occurred_at`,
      [influencerId],
    );
    // Reactions the member's own accounts gave to other members' posts (found through their keyed hashes).
    const given = await m.query(
      `SELECT r.network, r.kind AS type, r.occurred_at AS "occurredAt"
       FROM signal_reactions r
       WHERE r.actor_hash IN (SELECT account_hash FROM scoring_accounts WHERE influencer_id = $1)
         AND r.influencer_id <> $1
       ORDER BY r.occurred_at`,
      [influencerId],
    );
    const followers = await m.query(
      `SELECT network, day, value::float8 AS value, occurred_at AS "occurredAt" FROM signal_followers
       WHERE influencer_id = $1 ORDER BY day`,
      [influencerId],
    );
    return { posts, reactionsReceived: received, reactionsGiven: given, followerSnapshots: followers };
  }

  /** Idempotent. The member's account hashes go last: they are how the reactions they gave are found. */
  /**
   * Unlinking one account: its posts, the reactions to them and its follower counts go; the member's other
   * accounts and `scoring_accounts` (which keeps the account out of reactor counts) stay.
   */
  async forgetAccount(influencerId: string, network: string, hash: Buffer, m: EntityManager): Promise<number> {
    await m.query(
      `DELETE FROM signal_reactions r WHERE r.influencer_id = $1 AND r.network = $2
         AND r.post_id IN (SELECT p.post_id FROM signal_posts p WHERE p.influencer_id = $1 AND p.network = $2 AND p.account_hash = $3)`,
      [influencerId, network, hash],
    );
    const [, n] = await m.query<[unknown, number]>(
      `DELETE FROM signal_posts WHERE influencer_id = $1 AND network = $2 AND account_hash = $3`,
      [influencerId, network, hash],
    );
    await m.query(`DELETE FROM signal_followers WHERE influencer_id = $1 AND network = $2 AND account_hash = $3`, [
      influencerId,
      network,
      hash,
    ]);
    return n;
  }

  async eraseMember(influencerId: string, m: EntityManager): Promise<void> {
    await m.query(`DELETE FROM signal_posts WHERE influencer_id = $1`, [influencerId]);
    await m.query(`DELETE FROM signal_reactions WHERE influencer_id = $1`, [influencerId]);
    await m.query(
      `DELETE FROM signal_reactions WHERE actor_hash IN (SELECT account_hash FROM scoring_accounts WHERE influencer_id = $1)`,
      [influencerId],
    );
    await m.query(`DELETE FROM signal_followers WHERE influencer_id = $1`, [influencerId]);
    await m.query(`DELETE FROM scores WHERE influencer_id = $1`, [influencerId]);
    await m.query(`DELETE FROM score_history WHERE influencer_id = $1`, [influencerId]);
    await m.query(`DELETE FROM scoring.excluded_topics WHERE influencer_id = $1`, [influencerId]);
    await m.query(`DELETE FROM scoring.excluded_accounts WHERE influencer_id = $1`, [influencerId]);
    await m.query(`DELETE FROM scoring_accounts WHERE influencer_id = $1`, [influencerId]);
  }

  /** Monthly partitions of both signal tables for past months too (backfills, test worlds). */
  async ensurePartitions(from: Date, to: Date): Promise<string[]> {
    const created: string[] = [];
    for (const parent of PARTITIONED_TABLES) {
      created.push(...(await ensureMonthlyPartitions(this.dataSource, parent, from, to)));
    }
    return created;
  }

  /**
   * pg_partman's maintenance of both signal tables: partitions ahead of now, retention (docs/privacy.md). Follower
   * snapshots are not partitioned (one row per account and day): those older than `followerDays` are deleted.
   */
  maintainPartitions(followerDays: number): Promise<{ created: string[]; dropped: string[]; followers: number }> {
    return this.dataSource.transaction(async (m) => {
      const out = { created: [] as string[], dropped: [] as string[], followers: 0 };
      for (const parent of PARTITIONED_TABLES) {
        const r = await runPartmanMaintenance(m, parent);
        out.created.push(...r.created);
        out.dropped.push(...r.removed);
      }
      const [, n] = await m.query<[unknown, number]>(
        `DELETE FROM signal_followers WHERE occurred_at < now() - $1::int * interval '1 day'`,
        [followerDays],
      );
      out.followers = n;
      return out;
    });
  }

  /** Reach and engagements of posts, per (member, post URL key); signals of erased members are gone. */
  async postMetrics(items: { influencerId: string; key: string }[], m: EntityManager): Promise<PostMetrics[]> {
    const rows: { ord: number; reach: number; engagements: number }[] = await m.query(
      `SELECT x.ord, count(DISTINCT r.actor_hash)::int AS reach, count(r.event_key)::int AS engagements
       FROM unnest($1::uuid[], $2::text[], $3::int[]) AS x(influencer_id, key, ord)
       LEFT JOIN signal_posts p ON p.influencer_id = x.influencer_id AND p.url IS NOT NULL
         AND ${POST_URL_KEY_SQL('p.url')} = x.key
       LEFT JOIN signal_reactions r ON r.influencer_id = p.influencer_id AND r.network = p.network
         AND r.post_id = p.post_id
       GROUP BY x.ord ORDER BY x.ord`,
      [items.map((i) => i.influencerId), items.map((i) => i.key), items.map((_, k) => k)],
    );
    return rows.map((r) => ({ reach: r.reach, engagements: r.engagements }));
  }
}
