import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const SESSION_KINDS = ['member', 'brand'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/**
 * A browser sign-in. Only a SHA-256 of the opaque cookie value is stored, so a database dump cannot be replayed
 * as cookies. `subject_id` is the member (or, for `brand`, the brand user); no FK across contexts.
 */
@Entity({ name: 'sessions', schema: 'sessions' })
@Check('sessions_kind_check', `kind IN ('member', 'brand')`)
@Index('sessions_subject_idx', ['kind', 'subjectId'])
export class SessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('sessions_token_hash_uq', { unique: true })
  @Column({ type: 'bytea' })
  tokenHash!: Buffer;

  @Column({ type: 'text' })
  kind!: SessionKind;

  @Column({ type: 'uuid' })
  subjectId!: string;

  /** Shown in the member's session list so they can tell their devices apart; truncated, erased with them. */
  @Column({ type: 'text', nullable: true })
  userAgent!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastSeenAt!: Date;

  /** Absolute expiry: however active, a session ends here. */
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
