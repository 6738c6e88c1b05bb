import { buildReport, NOTHING_EXCLUDED } from '../report.math';
import { NOW, input } from './fixtures';

describe('report scenario: confirmed fraud excluded', () => {
  beforeAll(() => jest.useFakeTimers().setSystemTime(NOW));
  afterAll(() => jest.useRealTimers());

  const sales = [
    { currency: 'usd', conversions: 4, refundedConversions: 0, revenueCents: 40_000, refundedCents: 0, codeLeaks: 0 },
  ];

  it('without confirmed signals both views are the same', () => {
    const r = buildReport(input({ sales }), new Date());
    expect(r.excludingConfirmedFraud).toEqual({
      funnel: r.funnel,
      cost: r.cost,
      roi: r.roi,
      excluded: NOTHING_EXCLUDED,
    });
    expect(r.fraud).toEqual({ open: 0, confirmed: 0, dismissed: 0 });
  });

  it('takes the excluded claims, clicks and sales out of funnel, cost and ROI; the plain figures stay', () => {
    const plain = buildReport(input({ sales }), new Date());
    const excluded = {
      ...NOTHING_EXCLUDED,
      claims: 1,
      clicks: 3,
      uniqueClicks: 1,
      conversions: 1,
      revenueCents: 10_000,
    };
    const r = buildReport(input({ sales, excluded, fraud: { open: 2, confirmed: 1, dismissed: 0 } }), new Date());
    expect(r.funnel).toEqual(plain.funnel);
    expect(r.cost).toEqual(plain.cost);
    expect(r.roi).toEqual(plain.roi);
    const x = r.excludingConfirmedFraud;
    expect(x.funnel.claimed).toBe(r.funnel.claimed - 1);
    expect(x.funnel.clicks).toBe(r.funnel.clicks - 3);
    expect(x.funnel.conversions).toBe(3);
    expect(x.funnel.revenueCents).toBe(30_000);
    // One claim fewer at the fixture's unit cost and fee rate.
    expect(x.cost.perkCostCents).toBe(r.cost.perkCostCents - r.cost.perkCostCents / r.funnel.claimed);
    expect(x.roi).toBeCloseTo((30_000 - x.cost.totalCents) / x.cost.totalCents, 12);
    expect(r.fraud).toEqual({ open: 2, confirmed: 1, dismissed: 0 });
  });
});
