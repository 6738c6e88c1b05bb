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
