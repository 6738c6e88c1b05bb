import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One row per (caller, key); replays within 24 h return the stored response. Secrets are never stored. */
@Entity({ name: 'idempotency_keys' })
@Index('idempotency_keys_expires_idx', ['expiresAt'])
export class IdempotencyKeyEntity {
  /** `brand:<id>`, `influencer:<id>`, `admin` or `public:<ip>` — a key is private to whoever sent it. */
  @PrimaryColumn({ type: 'text' })
  scope!: string;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  route!: string;

  @Column({ type: 'bytea' })
  requestHash!: Buffer;

  @Column({ type: 'smallint', nullable: true })
  responseStatus!: number | null;

  @Column({ type: 'jsonb', nullable: true })
  responseBody!: unknown;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  /** Until when the attempt holding the key is presumed alive; after that a retry may take the key over. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  leaseUntil!: Date;

  /** Fencing token: bumped by each take-over; only the current attempt may commit its effect or response. */
  @Column({ type: 'integer', default: 1 })
  attempt!: number;

  /** Set inside the business transaction: the request took effect (a retry must not run it again). */
  @Column({ type: 'timestamptz', nullable: true })
  effectCommittedAt!: Date | null;
}
