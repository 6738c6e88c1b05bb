import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a brand has to approve in Stripe and hand the code back. */
export const CONNECT_STATE_TTL_MS = 30 * 60_000;

/**
 * The OAuth `state` of a Stripe Connect authorization: the brand it was issued to and until when, signed. Stateless
 * (nothing to store or purge): a code comes back with its state, and the state must be this brand's and fresh, so
 * a code obtained in one brand's flow cannot be replayed into another's (OAuth's CSRF defence, RFC 6749 §10.12).
 */
export class ConnectState {
  private readonly key: Buffer;

  constructor(secret: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'sway', 'stripe-connect-state', 32));
  }

  issue(brandId: string, now = new Date()): { state: string; expiresAt: Date } {
    const expiresAt = new Date(now.getTime() + CONNECT_STATE_TTL_MS);
    const body = Buffer.from(
      JSON.stringify([brandId, expiresAt.getTime(), randomBytes(12).toString('base64url')]),
    ).toString('base64url');
    return { state: `${body}.${this.sign(body)}`, expiresAt };
  }

  /** True only for a state this Sway issued to `brandId` that has not expired. */
  verify(state: string, brandId: string, now = new Date()): boolean {
    const [body, sig, ...rest] = state.split('.');
    if (!body || !sig || rest.length) return false;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    try {
      const [id, exp] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown[];
      return id === brandId && typeof exp === 'number' && exp > now.getTime();
    } catch {
      return false;
    }
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
