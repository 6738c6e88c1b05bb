import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export interface ShippingAddress {
  name?: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
}

/**
 * A member who signed up. The birth date is never stored: only that, and when, the person was verified adult.
 * Erasure nulls every personal column and keeps the row as a tombstone, so claims and reports keep their
 * totals under a pseudonym derived from the id.
 */
@Entity({ name: 'influencers', schema: 'influencers' })
@Check('influencers_status_check', `status IN ('active', 'erased')`)
@Check(
  'influencers_erased_check',
  `status <> 'erased' OR (email IS NULL AND display_name IS NULL AND password_hash IS NULL AND shipping_address IS NULL)`,
)
// Emails compare case-insensitively; expression index, so TypeORM must not manage it.
@Index('influencers_email_lower_uq', { synchronize: false })
// The audience estimate's range over matchable members (partial, INCLUDE): migration 1798100000000.
@Index('influencers_matchable_idx', { synchronize: false })
export class InfluencerEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', default: 'active' })
  status!: 'active' | 'erased';

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'text', nullable: true })
  displayName!: string | null;

  @Column({ type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ type: 'char', length: 2 })
  country!: string;

  @Column({ type: 'jsonb', nullable: true })
  shippingAddress!: ShippingAddress | null;

  @Column({ type: 'timestamptz' })
  adultVerifiedAt!: Date;

  /** Current consent state, kept in step with the `consents` ledger so matching predicates stay cheap. */
  @Column({ type: 'boolean', default: false })
  consentMatching!: boolean;

  @Column({ type: 'boolean', default: false })
  consentShareStats!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  erasedAt!: Date | null;
}
