import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { BillingService } from '../../../src/billing/billing.service';
import { claimCharge, fundingQuote, platformFee } from '../../../src/billing/money';
import { createBrand, TestBrand } from '../../factories/brands';
import { activateOffline, createCampaign, eventually, simulateClaims } from '../../factories/campaigns';
import { TestApp, startTestApp } from '../../support/test-app';

jest.setTimeout(60_000);

/** An odd fee rate, so rounding is exercised on every claim. */
const BPS = 733;

interface Totals {
  fundedCents: number;
  spentCents: number;
  platformFeeCents: number;
  refundedCents: number;
  remainingCents: number;
}

/** Invariant 8: funded = spent on claims + platform fee + refunded + remaining budget, per campaign. */
describe('ledger', () => {
  let t: TestApp;
  let brand: TestBrand;
  let billing: BillingService;

  beforeAll(async () => {
    t = await startTestApp({ PLATFORM_FEE_BPS: String(BPS) });
    brand = await createBrand(t);
    billing = t.app.get(BillingService);
  });
  afterAll(() => t.close());

  const totals = async (id: string): Promise<Totals> =>
    (await t.http.get(`/v1/campaigns/${id}/ledger`).set(brand.auth).expect(200)).body;

  const recount = async (id: string): Promise<Totals> => {
    const [r] = await t.db.query(
      `SELECT COALESCE(sum(amount_cents) FILTER (WHERE kind = 'funding'), 0)::float8 AS funded,
              COALESCE(sum(amount_cents) FILTER (WHERE kind = 'claim_spend'), 0)::float8 AS spent,
              COALESCE(sum(amount_cents) FILTER (WHERE kind = 'platform_fee'), 0)::float8 AS fees,
              COALESCE(sum(amount_cents) FILTER (WHERE kind = 'refund'), 0)::float8 AS refunded
       FROM ledger_entries WHERE campaign_id = $1`,
      [id],
    );
    return {
      fundedCents: r.funded,
      spentCents: r.spent,
      platformFeeCents: r.fees,
      refundedCents: r.refunded,
      remainingCents: r.funded - r.spent - r.fees - r.refunded,
    };
  };

  const funded = async (inventory: number, unitCostCents: number): Promise<string> => {
    const c = await createCampaign(t, brand, {
      inventory,
      perk: { title: 'Perk', description: 'A perk', kind: 'discount', unitCostCents, currency: 'usd' },
    });
    await activateOffline(t, c.id, fundingQuote(inventory, unitCostCents, BPS).amountCents, `INV-${c.id}`);
    return c.id;
  };

  it('books each claim as the unit cost plus its exact share of the fee (SQL agrees with money.ts)', async () => {
    const id = await funded(7, 333);
    const claims = await simulateClaims(t, id, 7);
    for (const [i, claimId] of claims.entries()) {
      const rows: { kind: string; amount: number }[] = await t.db.query(
        `SELECT kind, amount_cents::int AS amount FROM ledger_entries WHERE claim_id = $1 ORDER BY kind`,
        [claimId],
      );
      const expected = claimCharge(i + 1, 333, BPS);
      expect(rows).toEqual(
        [
          { kind: 'claim_spend', amount: expected.spendCents },
          { kind: 'platform_fee', amount: expected.feeCents },
        ].filter((r) => r.amount > 0),
      );
    }
    const quote = fundingQuote(7, 333, BPS);
    expect(await totals(id)).toMatchObject({
      fundedCents: quote.amountCents,
      spentCents: 7 * 333,
      platformFeeCents: platformFee(7 * 333, BPS),
      refundedCents: 0,
      remainingCents: 0,
    });
  });

  it('holds funded = spent + fees + refunded + remaining at every step, down to the refund on close', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 250_000 }),
        fc.integer({ min: 0, max: 12 }),
        async (inventory, unit, wanted) => {
          const claims = Math.min(wanted, inventory);
          const id = await funded(inventory, unit);
          const quote = fundingQuote(inventory, unit, BPS);
          await simulateClaims(t, id, claims);
          const mid = await totals(id);
          expect(mid).toMatchObject(await recount(id));
          expect(mid.fundedCents).toBe(mid.spentCents + mid.platformFeeCents + mid.refundedCents + mid.remainingCents);
          expect(mid.spentCents).toBe(claims * unit);
          expect(mid.platformFeeCents).toBe(platformFee(claims * unit, BPS));
          // What is left is exactly the unclaimed units and their share of the fee.
          expect(mid.remainingCents).toBe(quote.amountCents - claims * unit - platformFee(claims * unit, BPS));

          await t.http.post(`/v1/campaigns/${id}/close`).set(brand.auth).expect(200);
          const end = await eventually(async () => {
            const x = await totals(id);
            return x.remainingCents === 0 ? x : undefined;
          });
          expect(end.refundedCents).toBe(mid.remainingCents);
          expect(end.fundedCents).toBe(end.spentCents + end.platformFeeCents + end.refundedCents);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('never books more claims than the inventory, and fee shares stay exact under concurrency', async () => {
    const id = await funded(10, 999);
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => simulateClaims(t, id, 1)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(await totals(id)).toMatchObject({
      spentCents: 9_990,
      platformFeeCents: platformFee(9_990, BPS),
      remainingCents: 0,
    });
  });

  it('books a claim once, whatever the retries', async () => {
    const id = await funded(3, 500);
    const [claimId] = await simulateClaims(t, id, 1);
    await t.db.transaction((m) => billing.recordClaim(m, id, claimId));
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM ledger_entries WHERE claim_id = $1`, [claimId]);
    expect(n).toBe(2);
  });

  it('refuses to book a claim outside a transaction or on an unfunded campaign', async () => {
    const id = await funded(3, 500);
    await expect(billing.recordClaim(t.db.manager, id, randomUUID())).rejects.toThrow(/transaction/);
    const draft = await createCampaign(t, brand);
    await expect(t.db.transaction((m) => billing.recordClaim(m, draft.id, randomUUID()))).rejects.toThrow(/not funded/);
  });

  it('is append-only: the database refuses UPDATE and DELETE', async () => {
    const id = await funded(2, 100);
    await simulateClaims(t, id, 1);
    await expect(
      t.db.query(`UPDATE ledger_entries SET amount_cents = 1 WHERE campaign_id = $1`, [id]),
    ).rejects.toMatchObject({
      driverError: { code: '55000' },
    });
    await expect(t.db.query(`DELETE FROM ledger_entries WHERE campaign_id = $1`, [id])).rejects.toMatchObject({
      driverError: { code: '55000' },
    });
    const before = await recount(id);
    expect(before.fundedCents).toBeGreaterThan(0);
  });
});
