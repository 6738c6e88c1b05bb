import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** Addresses Sway must not mail, as a keyed hash (the address itself is not kept). */
@Entity({ name: 'suppressions', schema: 'notifications' })
export class SuppressionEntity {
  @PrimaryColumn({ type: 'bytea' })
  addressHash!: Buffer;

  /** bounce | erased */
  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/** Each permanent refusal by the SMTP server. */
@Entity({ name: 'bounces', schema: 'notifications' })
@Index('bounces_recipient_idx', ['recipientKind', 'recipientId'])
export class BounceEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'text' })
  recipientKind!: string;

  @Column({ type: 'uuid' })
  recipientId!: string;

  @Column({ type: 'bytea' })
  addressHash!: Buffer;

  @Column({ type: 'uuid', nullable: true })
  notificationId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  digestId!: string | null;

  @Column({ type: 'int', nullable: true })
  responseCode!: number | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}

/** Browsers a member has signed in from (keyed hash of member and user agent), to tell a new one. */
@Entity({ name: 'known_devices', schema: 'notifications' })
export class KnownDeviceEntity {
  @PrimaryColumn({ type: 'text' })
  subjectKind!: string;

  @PrimaryColumn({ type: 'uuid' })
  subjectId!: string;

  @PrimaryColumn({ type: 'bytea' })
  deviceHash!: Buffer;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  firstSeenAt!: Date;
}
