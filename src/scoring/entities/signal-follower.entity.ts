import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** Follower-count snapshots, one per account per UTC day (the first one of the day wins). Small: not partitioned. */
@Entity({ name: 'signal_followers', schema: 'scoring' })
@Check('signal_followers_value_check', `value >= 0`)
export class SignalFollowerEntity {
  @PrimaryColumn({ type: 'uuid' })
  influencerId!: string;

  @PrimaryColumn({ type: 'bytea' })
  accountHash!: Buffer;

  @PrimaryColumn({ type: 'date' })
  day!: string;

  @Column({ type: 'text' })
  network!: string;

  @Column({ type: 'bigint' })
  value!: string;

  @Column({ type: 'timestamptz' })
  occurredAt!: Date;
}
