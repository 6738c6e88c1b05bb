import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A brand's sign-in policy, set by its owners. No row: the defaults. */
@Entity({ name: 'brand_policies', schema: 'teams' })
export class BrandPolicyEntity {
  @PrimaryColumn({ type: 'uuid' })
  brandId!: string;

  /** Every person signing in to this brand must also use a passkey. */
  @Column({ type: 'boolean', default: false })
  secondFactorRequired!: boolean;
}
