import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ContestStatus, ContestSubject } from './entities/contest.entity';

export interface ContestRow {
  id: string;
  influencerId: string;
  subjectKind: ContestSubject;
  topic: string | null;
  factor: string | null;
  signalId: string | null;
  reason: string;
  links: string[];
  status: ContestStatus;
  answer: string | null;
  actions: Record<string, unknown>[] | null;
  scoreAtFiling: number | null;
  rescoreRunId: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
  cursorUs: string;
}

export interface ContestEventRow {
  contestId: string;
  at: Date;
  actor: 'member' | 'operator' | 'system';
  action: string;
  details: Record<string, unknown>;
}

const COLS = `c.id, c.influencer_id AS "influencerId", c.subject_kind AS "subjectKind", c.topic, c.factor,
  c.signal_id AS "signalId", c.reason, c.links, c.status, c.answer, c.actions, c.score_at_filing AS "scoreAtFiling",
  c.rescore_run_id AS "rescoreRunId", c.created_at AS "createdAt", c.resolved_at AS "resolvedAt",
  (extract(epoch FROM c.created_at) * 1000000)::bigint::text AS "cursorUs"`;

@Injectable()
export class ContestsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    m: EntityManager,
    v: {
      influencerId: string;
      subjectKind: ContestSubject;
      topic: string | null;
      factor: string | null;
      signalId: string | null;
      reason: string;
      links: string[];
      scoreAtFiling: number | null;
    },
  ): Promise<ContestRow> {
    const [row] = await m.query(
      `INSERT INTO contests.contests (influencer_id, subject_kind, topic, factor, signal_id, reason, links, score_at_filing)
       VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8) RETURNING ${COLS.replace(/\bc\./g, '')}`,
      [v.influencerId, v.subjectKind, v.topic, v.factor, v.signalId, v.reason, v.links, v.scoreAtFiling],
    );
    return row;
  }

  /** An open contest of this member on the same subject, if any (one at a time per subject). */
  async openOnSameSubject(
    m: EntityManager,
    v: {
      influencerId: string;
      subjectKind: string;
      topic: string | null;
      factor: string | null;
      signalId: string | null;
    },
  ): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM contests.contests
       WHERE influencer_id = $1 AND status = 'open' AND subject_kind = $2
         AND topic IS NOT DISTINCT FROM $3 AND factor IS NOT DISTINCT FROM $4 AND signal_id IS NOT DISTINCT FROM $5::uuid
       LIMIT 1`,
      [v.influencerId, v.subjectKind, v.topic, v.factor, v.signalId],
    );
    return rows.length > 0;
  }

  /** Serialises filings of one member, so two concurrent identical filings cannot both pass the check above. */
  async lockMember(m: EntityManager, influencerId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('sway:contest:' || $1))`, [influencerId]);
  }

  memberContests(
    influencerId: string,
    opts: { after?: [string, string]; limit: number; id?: string },
  ): Promise<ContestRow[]> {
    return this.dataSource.query(
      `SELECT ${COLS} FROM contests.contests c
       WHERE c.influencer_id = $1 AND ($5::uuid IS NULL OR c.id = $5)
         AND ($2::bigint IS NULL OR ((extract(epoch FROM c.created_at) * 1000000)::bigint, c.id) < ($2::bigint, $3::uuid))
       ORDER BY c.created_at DESC, c.id DESC LIMIT $4`,
      [influencerId, opts.after?.[0] ?? null, opts.after?.[1] ?? null, opts.limit, opts.id ?? null],
    );
  }

  /** The operator's queue: oldest first. */
  adminContests(opts: {
    status: ContestStatus;
    after?: [string, string];
    limit: number;
    id?: string;
  }): Promise<ContestRow[]> {
    return this.dataSource.query(
      `SELECT ${COLS} FROM contests.contests c
       WHERE ($5::uuid IS NOT NULL AND c.id = $5 OR $5::uuid IS NULL AND c.status = $1)
         AND ($2::bigint IS NULL OR ((extract(epoch FROM c.created_at) * 1000000)::bigint, c.id) > ($2::bigint, $3::uuid))
       ORDER BY c.created_at, c.id LIMIT $4`,
      [opts.status, opts.after?.[0] ?? null, opts.after?.[1] ?? null, opts.limit, opts.id ?? null],
    );
  }

  async lock(m: EntityManager, id: string): Promise<ContestRow | null> {
    const rows: ContestRow[] = await m.query(`SELECT ${COLS} FROM contests.contests c WHERE c.id = $1 FOR UPDATE`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  async resolve(
    m: EntityManager,
    id: string,
    v: {
      status: 'upheld' | 'rejected';
      answer: string;
      actions: Record<string, unknown>[] | null;
      runId: string | null;
    },
  ): Promise<ContestRow> {
    const [rows] = await m.query<[ContestRow[], number]>(
      `UPDATE contests.contests c SET status = $2, answer = $3, actions = $4::jsonb, rescore_run_id = $5, resolved_at = now()
       WHERE c.id = $1 RETURNING ${COLS}`,
      [id, v.status, v.answer, v.actions ? JSON.stringify(v.actions) : null, v.runId],
    );
    return rows[0];
  }

  async event(
    m: EntityManager,
    contestId: string,
    actor: ContestEventRow['actor'],
    action: string,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await m.query(
      `INSERT INTO contests.contest_events (contest_id, actor, action, details) VALUES ($1, $2, $3, $4::jsonb)`,
      [contestId, actor, action, JSON.stringify(details)],
    );
  }

  eventsOf(contestIds: string[]): Promise<ContestEventRow[]> {
    return this.dataSource.query(
      `SELECT contest_id AS "contestId", at, actor, action, details FROM contests.contest_events
       WHERE contest_id = ANY($1::uuid[]) ORDER BY at, id`,
      [contestIds],
    );
  }

  /** Pseudonymous facts from the influencers context's published view (no name, no email). */
  async memberFacts(influencerId: string): Promise<{ country: string | null; since: Date | null } | null> {
    const rows: { country: string | null; since: Date | null }[] = await this.dataSource.query(
      `SELECT country, adult_verified_at AS since FROM influencers.active_members WHERE id = $1`,
      [influencerId],
    );
    return rows[0] ?? null;
  }

  async earlierContests(influencerId: string, before: Date): Promise<number> {
    const [{ n }] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM contests.contests WHERE influencer_id = $1 AND created_at < $2`,
      [influencerId, before],
    );
    return n;
  }

  /** A confirmed fraud verdict about this member (the trust context's published view), or false. */
  async isVerdictAbout(m: EntityManager, signalId: string, influencerId: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM trust.confirmed_verdicts WHERE signal_id = $1 AND influencer_id = $2`,
      [signalId, influencerId],
    );
    return rows.length > 0;
  }

  /** Confirmed fraud verdicts per brand and type: counts only, from the published views. */
  fraudOverview(): Promise<{ brandId: string; brand: string; type: string; n: number }[]> {
    return this.dataSource.query(
      `SELECT c.brand_id AS "brandId", b.name AS brand, v.type, count(*)::int AS n
       FROM trust.confirmed_verdicts v
       JOIN campaigns.campaign_facts c ON c.id = v.campaign_id
       JOIN brands.brand_names b ON b.id = c.brand_id
       GROUP BY 1, 2, 3 ORDER BY 2, 1, 3`,
    );
  }

  async topicExists(m: EntityManager, slug: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM topics.topic_catalogue WHERE lower(slug) = lower($1)`, [slug]);
    return rows.length > 0;
  }

  async exportMember(influencerId: string, m: EntityManager): Promise<unknown> {
    const contests: ContestRow[] = await m.query(
      `SELECT ${COLS} FROM contests.contests c WHERE c.influencer_id = $1 ORDER BY c.created_at`,
      [influencerId],
    );
    return contests.map(({ influencerId: _i, cursorUs: _c, ...c }) => c);
  }

  async eraseMember(influencerId: string, m: EntityManager): Promise<void> {
    await m.query(
      `DELETE FROM contests.contest_events WHERE contest_id IN (SELECT id FROM contests.contests WHERE influencer_id = $1)`,
      [influencerId],
    );
    await m.query(`DELETE FROM contests.contests WHERE influencer_id = $1`, [influencerId]);
  }
}
