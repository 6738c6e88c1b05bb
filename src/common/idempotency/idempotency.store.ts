import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** The stored replies of idempotent requests, as far as other contexts need them (erasure). */
@Injectable()
export class IdempotencyStore {
  /** Stored responses of the member's signup and of their own requests may quote their profile. */
  async eraseMember(m: EntityManager, influencerId: string): Promise<void> {
    await m.query(`DELETE FROM common.idempotency_keys WHERE scope = $1 OR strpos(response_body::text, $2) > 0`, [
      `influencer:${influencerId}`,
      influencerId,
    ]);
  }
}
