import { platformFee } from '../billing/money';

/** The campaign facts a report prices (frozen at funding: the fee rate never follows a later config change). */
export interface CampaignFacts {
  id: string;
  currency: string;
  claimed: number;
  unitCostCents: number;
  /** The campaign's frozen platform_fee_bps, or PLATFORM_FEE_BPS when it was never funded. */
  feeBps: number;
}

export interface FunnelCounts {
  eligible: number;
  offered: number;
  declined: number;
  expired: number;
  fulfilled: number;
  shares: number;
  disclosedShares: number;
  reach: number;
  engagements: number;
  clicks: number;
  uniqueClicks: number;
  filteredClicks: number;
}

/** Rollup sums of attributed conversions in one currency (gross, with what was refunded). */
export interface CurrencySales {
  currency: string;
  conversions: number;
  refundedConversions: number;
  revenueCents: number;
  refundedCents: number;
  codeLeaks: number;
}

export interface ClaimFacts {
  claimId: string;
  influencer: { ref: string; displayName?: string; handles?: { network: string; handle: string }[] };
  topicSlug: string | null;
  shares: number;
  disclosedShares: number;
  reach: number;
  engagements: number;
  clicks: number;
  conversions: number;
  refundedConversions: number;
  revenueCents: number;
  refundedCents: number;
  codeLeaks: number;
}

export interface TopicFacts {
  slug: string | null;
  name: string;
  claims: number;
  shares: number;
  clicks: number;
  conversions: number;
  refundedConversions: number;
  revenueCents: number;
  refundedCents: number;
}

export interface Cost {
  perkCostCents: number;
  platformFeeCents: number;
  totalCents: number;
}

/** perkCostCents = claimed × unitCostCents; fee = round(perk × bps / 10000), half up, as the ledger books it. */
export function campaignCost(claimed: number, unitCostCents: number, feeBps: number): Cost {
  const perkCostCents = claimed * unitCostCents;
  const platformFeeCents = platformFee(perkCostCents, feeBps);
  return { perkCostCents, platformFeeCents, totalCents: perkCostCents + platformFeeCents };
}

/** (revenue − total cost) / total cost; null when nothing was spent (no ratio to a zero cost). */
export function roi(revenueCents: number, totalCents: number): number | null {
  return totalCents === 0 ? null : (revenueCents - totalCents) / totalCents;
}

/** Net of refunds: a sale refunded in full no longer counts; a partial refund lowers revenue only. */
export function netSales(s: {
  conversions: number;
  refundedConversions: number;
  revenueCents: number;
  refundedCents: number;
}): { conversions: number; revenueCents: number } {
  return { conversions: s.conversions - s.refundedConversions, revenueCents: s.revenueCents - s.refundedCents };
}

export interface ReportInput {
  campaign: CampaignFacts;
  funnel: FunnelCounts;
  sales: CurrencySales[];
  topics: TopicFacts[];
  /** The claims to list under byInfluencer (already ranked and cut). */
  claims: ClaimFacts[];
  claimsTotal: number;
}

/** The report JSON from rollup sums: pure, so every formula has a unit spec with hand-computed numbers. */
export function buildReport(i: ReportInput, now: Date) {
  const c = i.campaign;
  const mine = i.sales.find((s) => s.currency === c.currency);
  const sales = netSales(mine ?? { conversions: 0, refundedConversions: 0, revenueCents: 0, refundedCents: 0 });
  const cost = campaignCost(c.claimed, c.unitCostCents, c.feeBps);
  return {
    campaignId: c.id,
    currency: c.currency,
    funnel: {
      eligible: i.funnel.eligible,
      offered: i.funnel.offered,
      claimed: c.claimed,
      declined: i.funnel.declined,
      expired: i.funnel.expired,
      fulfilled: i.funnel.fulfilled,
      shares: i.funnel.shares,
      disclosedShares: i.funnel.disclosedShares,
      reach: i.funnel.reach,
      engagements: i.funnel.engagements,
      clicks: i.funnel.clicks,
      uniqueClicks: i.funnel.uniqueClicks,
      conversions: sales.conversions,
      revenueCents: sales.revenueCents,
    },
    cost,
    roi: roi(sales.revenueCents, cost.totalCents),
    byTopic: i.topics.map((t) => ({
      topic: t.slug,
      name: t.name,
      claims: t.claims,
      shares: t.shares,
      clicks: t.clicks,
      ...netSales(t),
    })),
    byInfluencer: i.claims.map((k) => ({
      influencer: k.influencer,
      claimId: k.claimId,
      topic: k.topicSlug,
      shares: k.shares,
      disclosedShares: k.disclosedShares,
      reach: k.reach,
      engagements: k.engagements,
      clicks: k.clicks,
      ...netSales(k),
      possibleCodeLeaks: k.codeLeaks,
    })),
    byInfluencerTotal: i.claimsTotal,
    otherCurrencies: i.sales
      .filter((s) => s.currency !== c.currency && (s.conversions || s.revenueCents))
      .map((s) => ({ currency: s.currency, ...netSales(s) })),
    quality: {
      filteredClicks: i.funnel.filteredClicks,
      possibleCodeLeaks: mine?.codeLeaks ?? 0,
      refundedConversions: mine?.refundedConversions ?? 0,
      refundedCents: mine?.refundedCents ?? 0,
    },
    generatedAt: now.toISOString(),
  };
}

export type CampaignReport = ReturnType<typeof buildReport>;
