import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SessionKind } from './entities/session.entity';

export interface SessionRow {
  id: string;
  kind: SessionKind;
  subjectId: string;
  userAgent: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

const COLUMNS = `id, kind, subject_id AS "subjectId", user_agent AS "userAgent", created_at AS "createdAt",
  last_seen_at AS "lastSeenAt", expires_at AS "expiresAt"`;

/** Only this context's tables (schema `sessions`). */
@Injectable()
export class SessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(r: {
    tokenHash: Buffer;
    kind: SessionKind;
    subjectId: string;
    userAgent: string | null;
    absoluteSeconds: number;
  }): Promise<SessionRow> {
    const rows: SessionRow[] = await this.dataSource.query(
      `INSERT INTO sessions.sessions (token_hash, kind, subject_id, user_agent, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5)) RETURNING ${COLUMNS}`,
      [r.tokenHash, r.kind, r.subjectId, r.userAgent, r.absoluteSeconds],
    );
    return rows[0];
  }

  /** A live session: not revoked, before its absolute expiry and used within the idle window. */
  async findLive(tokenHash: Buffer, idleSeconds: number): Promise<SessionRow | null> {
    const rows: SessionRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM sessions.sessions
        WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()
          AND last_seen_at > now() - make_interval(secs => $2)`,
      [tokenHash, idleSeconds],
    );
    return rows[0] ?? null;
  }

  /** Throttled so that browsing is not one write per request; idle expiry only needs minute precision. */
  async touch(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE sessions.sessions SET last_seen_at = now() WHERE id = $1 AND last_seen_at < now() - interval '60 seconds'`,
      [id],
    );
  }

  listLive(kind: SessionKind, subjectId: string, idleSeconds: number): Promise<SessionRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM sessions.sessions
        WHERE kind = $1 AND subject_id = $2 AND revoked_at IS NULL AND expires_at > now()
          AND last_seen_at > now() - make_interval(secs => $3)
        ORDER BY last_seen_at DESC LIMIT 200`,
      [kind, subjectId, idleSeconds],
    );
  }

  /** Returns how many were revoked; scoped to the subject so nobody revokes someone else's session. */
  async revoke(kind: SessionKind, subjectId: string, id?: string): Promise<number> {
    const [, count] = await this.dataSource.query<[unknown, number]>(
      `UPDATE sessions.sessions SET revoked_at = now()
        WHERE kind = $1 AND subject_id = $2 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id = $3::uuid)`,
      [kind, subjectId, id ?? null],
    );
    return count;
  }

  async exportFor(kind: SessionKind, subjectId: string, m: EntityManager): Promise<unknown[]> {
    return m.query(
      `SELECT id, user_agent AS "userAgent", created_at AS "createdAt", last_seen_at AS "lastSeenAt",
              expires_at AS "expiresAt", revoked_at AS "revokedAt"
         FROM sessions.sessions WHERE kind = $1 AND subject_id = $2 ORDER BY created_at`,
      [kind, subjectId],
    );
  }

  async deleteFor(kind: SessionKind, subjectId: string, m: EntityManager): Promise<void> {
    await m.query(`DELETE FROM sessions.sessions WHERE kind = $1 AND subject_id = $2`, [kind, subjectId]);
  }

  /** Seconds the account is still locked for, or 0. */
  async lockedFor(accountKey: Buffer): Promise<number> {
    const rows: { s: number }[] = await this.dataSource.query(
      `SELECT ceil(extract(epoch FROM locked_until - now()))::int AS s FROM sessions.login_failures
        WHERE account_key = $1 AND locked_until > now()`,
      [accountKey],
    );
    return rows[0]?.s ?? 0;
  }

  /**
   * Counts one failure atomically. Failures older than an hour start over; from the `freeFailures`-th on, each
   * failure locks the account for 30 s × 2^(n − free), at most 15 minutes. Returns the lock in seconds (or 0).
   */
  async recordFailure(accountKey: Buffer, freeFailures: number): Promise<number> {
    // One statement, so concurrent failures all count; the new count is spelled out twice because SET sees the
    // old row.
    const next = `CASE WHEN f.last_failure_at < now() - interval '1 hour' THEN 1 ELSE f.failures + 1 END`;
    const lock = (n: string) =>
      `CASE WHEN ${n} >= $2::int THEN now() + least(interval '15 minutes', interval '30 seconds' * power(2, ${n} - $2::int)) END`;
    const rows: { s: number }[] = await this.dataSource.query(
      `INSERT INTO sessions.login_failures AS f (account_key, failures, last_failure_at, locked_until)
       VALUES ($1, 1, now(), ${lock('1')})
       ON CONFLICT (account_key) DO UPDATE SET failures = ${next}, last_failure_at = now(), locked_until = ${lock(next)}
       RETURNING coalesce(ceil(extract(epoch FROM f.locked_until - now())), 0)::int AS s`,
      [accountKey, freeFailures],
    );
    return rows[0]?.s ?? 0;
  }

  async clearFailures(accountKey: Buffer): Promise<void> {
    await this.dataSource.query(`DELETE FROM sessions.login_failures WHERE account_key = $1`, [accountKey]);
  }
}
