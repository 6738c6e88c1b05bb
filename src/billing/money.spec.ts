import fc from 'fast-check';
import { claimCharge, fundingQuote, platformFee, remainingBudget } from './money';

describe('platform fee', () => {
  it.each([
    [10_000, 1000, 1000],
    [1_800, 1000, 180],
    [5, 1000, 1], // 0.5 rounds up
    [4, 1000, 0], // 0.4 rounds down
    [15, 1000, 2], // 1.5 rounds up
    [1, 5000, 1], // exactly half
    [999, 0, 0],
    [999, 10_000, 999],
    [0, 1000, 0],
  ])('fee(%i cents at %i bps) = %i', (perk, bps, fee) => {
    expect(platformFee(perk, bps)).toBe(fee);
  });

  it('is exact where floating point would not be', () => {
    // 1,000,000 units × $1M × 9,999 bps: the product passes 2^53.
    expect(platformFee(100_000_000 * 1_000_000, 9_999)).toBe(99_990_000_000_000);
    expect(platformFee(100_000_000_000_005, 1)).toBe(10_000_000_000);
  });

  it('refuses nonsense', () => {
    expect(() => platformFee(-1, 1000)).toThrow(RangeError);
    expect(() => platformFee(1.5, 1000)).toThrow(RangeError);
    expect(() => platformFee(100, 10_001)).toThrow(RangeError);
  });
});

describe('funding quote', () => {
  it('is inventory × unit cost plus the fee on that', () => {
    expect(fundingQuote(100, 1_800, 1000)).toEqual({ perkCents: 180_000, feeCents: 18_000, amountCents: 198_000 });
    expect(fundingQuote(3, 333, 1000)).toEqual({ perkCents: 999, feeCents: 100, amountCents: 1_099 });
    expect(fundingQuote(10, 0, 1000)).toEqual({ perkCents: 0, feeCents: 0, amountCents: 0 });
  });
});

describe('per-claim charges', () => {
  it('charge the unit cost and a fee share that never drifts', () => {
    // 333 × 10 % = 33.3 per unit: shares 33, 34 (66.6 → 67), 33 (99.9 → 100)
    expect([1, 2, 3].map((n) => claimCharge(n, 333, 1000).feeCents)).toEqual([33, 34, 33]);
  });

  it('sum, for any prefix of claims, to the report formula; a sold-out campaign draws exactly its quote', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (inventory, unit, bps) => {
          let spent = 0;
          let fees = 0;
          for (let n = 1; n <= inventory; n++) {
            const c = claimCharge(n, unit, bps);
            expect(c.feeCents).toBeGreaterThanOrEqual(0);
            spent += c.spendCents;
            fees += c.feeCents;
            expect(fees).toBe(platformFee(n * unit, bps));
          }
          const quote = fundingQuote(inventory, unit, bps);
          expect(spent + fees).toBe(quote.amountCents);
          expect(
            remainingBudget({ fundedCents: quote.amountCents, spentCents: spent, feesCents: fees, refundedCents: 0 }),
          ).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
