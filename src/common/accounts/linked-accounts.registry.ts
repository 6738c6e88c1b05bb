import { Injectable } from '@nestjs/common';

/** What a member sees of an account linked through a provider other than the influencers context. */
export interface LinkedAccountView {
  id: string;
  network: string;
  handle: string;
  externalId: string;
  createdAt: string;
  [extra: string]: unknown;
}

/**
 * `GET|DELETE /v1/me/social-accounts` belong to the influencers context, but some accounts (Bluesky, Mastodon)
 * are owned by the context that verified them. Providers register here, so the member sees one list and one
 * unlink, and the influencers context does not depend on the providers (they depend on it for consents).
 */
export interface LinkedAccountProvider {
  readonly name: string;
  list(influencerId: string): Promise<LinkedAccountView[]>;
  /** true when this provider owned the account and removed it (with everything fetched through it). */
  unlink(influencerId: string, accountId: string): Promise<boolean>;
}

@Injectable()
export class LinkedAccountsRegistry {
  private readonly providers: LinkedAccountProvider[] = [];

  register(p: LinkedAccountProvider): void {
    if (this.providers.some((x) => x.name === p.name)) throw new Error(`account provider ${p.name} registered twice`);
    this.providers.push(p);
  }

  all(): readonly LinkedAccountProvider[] {
    return this.providers;
  }
}
