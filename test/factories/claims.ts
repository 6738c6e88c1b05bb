import { TestBrand } from './brands';
import { activateOffline, createCampaign, CampaignBody } from './campaigns';
import { TestMember, createMember } from './influencers';
import { TestApp } from '../support/test-app';

export const quote = (inventory: number, unit = 1800, bps = 1000): number =>
  inventory * unit + Math.round((inventory * unit * bps) / 10000);

export interface TestClaim {
  id: string;
  code: string;
  trackingUrl: string;
  campaignId: string;
  member: TestMember;
}

/** An active campaign funded offline, without matcher-made offers (its topic threshold is out of reach). */
export async function activeCampaign(
  t: TestApp,
  brand: TestBrand,
  o: Partial<CampaignBody> & { inventory?: number } = {},
): Promise<string> {
  const inventory = o.inventory ?? 10;
  const unit = o.perk?.unitCostCents ?? 1800;
  const c = await createCampaign(t, brand, {
    perk: { title: 'Perk', description: 'A perk', kind: 'discount', unitCostCents: unit, currency: 'usd' },
    targeting: { topics: [{ slug: 'espresso-makers', minScore: 99 }], match: 'any' },
    ...o,
    inventory,
  });
  await activateOffline(t, c.id, quote(inventory, unit, t.config.platformFeeBps));
  return c.id;
}

/** A member with an offer inserted by SQL, claimed through the API: the real claim transaction. */
export async function claimFor(t: TestApp, campaignId: string, member?: TestMember): Promise<TestClaim> {
  const m = member ?? (await createMember(t));
  const [{ id: offerId }] = await t.db.query(
    `INSERT INTO offers (campaign_id, influencer_id, status, match_score, expires_at)
     VALUES ($1, $2, 'pending', 60, now() + interval '72 hours') RETURNING id`,
    [campaignId, m.id],
  );
  const res = await t.http.post(`/v1/me/offers/${offerId}/claim`).set(m.auth);
  if (res.status !== 201) throw new Error(`claim: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...res.body.claim, member: m };
}

export const BROWSER_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';

/** Follows a tracking link as a browser at a given client address would; returns the Location. */
export async function visit(
  t: TestApp,
  code: string,
  o: { ip?: string; ua?: string | null; method?: 'GET' | 'HEAD'; headers?: Record<string, string> } = {},
): Promise<string> {
  const req = o.method === 'HEAD' ? t.http.head(`/r/${code}`) : t.http.get(`/r/${code}`);
  if (o.ua !== null) void req.set('user-agent', o.ua ?? BROWSER_UA);
  if (o.ip) void req.set('x-forwarded-for', o.ip);
  for (const [k, v] of Object.entries(o.headers ?? {})) void req.set(k, v);
  const res = await req.redirects(0);
  if (res.status !== 302) throw new Error(`visit ${code}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.headers.location;
}

export const clickIdOf = (location: string): string => new URL(location).searchParams.get('sway_click')!;
