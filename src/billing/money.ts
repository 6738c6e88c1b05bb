/**
 * Money arithmetic in integer minor units. Fees round half up on the exact product (BigInt, because
 * inventory × unit cost × bps can pass 2^53); the same formula runs in SQL for claims (`round(numeric)`,
 * half away from zero, which is half up for these non-negative amounts).
 */
export function platformFee(perkCents: number, bps: number): number {
  assertCents(perkCents, 'perkCents');
  if (!Number.isInteger(bps) || bps < 0 || bps > 10_000) throw new RangeError(`fee bps out of range: ${bps}`);
  return Number((BigInt(perkCents) * BigInt(bps) + 5_000n) / 10_000n);
}

export interface FundingQuote {
  perkCents: number;
  feeCents: number;
  amountCents: number;
}

/** What a campaign costs up front: every unit of inventory, plus the platform fee on that. */
export function fundingQuote(inventory: number, unitCostCents: number, bps: number): FundingQuote {
  assertCents(unitCostCents, 'unitCostCents');
  if (!Number.isInteger(inventory) || inventory < 1) throw new RangeError(`inventory out of range: ${inventory}`);
  const perkCents = inventory * unitCostCents;
  const feeCents = platformFee(perkCents, bps);
  return { perkCents, feeCents, amountCents: perkCents + feeCents };
}

/**
 * What the n-th claim (1-based) draws from the budget. The fee is the difference of cumulative fees, so after n
 * claims the fees charged equal platformFee(n × unit cost) exactly — the report's formula — and a sold-out
 * campaign has drawn precisely its funding quote, without rounding drift.
 */
export function claimCharge(n: number, unitCostCents: number, bps: number): { spendCents: number; feeCents: number } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`claim ordinal out of range: ${n}`);
  return {
    spendCents: unitCostCents,
    feeCents: platformFee(n * unitCostCents, bps) - platformFee((n - 1) * unitCostCents, bps),
  };
}

/** The budget not yet drawn: funded − spent − fees − refunded. */
export function remainingBudget(t: {
  fundedCents: number;
  spentCents: number;
  feesCents: number;
  refundedCents: number;
}): number {
  return t.fundedCents - t.spentCents - t.feesCents - t.refundedCents;
}

function assertCents(v: number, name: string): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
}
