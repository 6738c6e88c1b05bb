import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface PasskeyRow {
  id: string;
  userId: string;
  credentialId: string;
  publicKey: Buffer;
  counter: string;
  transports: string[];
  label: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const COLS = `id, user_id AS "userId", credential_id AS "credentialId", public_key AS "publicKey", counter::text AS counter,
  transports, label, created_at AS "createdAt", last_used_at AS "lastUsedAt"`;

/** Only `teams.passkeys`. */
@Injectable()
export class PasskeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Null when the credential is already registered (to anyone). */
  async insert(r: {
    userId: string;
    credentialId: string;
    publicKey: Buffer;
    counter: number;
    transports: string[];
    label: string | null;
  }): Promise<PasskeyRow | null> {
    const rows = await this.dataSource.query(
      `INSERT INTO teams.passkeys (user_id, credential_id, public_key, counter, transports, label)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (credential_id) DO NOTHING RETURNING ${COLS}`,
      [r.userId, r.credentialId, r.publicKey, r.counter, r.transports, r.label],
    );
    return rows[0] ?? null;
  }

  listFor(userId: string): Promise<PasskeyRow[]> {
    return this.dataSource.query(`SELECT ${COLS} FROM teams.passkeys WHERE user_id = $1 ORDER BY created_at, id`, [
      userId,
    ]);
  }

  async countFor(userId: string): Promise<number> {
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM teams.passkeys WHERE user_id = $1`, [
      userId,
    ]);
    return n;
  }

  async byCredentialId(credentialId: string): Promise<PasskeyRow | null> {
    const rows = await this.dataSource.query(`SELECT ${COLS} FROM teams.passkeys WHERE credential_id = $1`, [
      credentialId,
    ]);
    return rows[0] ?? null;
  }

  /** The signature counter only moves forward (a cloned authenticator would replay an older one). */
  async used(id: string, counter: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE teams.passkeys SET counter = greatest(counter, $2), last_used_at = now() WHERE id = $1`,
      [id, counter],
    );
  }

  async remove(userId: string, id: string): Promise<boolean> {
    const [, n] = (await this.dataSource.query(`DELETE FROM teams.passkeys WHERE user_id = $1 AND id = $2`, [
      userId,
      id,
    ])) as [unknown, number];
    return n === 1;
  }
}
