import { buildReport } from '../report.math';
import { NOW, claim, input } from './fixtures';

describe('report scenario: conversions through a leaked code', () => {
  beforeAll(() => jest.useFakeTimers().setSystemTime(NOW));
  afterAll(() => jest.useRealTimers());

  it('counts them as sales but surfaces them per campaign and per member', () => {
    const r = buildReport(
      input({
        sales: [
          {
            currency: 'usd',
            conversions: 3,
            refundedConversions: 0,
            revenueCents: 30_000,
            refundedCents: 0,
            codeLeaks: 2,
          },
        ],
        claims: [claim({ conversions: 3, revenueCents: 30_000, codeLeaks: 2, clicks: 1 })],
        claimsTotal: 1,
      }),
      new Date(),
    );
    expect(r.funnel.conversions).toBe(3);
    expect(r.funnel.revenueCents).toBe(30_000);
    expect(r.quality.possibleCodeLeaks).toBe(2);
    expect(r.byInfluencer[0].possibleCodeLeaks).toBe(2);
    expect(r.roi).toBeCloseTo((30_000 - 19_800) / 19_800, 12);
  });
});
