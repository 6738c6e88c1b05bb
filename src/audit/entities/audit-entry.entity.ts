import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One change a person, key or the operator made to a brand's objects. Append-only; no personal data of members
 * (targets are ids, members appear only as pseudonymous ids) and no secrets (a key's prefix at most).
 */
@Entity({ name: 'entries', schema: 'audit' })
@Check('audit_entries_actor_kind_check', `actor_kind IN ('user', 'api_key', 'admin')`)
@Index('audit_entries_brand_at_idx', ['brandId', 'at', 'id'])
export class AuditEntryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  brandId!: string;

  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  at!: Date;

  @Column({ type: 'text' })
  actorKind!: 'user' | 'api_key' | 'admin';

  /** The user or API key; null for the operator (one shared admin token). */
  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text' })
  targetType!: string;

  @Column({ type: 'text' })
  targetId!: string;

  /** Changed fields, `{ field: newValue }` or `{ field: { from, to } }`. */
  @Column({ type: 'jsonb', nullable: true })
  changes!: Record<string, unknown> | null;
}
