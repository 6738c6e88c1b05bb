import { ClaimFacts, FunnelCounts, ReportInput } from '../report.math';

/** Frozen clock for every scenario: reports carry generatedAt, nothing else depends on the time. */
export const NOW = new Date('2025-06-01T12:00:00.000Z');

export const funnel = (o: Partial<FunnelCounts> = {}): FunnelCounts => ({
  eligible: 120,
  offered: 20,
  declined: 3,
  expired: 2,
  fulfilled: 4,
  shares: 0,
  disclosedShares: 0,
  reach: 0,
  engagements: 0,
  clicks: 0,
  uniqueClicks: 0,
  filteredClicks: 0,
  ...o,
});

export const claim = (o: Partial<ClaimFacts> = {}): ClaimFacts => ({
  claimId: '00000000-0000-4000-8000-000000000001',
  influencer: { ref: 'inf_aaaaaaaaaaaaaaaa' },
  topicSlug: 'coffee',
  shares: 0,
  disclosedShares: 0,
  reach: 0,
  engagements: 0,
  clicks: 0,
  conversions: 0,
  refundedConversions: 0,
  revenueCents: 0,
  refundedCents: 0,
  codeLeaks: 0,
  ...o,
});

/** 10 claims of an $18.00 perk at a 10 % fee: $180.00 + $18.00 = $198.00 of cost. */
export const input = (o: Partial<ReportInput> = {}): ReportInput => ({
  campaign: { id: 'c1', currency: 'usd', claimed: 10, unitCostCents: 1800, feeBps: 1000 },
  funnel: funnel(),
  sales: [],
  topics: [],
  claims: [],
  claimsTotal: 0,
  ...o,
});
