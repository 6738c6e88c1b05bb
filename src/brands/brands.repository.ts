import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BrandRole } from '../common/auth/permissions';

export interface BrandRow {
  id: string;
  name: string;
  email: string;
  stripeAccountId: string | null;
  createdAt: Date;
}

export interface ApiKeyRow {
  id: string;
  prefix: string;
  role: BrandRole;
  createdAt: Date;
  revokedAt: Date | null;
}

const BRAND_COLS = `id, name, email, stripe_account_id AS "stripeAccountId", created_at AS "createdAt"`;
const KEY_COLS = `id, prefix, role, created_at AS "createdAt", revoked_at AS "revokedAt"`;

/** Every brand-owned read takes the brandId: there is no lookup by key id alone. */
@Injectable()
export class BrandsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertBrand(m: EntityManager, name: string, email: string): Promise<BrandRow> {
    const [row] = await m.query(`INSERT INTO brands (name, email) VALUES ($1, $2) RETURNING ${BRAND_COLS}`, [
      name,
      email,
    ]);
    return row;
  }

  namesOf(ids: string[]): Promise<{ id: string; name: string }[]> {
    return this.dataSource.query(`SELECT id, name FROM brands WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async findBrand(brandId: string): Promise<BrandRow | null> {
    const rows = await this.dataSource.query(`SELECT ${BRAND_COLS} FROM brands WHERE id = $1`, [brandId]);
    return rows[0] ?? null;
  }

  async insertKey(
    m: EntityManager,
    brandId: string,
    hash: Buffer,
    prefix: string,
    role: BrandRole = 'admin',
  ): Promise<ApiKeyRow> {
    const [row] = await m.query(
      `INSERT INTO api_keys (brand_id, key_hash, prefix, role) VALUES ($1, $2, $3, $4) RETURNING ${KEY_COLS}`,
      [brandId, hash, prefix, role],
    );
    return row;
  }

  listKeys(brandId: string): Promise<ApiKeyRow[]> {
    return this.dataSource.query(`SELECT ${KEY_COLS} FROM api_keys WHERE brand_id = $1 ORDER BY created_at, id`, [
      brandId,
    ]);
  }

  async activeKeyByHash(hash: Buffer): Promise<{ id: string; brandId: string; role: BrandRole } | null> {
    const rows = await this.dataSource.query(
      `SELECT id, brand_id AS "brandId", role FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
    return rows[0] ?? null;
  }

  /** Locks the brand's keys so two concurrent revocations cannot both pass the last-key check. */
  async lockKeys(
    m: EntityManager,
    brandId: string,
  ): Promise<{ id: string; role: BrandRole; revokedAt: Date | null }[]> {
    return m.query(
      `SELECT id, role, revoked_at AS "revokedAt" FROM api_keys WHERE brand_id = $1 ORDER BY id FOR UPDATE`,
      [brandId],
    );
  }

  async revokeKey(m: EntityManager, brandId: string, keyId: string): Promise<void> {
    await m.query(`UPDATE api_keys SET revoked_at = now() WHERE brand_id = $1 AND id = $2 AND revoked_at IS NULL`, [
      brandId,
      keyId,
    ]);
  }

  /** Links (or re-links) the brand's Stripe account; false when another brand already holds it (unique key). */
  async setStripeAccount(brandId: string, accountId: string): Promise<BrandRow | null> {
    const [rows] = await this.dataSource.query<[BrandRow[], number]>(
      `UPDATE brands SET stripe_account_id = $2 WHERE id = $1
         AND NOT EXISTS (SELECT 1 FROM brands o WHERE o.stripe_account_id = $2 AND o.id <> $1)
       RETURNING ${BRAND_COLS}`,
      [brandId, accountId],
    );
    return rows[0] ?? null;
  }

  async brandIdByStripeAccount(accountId: string, m: EntityManager = this.dataSource.manager): Promise<string | null> {
    const rows: { id: string }[] = await m.query(`SELECT id FROM brands WHERE stripe_account_id = $1`, [accountId]);
    return rows[0]?.id ?? null;
  }
}
