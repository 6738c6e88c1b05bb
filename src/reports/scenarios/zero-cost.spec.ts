import { buildReport, campaignCost } from '../report.math';
import { NOW, input } from './fixtures';

describe('report scenario: nothing spent', () => {
  beforeAll(() => jest.useFakeTimers().setSystemTime(NOW));
  afterAll(() => jest.useRealTimers());

  it('has a null ROI when no unit was claimed, even with sales', () => {
    const r = buildReport(
      input({
        campaign: { id: 'c1', currency: 'usd', claimed: 0, unitCostCents: 1800, feeBps: 1000 },
        sales: [
          {
            currency: 'usd',
            conversions: 1,
            refundedConversions: 0,
            revenueCents: 5_000,
            refundedCents: 0,
            codeLeaks: 0,
          },
        ],
      }),
      new Date(),
    );
    expect(r.cost).toEqual({ perkCostCents: 0, platformFeeCents: 0, totalCents: 0 });
    expect(r.roi).toBeNull();
  });

  it('has a null ROI for a free perk with no fee', () => {
    expect(campaignCost(25, 0, 1000)).toEqual({ perkCostCents: 0, platformFeeCents: 0, totalCents: 0 });
  });

  it('rounds the fee half up on the exact product', () => {
    // 3 × 1,005 = 3,015 cents at 2.5 % = 75.375 → 75; at 10.5 % (1050 bps) = 316.575 → 317.
    expect(campaignCost(3, 1005, 250).platformFeeCents).toBe(75);
    expect(campaignCost(3, 1005, 1050).platformFeeCents).toBe(317);
  });
});
