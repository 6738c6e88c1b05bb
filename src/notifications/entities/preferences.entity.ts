import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

const MODE = (c: string): string => `${c} IN ('instant', 'daily', 'off')`;

/** A member's answers; no row means nothing was answered, i.e. everything optional is off. */
@Entity({ name: 'member_preferences', schema: 'notifications' })
@Check(
  'member_preferences_modes_check',
  [MODE('offers'), MODE('offer_expiring'), MODE('fulfilment'), MODE('contests')].join(' AND '),
)
export class MemberPreferencesEntity {
  @PrimaryColumn({ type: 'uuid' })
  memberId!: string;

  @Column({ type: 'text', default: 'off' })
  offers!: string;

  @Column({ type: 'text', default: 'off' })
  offerExpiring!: string;

  @Column({ type: 'text', default: 'off' })
  fulfilment!: string;

  @Column({ type: 'text', default: 'off' })
  contests!: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** A brand (or, with teams, a brand user) that unsubscribed from one kind. */
@Entity({ name: 'brand_opt_outs', schema: 'notifications' })
export class BrandOptOutEntity {
  @PrimaryColumn({ type: 'uuid' })
  brandId!: string;

  @PrimaryColumn({ type: 'text' })
  kind!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
