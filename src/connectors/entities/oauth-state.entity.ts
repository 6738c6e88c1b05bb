import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A pending Mastodon authorisation (PKCE verifier and who asked), valid for ten minutes. */
@Entity({ name: 'oauth_states', schema: 'connectors' })
@Index('oauth_states_influencer_idx', ['influencerId'])
export class OAuthStateEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'oauth_states_pk' })
  state!: string;

  @Column({ type: 'uuid' })
  influencerId!: string;

  @Column({ type: 'text' })
  instanceUrl!: string;

  @Column({ type: 'text' })
  username!: string;

  @Column({ type: 'text' })
  codeVerifier!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}
