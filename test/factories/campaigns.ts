import { randomUUID } from 'node:crypto';
import { BillingService } from '../../src/billing/billing.service';
import { TestBrand } from './brands';
import { TestApp, admin } from '../support/test-app';

let n = 0;

export interface CampaignBody {
  name: string;
  perk: { title: string; description: string; kind: string; unitCostCents: number; currency: string };
  inventory: number;
  targeting: {
    topics: { slug: string; minScore: number }[];
    match: string;
    minOverallScore?: number | null;
    countries?: string[] | null;
  };
  landingUrl: string;
  startsAt?: string | null;
  endsAt?: string | null;
  offerTtlHours?: number;
  attributionWindowDays?: number;
}

/** A valid campaign body; 10 perks at $18.00, so a 10 % fee gives a $198.00 checkout. */
export function campaignBody(overrides: Partial<CampaignBody> = {}): CampaignBody {
  n++;
  return {
    name: `Espresso launch ${n}`,
    perk: {
      title: 'A bag of espresso',
      description: '250 g whole beans',
      kind: 'product',
      unitCostCents: 1800,
      currency: 'usd',
    },
    inventory: 10,
    targeting: { topics: [{ slug: 'coffee', minScore: 40 }], match: 'any' },
    landingUrl: 'https://shop.example/espresso',
    ...overrides,
  };
}

export async function createCampaign(
  t: TestApp,
  brand: TestBrand,
  overrides: Partial<CampaignBody> = {},
): Promise<{ id: string; body: Record<string, unknown> }> {
  const res = await t.http.post('/v1/campaigns').set(brand.auth).send(campaignBody(overrides));
  if (res.status !== 201) throw new Error(`createCampaign: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, body: res.body };
}

/** Activates a campaign the operator's way (no Stripe needed): offline funding of exactly the quote. */
export async function activateOffline(
  t: TestApp,
  campaignId: string,
  amountCents: number,
  reference = 'INV-1',
): Promise<void> {
  const res = await t.http
    .post(`/v1/admin/campaigns/${campaignId}/funding`)
    .set(admin)
    .send({ amountCents, reference });
  if (res.status !== 200) throw new Error(`activateOffline: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Polls until `check` returns a value (not undefined) — for work the in-process workers finish after a reply. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * What the claims context will do per claim, in one transaction: take a unit with a conditional UPDATE, then
 * book it through BillingService.recordClaim. Returns the claim ids.
 */
export async function simulateClaims(t: TestApp, campaignId: string, count: number): Promise<string[]> {
  const billing = t.app.get(BillingService);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const claimId = randomUUID();
    await t.db.transaction(async (m) => {
      const [, taken] = await m.query<[unknown, number]>(
        `UPDATE campaigns SET claimed = claimed + 1, remaining = remaining - 1
         WHERE id = $1 AND status = 'active' AND remaining > 0`,
        [campaignId],
      );
      if (taken !== 1) throw new Error(`no unit left to claim on ${campaignId}`);
      await billing.recordClaim(m, campaignId, claimId);
    });
    ids.push(claimId);
  }
  return ids;
}
