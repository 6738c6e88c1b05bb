import { buildReport } from '../report.math';
import { NOW, claim, input } from './fixtures';

describe('report scenario: refunds', () => {
  beforeAll(() => jest.useFakeTimers().setSystemTime(NOW));
  afterAll(() => jest.useRealTimers());

  it('counts conversions and revenue net of refunds', () => {
    // 5 sales for $100.00 each; one refunded in full, one by $30.00: 4 conversions, $470.00 net.
    const r = buildReport(
      input({
        sales: [
          {
            currency: 'usd',
            conversions: 5,
            refundedConversions: 1,
            revenueCents: 50_000,
            refundedCents: 13_000,
            codeLeaks: 0,
          },
        ],
        claims: [
          claim({ clicks: 40, conversions: 5, refundedConversions: 1, revenueCents: 50_000, refundedCents: 13_000 }),
        ],
        claimsTotal: 1,
      }),
      new Date(),
    );
    expect(r.funnel.conversions).toBe(4);
    expect(r.funnel.revenueCents).toBe(37_000);
    // (37,000 − 19,800) / 19,800
    expect(r.roi).toBeCloseTo(17_200 / 19_800, 12);
    expect(r.quality).toMatchObject({ refundedConversions: 1, refundedCents: 13_000 });
    expect(r.byInfluencer[0]).toMatchObject({ conversions: 4, revenueCents: 37_000 });
  });

  it('keeps other currencies apart, also net of refunds', () => {
    const r = buildReport(
      input({
        sales: [
          {
            currency: 'usd',
            conversions: 1,
            refundedConversions: 0,
            revenueCents: 19_800,
            refundedCents: 0,
            codeLeaks: 0,
          },
          {
            currency: 'eur',
            conversions: 2,
            refundedConversions: 1,
            revenueCents: 9_000,
            refundedCents: 4_000,
            codeLeaks: 0,
          },
        ],
      }),
      new Date(),
    );
    expect(r.roi).toBe(0);
    expect(r.otherCurrencies).toEqual([{ currency: 'eur', conversions: 1, revenueCents: 5_000 }]);
  });
});
