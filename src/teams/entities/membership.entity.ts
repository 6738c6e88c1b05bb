import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { BrandRole } from '../../common/auth/permissions';
import { UserEntity } from './user.entity';

/** A person's role in one brand; agencies have several rows. `brand_id` has no FK: brands is another context. */
@Entity({ name: 'memberships', schema: 'teams' })
@Check('memberships_role_check', `role IN ('owner', 'admin', 'analyst', 'billing')`)
@Index('memberships_user_idx', ['userId'])
export class MembershipEntity {
  @PrimaryColumn({ type: 'uuid' })
  brandId!: string;

  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'text' })
  role!: BrandRole;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
