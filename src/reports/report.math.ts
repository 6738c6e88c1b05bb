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

/** What confirmed fraud signals take out of the figures (trust's exclusions, counted as the rollups count). */
export interface ExcludedFacts {
  claims: number;
  fulfilled: number;
  shares: number;
  disclosedShares: number;
  reach: number;
  engagements: number;
  clicks: number;
  uniqueClicks: number;
  conversions: number;
  revenueCents: number;
}

export const NOTHING_EXCLUDED: ExcludedFacts = {
  claims: 0,
  fulfilled: 0,
  shares: 0,
  disclosedShares: 0,
  reach: 0,
  engagements: 0,
  clicks: 0,
  uniqueClicks: 0,
  conversions: 0,
  revenueCents: 0,
};

interface FraudCounts {
  open: number;
  confirmed: number;
  dismissed: number;
}

export interface ReportInput {
  campaign: CampaignFacts;
  funnel: FunnelCounts;
  sales: CurrencySales[];
  topics: TopicFacts[];
  /** The claims to list under byInfluencer (already ranked and cut). */
  claims: ClaimFacts[];
  claimsTotal: number;
  /** Signal counts by status (none: all zero). */
  fraud?: FraudCounts;
  /** What confirmed signals exclude (none: nothing). */
  excluded?: ExcludedFacts;
}

/** The report JSON from rollup sums: pure, so every formula has a unit spec with hand-computed numbers. */
export function buildReport(i: ReportInput, now: Date) {
  const c = i.campaign;
  const mine = i.sales.find((s) => s.currency === c.currency);
  const sales = netSales(mine ?? { conversions: 0, refundedConversions: 0, revenueCents: 0, refundedCents: 0 });
  const cost = campaignCost(c.claimed, c.unitCostCents, c.feeBps);
  const funnel = {
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
  };
  const x = i.excluded ?? NOTHING_EXCLUDED;
  // The campaign as if the confirmed fraud had not happened: its claims neither cost nor brought anything, its
  // clicks and sales did not occur. The plain figures above stay as they are; excluded + excluding = all.
  const cleanFunnel = {
    ...funnel,
    claimed: funnel.claimed - x.claims,
    fulfilled: funnel.fulfilled - x.fulfilled,
    shares: funnel.shares - x.shares,
    disclosedShares: funnel.disclosedShares - x.disclosedShares,
    reach: funnel.reach - x.reach,
    engagements: funnel.engagements - x.engagements,
    clicks: funnel.clicks - x.clicks,
    uniqueClicks: funnel.uniqueClicks - x.uniqueClicks,
    conversions: funnel.conversions - x.conversions,
    revenueCents: funnel.revenueCents - x.revenueCents,
  };
  const cleanCost = campaignCost(c.claimed - x.claims, c.unitCostCents, c.feeBps);
  return {
    campaignId: c.id,
    currency: c.currency,
    funnel,
    cost,
    roi: roi(sales.revenueCents, cost.totalCents),
    excludingConfirmedFraud: {
      funnel: cleanFunnel,
      cost: cleanCost,
      roi: roi(cleanFunnel.revenueCents, cleanCost.totalCents),
      excluded: { ...x },
    },
    fraud: i.fraud ?? { open: 0, confirmed: 0, dismissed: 0 },
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
