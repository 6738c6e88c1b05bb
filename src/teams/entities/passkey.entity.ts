import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from './user.entity';

/** A WebAuthn credential of a brand user (public key only; the private key never leaves the authenticator). */
@Entity({ name: 'passkeys', schema: 'teams' })
@Index('passkeys_user_idx', ['userId'])
export class PasskeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  /** base64url credential id, as the browser reports it. */
  @Index('passkeys_credential_uq', { unique: true })
  @Column({ type: 'text' })
  credentialId!: string;

  @Column({ type: 'bytea' })
  publicKey!: Buffer;

  @Column({ type: 'bigint', default: 0 })
  counter!: string;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  transports!: string[];

  @Column({ type: 'text', nullable: true })
  label!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}
