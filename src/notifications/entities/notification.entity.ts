import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const EMAIL_STATES = [
  'none', // in-app only (preference off, or an unsubscribed kind)
  'queued', // an instant mail is due; the `deliver` job sends it
  'sending', // an attempt is in flight (or crashed: see docs/notifications.md on the retry choice)
  'sent',
  'digest', // waits for the recipient's next daily digest
  'digested', // went out in digest `digest_id`
  'skipped', // no address (erased member, brand without one)
  'suppressed', // the address bounced or was erased
  'bounced', // the SMTP server refused it for good
] as const;
export type EmailState = (typeof EMAIL_STATES)[number];

/**
 * One notification for one recipient: the in-app entry and the state of its mail. `params` hold only what the
 * recipient may see (a brand's rows name members by the brand's pseudonym); the outbox carries only the id.
 */
@Entity({ name: 'notifications', schema: 'notifications' })
@Check('notifications_recipient_kind_check', `recipient_kind IN ('member', 'brand')`)
@Check('notifications_email_state_check', `email_state IN (${EMAIL_STATES.map((s) => `'${s}'`).join(', ')})`)
@Index('notifications_recipient_idx', ['recipientKind', 'recipientId', 'createdAt', 'id'])
@Index('notifications_fact_uq', ['factKey'], { unique: true })
@Index('notifications_email_state_idx', ['emailState', 'recipientKind', 'recipientId'])
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  recipientKind!: 'member' | 'brand';

  @Column({ type: 'uuid' })
  recipientId!: string;

  @Column({ type: 'text' })
  kind!: string;

  /** The fact this reports (`offer:<id>`, `claim-fulfilled:<id>` …): one notification per fact and recipient. */
  @Column({ type: 'text' })
  factKey!: string;

  @Column({ type: 'jsonb' })
  params!: Record<string, unknown>;

  @Column({ type: 'text' })
  title!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  readAt!: Date | null;

  @Column({ type: 'text', default: 'none' })
  emailState!: EmailState;

  @Column({ type: 'int', default: 0 })
  emailAttempts!: number;

  /** While an attempt is in flight no other job sends; past it, a crashed attempt may be repeated. */
  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  emailSentAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  digestId!: string | null;

  /**
   * Only the erasure notice has one: the member row has lost its address by the time the mail goes out. The row
   * (and the address) is deleted as soon as the mail is sent or refused.
   */
  @Column({ type: 'text', nullable: true })
  address!: string | null;
}
