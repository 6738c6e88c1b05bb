import { buildReport } from '../report.math';
import { NOW, claim, input } from './fixtures';

describe('report scenario: a member erased themselves', () => {
  beforeAll(() => jest.useFakeTimers().setSystemTime(NOW));
  afterAll(() => jest.useRealTimers());

  it('keeps every total; only the identity under byInfluencer changes', () => {
    const sales = [
      { currency: 'usd', conversions: 2, refundedConversions: 0, revenueCents: 8_000, refundedCents: 0, codeLeaks: 0 },
    ];
    const named = claim({
      influencer: { ref: 'inf_x', displayName: 'Maya', handles: [{ network: 'instagram', handle: '@maya' }] },
      shares: 1,
      reach: 300,
      clicks: 12,
      conversions: 2,
      revenueCents: 8_000,
    });
    const before = buildReport(input({ sales, claims: [named], claimsTotal: 1 }), new Date());
    // After erasure the same rollups remain; the member is shown by the brand pseudonym only.
    const after = buildReport(
      input({ sales, claims: [{ ...named, influencer: { ref: 'inf_x' } }], claimsTotal: 1 }),
      new Date(),
    );
    const strip = (r: typeof before) => ({
      ...r,
      byInfluencer: r.byInfluencer.map((b) => ({ ...b, influencer: null })),
    });
    expect(strip(after)).toEqual(strip(before));
    expect(after.byInfluencer[0].influencer).toEqual({ ref: 'inf_x' });
  });
});
