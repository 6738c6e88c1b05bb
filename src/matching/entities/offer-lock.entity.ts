import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per member a wave has offered to: the row a wave locks (until it commits) before it counts the member's
 * offers of the week, so two campaigns' waves that pick the same member take turns on that member only, and the
 * weekly cap stays exact without one lock serialising every wave.
 */
@Entity({ name: 'offer_locks', schema: 'matching' })
export class OfferLockEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'offer_locks_pkey' })
  influencerId!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lockedAt!: Date;
}
