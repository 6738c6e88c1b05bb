import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'brands', schema: 'brands' })
export class BrandEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Billing and account contact of the business. */
  @Column({ type: 'text' })
  email!: string;

  /** The brand's own Stripe account (Connect), whose sales become conversions. */
  @Column({ type: 'text', nullable: true, unique: true })
  stripeAccountId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
