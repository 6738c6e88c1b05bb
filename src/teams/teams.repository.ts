import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { BrandRole } from '../common/auth/permissions';

export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  passwordHash: string;
}
export interface MembershipRow {
  brandId: string;
  userId: string;
  role: BrandRole;
  createdAt: Date;
}
export interface MemberRow extends MembershipRow {
  email: string;
  name: string | null;
}
export interface InvitationRow {
  id: string;
  brandId: string;
  email: string;
  role: BrandRole;
  expiresAt: Date;
  acceptedAt: Date | null;
}
export interface SessionBrandRow {
  brandId: string;
  role: BrandRole;
  secondFactorRequired: boolean;
  secondFactorAt: Date | null;
}

const USER_COLS = `id, email, name, password_hash AS "passwordHash"`;
const INV_COLS = `id, brand_id AS "brandId", email, role, expires_at AS "expiresAt", accepted_at AS "acceptedAt"`;

/** Only this context's tables (schema `teams`). */
@Injectable()
export class TeamsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private q(m?: EntityManager): EntityManager | DataSource {
    return m ?? this.dataSource;
  }

  async insertUser(m: EntityManager, email: string, passwordHash: string, name: string | null): Promise<UserRow> {
    const [row] = await m.query(
      `INSERT INTO teams.users (email, password_hash, name) VALUES ($1, $2, $3) RETURNING ${USER_COLS}`,
      [email, passwordHash, name],
    );
    return row;
  }

  async userByEmail(email: string, m?: EntityManager): Promise<UserRow | null> {
    const rows = await this.q(m).query(`SELECT ${USER_COLS} FROM teams.users WHERE lower(email) = lower($1)`, [email]);
    return rows[0] ?? null;
  }

  async userById(id: string, m?: EntityManager): Promise<UserRow | null> {
    const rows = await this.q(m).query(`SELECT ${USER_COLS} FROM teams.users WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async setPassword(m: EntityManager, userId: string, passwordHash: string): Promise<void> {
    await m.query(`UPDATE teams.users SET password_hash = $2 WHERE id = $1`, [userId, passwordHash]);
  }

  async insertMembership(m: EntityManager, brandId: string, userId: string, role: BrandRole): Promise<boolean> {
    const rows = await m.query(
      `INSERT INTO teams.memberships (brand_id, user_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (brand_id, user_id) DO NOTHING RETURNING user_id`,
      [brandId, userId, role],
    );
    return rows.length === 1;
  }

  membershipsOf(userId: string): Promise<MembershipRow[]> {
    return this.dataSource.query(
      `SELECT brand_id AS "brandId", user_id AS "userId", role, created_at AS "createdAt"
         FROM teams.memberships WHERE user_id = $1 ORDER BY created_at, brand_id`,
      [userId],
    );
  }

  members(brandId: string): Promise<MemberRow[]> {
    return this.dataSource.query(
      `SELECT m.brand_id AS "brandId", m.user_id AS "userId", m.role, m.created_at AS "createdAt", u.email, u.name
         FROM teams.memberships m JOIN teams.users u ON u.id = m.user_id
        WHERE m.brand_id = $1 ORDER BY m.created_at, m.user_id`,
      [brandId],
    );
  }

  /** Locks the brand's memberships, so two demotions cannot both see "another owner remains". */
  lockMembers(m: EntityManager, brandId: string): Promise<MembershipRow[]> {
    return m.query(
      `SELECT brand_id AS "brandId", user_id AS "userId", role, created_at AS "createdAt"
         FROM teams.memberships WHERE brand_id = $1 ORDER BY user_id FOR UPDATE`,
      [brandId],
    );
  }

  async setRole(m: EntityManager, brandId: string, userId: string, role: BrandRole): Promise<void> {
    await m.query(`UPDATE teams.memberships SET role = $3 WHERE brand_id = $1 AND user_id = $2`, [
      brandId,
      userId,
      role,
    ]);
  }

  async removeMember(m: EntityManager, brandId: string, userId: string): Promise<void> {
    await m.query(`DELETE FROM teams.memberships WHERE brand_id = $1 AND user_id = $2`, [brandId, userId]);
  }

  async hasMembers(brandId: string): Promise<boolean> {
    const rows = await this.dataSource.query(`SELECT 1 FROM teams.memberships WHERE brand_id = $1 LIMIT 1`, [brandId]);
    return rows.length > 0;
  }

  /** The brand a session acts for, if the person still belongs to it, with the brand's second-factor policy. */
  async sessionBrand(sessionId: string, userId: string): Promise<SessionBrandRow | null> {
    const rows = await this.dataSource.query(
      `SELECT s.brand_id AS "brandId", m.role, coalesce(p.second_factor_required, false) AS "secondFactorRequired",
              s.second_factor_at AS "secondFactorAt"
         FROM teams.session_brands s
         JOIN teams.memberships m ON m.brand_id = s.brand_id AND m.user_id = s.user_id
         LEFT JOIN teams.brand_policies p ON p.brand_id = s.brand_id
        WHERE s.session_id = $1 AND s.user_id = $2`,
      [sessionId, userId],
    );
    return rows[0] ?? null;
  }

  /** Points the session at a brand, keeping a second factor it already proved. */
  async setSessionBrand(sessionId: string, userId: string, brandId: string, m?: EntityManager): Promise<void> {
    await this.q(m).query(
      `INSERT INTO teams.session_brands (session_id, user_id, brand_id) VALUES ($1, $2, $3)
       ON CONFLICT (session_id) DO UPDATE SET brand_id = EXCLUDED.brand_id WHERE session_brands.user_id = $2`,
      [sessionId, userId, brandId],
    );
  }

  async markSecondFactor(sessionId: string, userId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE teams.session_brands SET second_factor_at = now() WHERE session_id = $1 AND user_id = $2`,
      [sessionId, userId],
    );
  }

  async secondFactorRequired(brandId: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT second_factor_required AS r FROM teams.brand_policies WHERE brand_id = $1`,
      [brandId],
    );
    return rows[0]?.r ?? false;
  }

  async setSecondFactorRequired(m: EntityManager, brandId: string, required: boolean): Promise<void> {
    await m.query(
      `INSERT INTO teams.brand_policies (brand_id, second_factor_required) VALUES ($1, $2)
       ON CONFLICT (brand_id) DO UPDATE SET second_factor_required = EXCLUDED.second_factor_required`,
      [brandId, required],
    );
  }

  async insertInvitation(
    m: EntityManager,
    r: { brandId: string; email: string; role: BrandRole; tokenHash: Buffer; invitedBy: string | null; days: number },
  ): Promise<InvitationRow> {
    const [row] = await m.query(
      `INSERT INTO teams.invitations (brand_id, email, role, token_hash, invited_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6)) RETURNING ${INV_COLS}`,
      [r.brandId, r.email, r.role, r.tokenHash, r.invitedBy, r.days],
    );
    return row;
  }

  async deleteInvitation(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM teams.invitations WHERE id = $1`, [id]);
  }

  async lockInvitation(m: EntityManager, tokenHash: Buffer): Promise<InvitationRow | null> {
    const rows = await m.query(`SELECT ${INV_COLS} FROM teams.invitations WHERE token_hash = $1 FOR UPDATE`, [
      tokenHash,
    ]);
    return rows[0] ?? null;
  }

  async markAccepted(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE teams.invitations SET accepted_at = now() WHERE id = $1`, [id]);
  }

  async insertReset(m: EntityManager, tokenHash: Buffer, userId: string, minutes: number): Promise<void> {
    await m.query(
      `INSERT INTO teams.password_resets (token_hash, user_id, expires_at)
       VALUES ($1, $2, now() + make_interval(mins => $3))`,
      [tokenHash, userId, minutes],
    );
  }

  /** Consumes a live reset token (single use), returning its user. */
  async useReset(m: EntityManager, tokenHash: Buffer): Promise<string | null> {
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows] = await m.query(
      `UPDATE teams.password_resets SET used_at = now()
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id AS "userId"`,
      [tokenHash],
    );
    return (rows as { userId: string }[])[0]?.userId ?? null;
  }

  /** Other live links die with a reset: one link, one password change. */
  async expireResets(m: EntityManager, userId: string): Promise<void> {
    await m.query(`UPDATE teams.password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [userId]);
  }
}
