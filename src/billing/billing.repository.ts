import { storableJson, wellFormed } from '../common/http/input-hygiene';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { FundingMethod, FundingStatus } from './entities/funding.entity';
import type { LedgerKind } from './entities/ledger-entry.entity';

export interface FundingRow {
  id: string;
  campaignId: string;
  method: FundingMethod;
  status: FundingStatus;
  perkCents: number;
  feeCents: number;
  feeBps: number;
  amountCents: number;
  currency: string;
  stripeCheckoutSessionId: string | null;
  checkoutUrl: string | null;
  checkoutExpiresAt: Date | null;
  stripePaymentIntentId: string | null;
  reference: string | null;
  paidAt: Date | null;
  createdAt: Date;
}

export interface LedgerEntryInput {
  campaignId: string;
  kind: LedgerKind;
  amountCents: number;
  currency: string;
  fundingId?: string | null;
  claimId?: string | null;
  reference: string;
}

export interface LedgerTotals {
  fundedCents: number;
  spentCents: number;
  feesCents: number;
  refundedCents: number;
}

export interface StripeEventRow {
  id: string;
  type: string;
  account: string | null;
  payload: Record<string, unknown>;
  processedAt: Date | null;
}

// Amounts stay below 2^53 (inventory ≤ 1e6 × unit cost ≤ 1e8, plus fee), so float8 carries them exactly.
const FUNDING_COLS = `id, campaign_id AS "campaignId", method, status, perk_cents::float8 AS "perkCents",
  fee_cents::float8 AS "feeCents", fee_bps AS "feeBps", amount_cents::float8 AS "amountCents", currency,
  stripe_checkout_session_id AS "stripeCheckoutSessionId", checkout_url AS "checkoutUrl",
  checkout_expires_at AS "checkoutExpiresAt",
  stripe_payment_intent_id AS "stripePaymentIntentId", reference, paid_at AS "paidAt", created_at AS "createdAt"`;

/**
 * Fundings, the ledger and Stripe events. Callers resolve the campaign through CampaignsService first (with
 * the brand in its WHERE), so these are addressed by campaign or funding id.
 */
@Injectable()
export class BillingRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ---- fundings ----

  async insertFunding(
    m: EntityManager,
    f: Pick<
      FundingRow,
      'campaignId' | 'method' | 'status' | 'perkCents' | 'feeCents' | 'feeBps' | 'amountCents' | 'currency'
    > & {
      reference?: string | null;
      paid?: boolean;
    },
  ): Promise<FundingRow> {
    const [row] = await m.query<FundingRow[]>(
      `INSERT INTO fundings (campaign_id, method, status, perk_cents, fee_cents, fee_bps, amount_cents, currency, reference, paid_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $10::boolean THEN now() END)
       RETURNING ${FUNDING_COLS}`,
      [
        f.campaignId,
        f.method,
        f.status,
        f.perkCents,
        f.feeCents,
        f.feeBps,
        f.amountCents,
        f.currency,
        f.reference ?? null,
        f.paid ?? false,
      ],
    );
    return row;
  }

  async openCheckout(m: EntityManager, campaignId: string): Promise<FundingRow | null> {
    const rows: FundingRow[] = await m.query(
      `SELECT ${FUNDING_COLS} FROM fundings WHERE campaign_id = $1 AND status = 'open' FOR UPDATE`,
      [campaignId],
    );
    return rows[0] ?? null;
  }

  async campaignOfFunding(m: EntityManager, fundingId: string): Promise<string | null> {
    const rows: { campaignId: string }[] = await m.query(
      `SELECT campaign_id AS "campaignId" FROM fundings WHERE id = $1`,
      [fundingId],
    );
    return rows[0]?.campaignId ?? null;
  }

  async lockFunding(m: EntityManager, id: string): Promise<FundingRow | null> {
    const rows: FundingRow[] = await m.query(`SELECT ${FUNDING_COLS} FROM fundings WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  /** Records the session Stripe created for a funding; returns the funding's status at that moment. */
  async attachSession(
    m: EntityManager,
    id: string,
    session: { id: string; url: string; expiresAt: Date | null },
  ): Promise<FundingStatus | null> {
    const [rows] = await m.query<[{ status: FundingStatus }[], number]>(
      `UPDATE fundings SET stripe_checkout_session_id = $2, checkout_url = $3, checkout_expires_at = $4, updated_at = now()
       WHERE id = $1 RETURNING status`,
      [id, session.id, session.url, session.expiresAt],
    );
    return rows[0]?.status ?? null;
  }

  async setFundingStatus(
    m: EntityManager,
    id: string,
    from: readonly FundingStatus[],
    to: FundingStatus,
    extra: { paymentIntentId?: string | null; sessionId?: string | null; paid?: boolean } = {},
  ): Promise<boolean> {
    const [, n] = await m.query<[unknown, number]>(
      `UPDATE fundings SET status = $3, updated_at = now(),
         stripe_payment_intent_id = COALESCE($4, stripe_payment_intent_id),
         stripe_checkout_session_id = COALESCE(stripe_checkout_session_id, $5),
         paid_at = CASE WHEN $6::boolean THEN COALESCE(paid_at, now()) ELSE paid_at END
       WHERE id = $1 AND status = ANY($2::text[])`,
      [id, from, to, extra.paymentIntentId ?? null, extra.sessionId ?? null, extra.paid ?? false],
    );
    return n === 1;
  }

  async setPaymentIntent(m: EntityManager, id: string, paymentIntentId: string): Promise<void> {
    await m.query(`UPDATE fundings SET stripe_payment_intent_id = $2, updated_at = now() WHERE id = $1`, [
      id,
      paymentIntentId,
    ]);
  }

  async expireOpenCheckouts(m: EntityManager, campaignId: string): Promise<number> {
    const [, n] = await m.query<[unknown, number]>(
      `UPDATE fundings SET status = 'expired', updated_at = now()
       WHERE campaign_id = $1 AND method = 'checkout' AND status = 'open'`,
      [campaignId],
    );
    return n;
  }

  /** Sessions that might still be payable at Stripe (expiring an already expired one is a harmless no-op). */
  async checkoutSessions(campaignId: string): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT stripe_checkout_session_id AS id FROM fundings
       WHERE campaign_id = $1 AND method = 'checkout' AND status IN ('open', 'expired', 'failed')
         AND stripe_checkout_session_id IS NOT NULL`,
      [campaignId],
    );
    return rows.map((r) => r.id);
  }

  listFundings(campaignId: string, m: EntityManager = this.dataSource.manager): Promise<FundingRow[]> {
    return m.query(`SELECT ${FUNDING_COLS} FROM fundings WHERE campaign_id = $1 ORDER BY created_at, id`, [campaignId]);
  }

  // ---- ledger (INSERT only) ----

  /** Returns how many were new: a movement already recorded (same campaign, kind, reference) is skipped. */
  async appendLedger(m: EntityManager, ...entries: LedgerEntryInput[]): Promise<number> {
    const due = entries.filter((e) => e.amountCents > 0);
    if (!due.length) return 0;
    const params: unknown[] = [];
    const values = due.map((e, i) => {
      params.push(e.campaignId, e.kind, e.amountCents, e.currency, e.fundingId ?? null, e.claimId ?? null, e.reference);
      const b = i * 7;
      return `($${b + 1}::uuid, $${b + 2}, $${b + 3}::bigint, $${b + 4}, $${b + 5}::uuid, $${b + 6}::uuid, $${b + 7})`;
    });
    const rows = await m.query<unknown[]>(
      `INSERT INTO ledger_entries (campaign_id, kind, amount_cents, currency, funding_id, claim_id, reference)
       VALUES ${values.join(', ')}
       ON CONFLICT (campaign_id, kind, reference) DO NOTHING RETURNING id`,
      params,
    );
    return rows.length;
  }

  /**
   * The claim's spend and fee share in one statement. `claimed` is read after the claims context's conditional
   * UPDATE in the same transaction, so the row lock makes it this claim's ordinal (see money.ts claimCharge).
   */
  async appendClaim(
    m: EntityManager,
    campaignId: string,
    claimId: string,
  ): Promise<{ found: boolean; spendCents: number; feeCents: number }> {
    const rows = await m.query<{ found: number; spendCents: number; feeCents: number }[]>(
      `WITH c AS (
         SELECT id, currency, unit_cost_cents AS u, claimed::bigint AS n, platform_fee_bps AS bps
         FROM campaigns.campaign_facts WHERE id = $1 AND platform_fee_bps IS NOT NULL AND claimed >= 1
       ), charge AS (
         SELECT 'claim_spend'::text AS kind, c.u AS amount FROM c
         UNION ALL
         SELECT 'platform_fee', (round(c.n::numeric * c.u * c.bps / 10000) - round((c.n - 1)::numeric * c.u * c.bps / 10000))::bigint
         FROM c
       ), ins AS (
         INSERT INTO ledger_entries (campaign_id, kind, amount_cents, currency, claim_id, reference)
         SELECT c.id, charge.kind, charge.amount, c.currency, $2::uuid, $2::text FROM c, charge WHERE charge.amount > 0
         ON CONFLICT (campaign_id, kind, reference) DO NOTHING
       )
       SELECT (SELECT count(*) FROM c)::int AS found,
              COALESCE((SELECT amount FROM charge WHERE kind = 'claim_spend'), 0)::float8 AS "spendCents",
              COALESCE((SELECT amount FROM charge WHERE kind = 'platform_fee'), 0)::float8 AS "feeCents"`,
      [campaignId, claimId],
    );
    return { found: rows[0].found === 1, spendCents: rows[0].spendCents, feeCents: rows[0].feeCents };
  }

  async totals(campaignId: string, m: EntityManager = this.dataSource.manager): Promise<LedgerTotals> {
    const [row] = await m.query<LedgerTotals[]>(
      `SELECT COALESCE(sum(amount_cents) FILTER (WHERE kind = 'funding'), 0)::float8 AS "fundedCents",
              COALESCE(sum(amount_cents) FILTER (WHERE kind = 'claim_spend'), 0)::float8 AS "spentCents",
              COALESCE(sum(amount_cents) FILTER (WHERE kind = 'platform_fee'), 0)::float8 AS "feesCents",
              COALESCE(sum(amount_cents) FILTER (WHERE kind = 'refund'), 0)::float8 AS "refundedCents"
       FROM ledger_entries WHERE campaign_id = $1`,
      [campaignId],
    );
    return row;
  }

  /** Refunded so far per funding. */
  async refundedByFunding(m: EntityManager, campaignId: string): Promise<Map<string, number>> {
    const rows = await m.query<{ fundingId: string; refunded: number }[]>(
      `SELECT funding_id AS "fundingId", sum(amount_cents)::float8 AS refunded FROM ledger_entries
       WHERE campaign_id = $1 AND kind = 'refund' AND funding_id IS NOT NULL GROUP BY funding_id`,
      [campaignId],
    );
    return new Map(rows.map((r) => [r.fundingId, r.refunded]));
  }

  /** Campaigns ended (or with a rejected payment) in the last 30 days whose ledger still owes money back. */
  async campaignsOwingRefunds(limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT c.id FROM campaigns.campaign_facts c
       WHERE EXISTS (
           SELECT 1 FROM fundings f
           WHERE f.campaign_id = c.id AND f.status = 'rejected' AND f.updated_at > now() - interval '30 days'
             AND f.amount_cents > (SELECT COALESCE(sum(l.amount_cents), 0) FROM ledger_entries l
                                   WHERE l.funding_id = f.id AND l.kind = 'refund'))
          OR (c.status = 'completed' AND c.updated_at > now() - interval '30 days'
              AND (SELECT COALESCE(sum(CASE WHEN l.kind = 'funding' THEN l.amount_cents ELSE -l.amount_cents END), 0)
                   FROM ledger_entries l WHERE l.campaign_id = c.id) > 0)
       LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  // ---- Stripe events ----

  /**
   * Records a verified event once. A redelivery of an event not yet processed returns true again, so a job that
   * gave up is re-queued by Stripe's own retry; once processed, redeliveries change nothing.
   */
  async recordEvent(
    m: EntityManager,
    e: { id: string; type: string; account: string | null; payload: unknown },
  ): Promise<boolean> {
    const rows = await m.query<unknown[]>(
      `INSERT INTO stripe_events (id, type, account, payload) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (id) DO UPDATE SET id = stripe_events.id
         WHERE stripe_events.processed_at IS NULL AND stripe_events.account IS NULL
       RETURNING id`,
      // Signed events are stored even when they hold text PostgreSQL refuses (NUL, lone surrogates).
      [
        wellFormed(e.id),
        wellFormed(e.type),
        e.account === null ? null : wellFormed(e.account),
        storableJson(e.payload),
      ],
    );
    return rows.length === 1;
  }

  async lockEvent(m: EntityManager, id: string): Promise<StripeEventRow | null> {
    const rows: StripeEventRow[] = await m.query(
      `SELECT id, type, account, payload, processed_at AS "processedAt" FROM stripe_events WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  async markEventProcessed(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE stripe_events SET processed_at = now() WHERE id = $1`, [id]);
  }
}
