import { createHmac } from 'node:crypto';

/**
 * The name a brand sees for a member who has not consented to `shareStatsWithBrands`. Keyed per brand, so two
 * brands comparing notes cannot join their data on it; stable, so a brand's own reports stay consistent; and
 * derived from the member id, which survives erasure as a tombstone, so reports keep their rows.
 */
export function brandPseudonym(secret: Buffer, brandId: string, influencerId: string): string {
  const mac = createHmac('sha256', secret).update(`pseudonym:${brandId}:${influencerId}`).digest();
  return `inf_${mac.subarray(0, 12).toString('base64url')}`;
}

/**
 * A personal value (an email, a shipping address) reduced to what fraud rules need — equality within one brand —
 * keyed like the pseudonym above, so two brands' hashes of the same email differ and nobody without the secret
 * can test a guess. The value itself is never stored; callers normalise it first (normalizeEmail/Address).
 */
export function brandKeyedHash(secret: Buffer, brandId: string, purpose: 'email' | 'address', value: string): Buffer {
  return createHmac('sha256', secret).update(`${purpose}:${brandId}:${value}`).digest();
}

/** Case and surrounding space never make two emails different people. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * A shipping address as a household: case, punctuation and spacing dropped, the recipient's name ignored (two
 * people at one address is the point). Country, postal code, line 1, line 2 and city, in that order.
 */
export function normalizeAddress(a: {
  line1: string;
  line2?: string | null;
  city: string;
  postalCode: string;
  country: string;
}): string {
  const norm = (s: string | null | undefined): string =>
    (s ?? '')
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '');
  return [a.country, a.postalCode, a.line1, a.line2, a.city].map(norm).join('|');
}
