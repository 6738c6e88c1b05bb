import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Failed sign-ins per account, for the lockout. Keyed by an HMAC of (kind, lower-case email), so the table holds
 * no email, not even of people who are not members.
 */
@Entity({ name: 'login_failures', schema: 'sessions' })
export class LoginFailureEntity {
  @PrimaryColumn({ type: 'bytea' })
  accountKey!: Buffer;

  @Column({ type: 'integer' })
  failures!: number;

  @Column({ type: 'timestamptz' })
  lastFailureAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;
}
