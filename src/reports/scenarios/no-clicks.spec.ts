import { buildReport } from '../report.math';
import { NOW, funnel, input } from './fixtures';

describe('report scenario: claims but no clicks and no sales', () => {
  beforeAll(() => jest.useFakeTimers().setSystemTime(NOW));
  afterAll(() => jest.useRealTimers());

  it('costs what was claimed and returns −100 %', () => {
    const r = buildReport(input({ funnel: funnel({ shares: 4, disclosedShares: 3 }) }), new Date());
    expect(r.cost).toEqual({ perkCostCents: 18_000, platformFeeCents: 1_800, totalCents: 19_800 });
    expect(r.funnel).toMatchObject({ claimed: 10, clicks: 0, uniqueClicks: 0, conversions: 0, revenueCents: 0 });
    expect(r.roi).toBe(-1);
    expect(r.otherCurrencies).toEqual([]);
    expect(r.generatedAt).toBe('2025-06-01T12:00:00.000Z');
  });
});
