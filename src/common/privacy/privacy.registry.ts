import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * Each context that stores something about a member registers one contributor, so the member export and
 * erasure stay complete as contexts are added: a new table about members means a new contributor here.
 */
export interface PrivacyContributor {
  /** Key of this context's part in the export (`scores`, `offers`, …). */
  readonly name: string;
  /** Every stored fact about the member in this context, as plain JSON. */
  export(influencerId: string, manager: EntityManager): Promise<unknown>;
  /** Removes or pseudonymises the member's personal data in this context; must be idempotent. */
  erase(influencerId: string, manager: EntityManager): Promise<void>;
}

@Injectable()
export class PrivacyRegistry {
  private readonly contributors: PrivacyContributor[] = [];

  register(c: PrivacyContributor): void {
    if (this.contributors.some((x) => x.name === c.name))
      throw new Error(`privacy contributor ${c.name} registered twice`);
    this.contributors.push(c);
  }

  all(): readonly PrivacyContributor[] {
    return this.contributors;
  }
}
