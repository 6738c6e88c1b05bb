import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Sway's OAuth application on one Mastodon instance, registered on first use (`POST /api/v1/apps`). */
@Entity({ name: 'mastodon_apps', schema: 'connectors' })
export class MastodonAppEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'mastodon_apps_pk' })
  instanceUrl!: string;

  @Column({ type: 'text' })
  clientId!: string;

  @Column({ type: 'bytea' })
  clientSecretEnc!: Buffer;

  @Column({ type: 'text' })
  redirectUri!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
