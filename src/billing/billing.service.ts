import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AuditLog } from '../audit/audit.service';
import type Stripe from 'stripe';
import { DataSource, EntityManager } from 'typeorm';
import { CampaignsService } from '../campaigns/campaigns.service';
import { OutboxService } from '../common/outbox/outbox.service';
import { NotFoundProblem } from '../common/problem/app.exception';
import { APP_CONFIG, AppConfig } from '../config/config';
import { WebhookEventsService } from '../webhooks/webhook-events.service';
import {
  CampaignNotFundable,
  CardFundingNotConfigured,
  CheckoutConflict,
  CheckoutRefused,
  FundingAfterEnd,
  NothingToFund,
  OfflineAmountMismatch,
  PaymentsMisconfigured,
  StripeUnavailable,
} from './billing.exception';
import { expireCheckouts, settleCampaign } from './billing.queue';
import { BillingRepository, FundingRow } from './billing.repository';
import { OfflineFundingRequestDto } from './dto/funding-request.dto';
import {
  CheckoutResponseDto,
  FundingResponseDto,
  LedgerResponseDto,
  OfflineFundingResponseDto,
} from './dto/funding-response.dto';
import { fundingQuote } from './money';
import { StripeCallFailed, StripeGateway, paymentIntentId } from './stripe.gateway';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type CheckoutOutcome = 'activated' | 'rejected' | 'expired' | 'failed' | 'duplicate' | 'ignored';

interface RefundPlan {
  brandId: string;
  funding: FundingRow;
  amountCents: number;
  idempotencyKey: string;
}

@Injectable()
export class BillingService implements OnModuleInit {
  private readonly logger = new Logger(BillingService.name);

  constructor(
    private readonly repo: BillingRepository,
    private readonly dataSource: DataSource,
    private readonly campaigns: CampaignsService,
    private readonly stripe: StripeGateway,
    private readonly outbox: OutboxService,
    private readonly webhooks: WebhookEventsService,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Refunds and checkout expiry follow the status change through the outbox, in its own transaction.
    this.campaigns.onCampaignsEnded(async (m, { campaignIds, status }) => {
      await this.outbox.enqueue(
        m,
        ...campaignIds.map((id) => (status === 'completed' ? settleCampaign(id) : expireCheckouts(id))),
      );
    });
  }

  /**
   * Creates (or returns the still-open) Stripe Checkout for the campaign's whole budget. The funding row and
   * `pending_funding` are committed before Stripe is called, so no lock is held over the network and a retry
   * after a timeout reuses the same funding, hence the same Stripe idempotency key and the same session.
   */
  async startCheckout(brandId: string, campaignId: string): Promise<CheckoutResponseDto> {
    const step = await this.dataSource.transaction(async (m) => {
      const c = await this.campaigns.lockOwnedForBilling(m, brandId, campaignId);
      if (c.status !== 'draft' && c.status !== 'pending_funding') throw new CampaignNotFundable(c.status);
      if (!this.stripe.enabled) throw new CardFundingNotConfigured();
      if (c.status === 'pending_funding') {
        const open = await this.repo.openCheckout(m, c.id);
        // A session about to lapse is not worth handing out: start a new one. Should the old one still be paid
        // in its last minutes, that payment is accepted and the new session expired (onCheckoutPaid).
        const lapsing = open?.checkoutExpiresAt && open.checkoutExpiresAt.getTime() <= Date.now() + 5 * 60_000;
        if (open && !lapsing) return { funding: open, name: c.name };
        if (open) await this.repo.setFundingStatus(m, open.id, ['open'], 'expired');
      }
      if (c.endsAt && c.endsAt <= new Date()) throw new FundingAfterEnd(c.endsAt);
      const bps = this.config.platformFeeBps;
      const quote = fundingQuote(c.inventory, c.unitCostCents, bps);
      if (quote.amountCents === 0) throw new NothingToFund();
      const funding = await this.repo.insertFunding(m, {
        campaignId: c.id,
        method: 'checkout',
        status: 'open',
        ...quote,
        feeBps: bps,
        currency: c.currency,
      });
      if (c.status === 'draft') await this.campaigns.markPendingFunding(m, c.id);
      await this.audit.record(m, {
        brandId,
        action: 'campaign.funding_started',
        target: { type: 'campaign', id: c.id },
        changes: { fundingId: funding.id, amountCents: quote.amountCents, currency: c.currency, method: 'checkout' },
      });
      return { funding, name: c.name };
    });
    const f = step.funding;
    if (f.stripeCheckoutSessionId) return CheckoutResponseDto.fromRow(f);

    let session: { id: string; url: string; expiresAt: Date | null };
    try {
      session = await this.stripe.createCheckoutSession({
        fundingId: f.id,
        campaignId: f.campaignId,
        campaignName: step.name,
        amountCents: f.amountCents,
        currency: f.currency,
      });
    } catch (err) {
      if (!(err instanceof StripeCallFailed)) throw err;
      if (err.kind === 'refused' || err.kind === 'conflict') {
        // Stripe will never accept these parameters: free the draft so the brand can change it.
        await this.dataSource.transaction(async (m) => {
          await this.repo.setFundingStatus(m, f.id, ['open'], 'failed');
          await this.campaigns.abandonFunding(m, f.campaignId);
        });
        this.logger.warn(`checkout for funding ${f.id} refused by Stripe (${err.stripeCode ?? err.kind})`);
        throw err.kind === 'refused' ? new CheckoutRefused(err.stripeMessage) : new CheckoutConflict();
      }
      this.logger.warn(`checkout for funding ${f.id} failed: ${err.message}`);
      throw err.kind === 'misconfigured' ? new PaymentsMisconfigured() : new StripeUnavailable();
    }

    const status = await this.dataSource.transaction(async (m) => {
      const s = await this.repo.attachSession(m, f.id, session);
      // Superseded while Stripe was answering (cancelled, funded offline): make sure nobody can pay this session.
      if (s !== 'open' && s !== 'paid') await this.outbox.enqueue(m, expireCheckouts(f.campaignId));
      return s;
    });
    if (status !== 'open' && status !== 'paid') throw new CheckoutConflict();
    return CheckoutResponseDto.fromRow({ ...f, stripeCheckoutSessionId: session.id, checkoutUrl: session.url });
  }

  /** Invoiced funding recorded by the operator: the same effect as a paid checkout, amount included. */
  async fundOffline(campaignId: string, dto: OfflineFundingRequestDto): Promise<OfflineFundingResponseDto> {
    const { funding, brandId } = await this.dataSource.transaction(async (m) => {
      const c = await this.campaigns.lockByIdForBilling(m, campaignId);
      if (!c) throw new NotFoundProblem('Campaign');
      if (c.status !== 'draft' && c.status !== 'pending_funding') throw new CampaignNotFundable(c.status);
      if (c.endsAt && c.endsAt <= new Date()) throw new FundingAfterEnd(c.endsAt);
      const bps = this.config.platformFeeBps;
      const quote = fundingQuote(c.inventory, c.unitCostCents, bps);
      if (dto.amountCents !== quote.amountCents) throw new OfflineAmountMismatch(quote.amountCents, c.currency);
      if (await this.repo.expireOpenCheckouts(m, c.id)) await this.outbox.enqueue(m, expireCheckouts(c.id));
      const funding = await this.repo.insertFunding(m, {
        campaignId: c.id,
        method: 'offline',
        status: 'paid',
        ...quote,
        feeBps: bps,
        currency: c.currency,
        reference: dto.reference,
        paid: true,
      });
      await this.repo.appendLedger(m, {
        campaignId: c.id,
        kind: 'funding',
        amountCents: quote.amountCents,
        currency: c.currency,
        fundingId: funding.id,
        reference: dto.reference,
      });
      await this.campaigns.activateFunded(m, c.id, 'offline', { fundedCents: quote.amountCents, feeBps: bps });
      await this.audit.record(m, {
        brandId: c.brandId,
        action: 'campaign.funded',
        target: { type: 'campaign', id: c.id },
        changes: { fundingId: funding.id, amountCents: quote.amountCents, currency: c.currency, method: 'offline' },
      });
      await this.webhooks.record(m, c.brandId, 'funding.succeeded', {
        campaignId: c.id,
        fundingId: funding.id,
        method: 'offline',
        amountCents: quote.amountCents,
        currency: c.currency,
      });
      return { funding, brandId: c.brandId };
    });
    return {
      funding: FundingResponseDto.fromRow(funding),
      campaign: await this.campaigns.get(brandId, campaignId),
    };
  }

  async ledger(brandId: string, campaignId: string): Promise<LedgerResponseDto> {
    const c = await this.campaigns.get(brandId, campaignId);
    const [totals, fundings] = await Promise.all([this.repo.totals(c.id), this.repo.listFundings(c.id)]);
    return LedgerResponseDto.from(c.id, c.perk.currency, totals, fundings);
  }

  /**
   * For the claims context, inside its claim transaction and after its conditional UPDATE took the unit: books
   * the unit cost and this claim's share of the platform fee. Idempotent per claim id.
   */
  async recordClaim(
    manager: EntityManager,
    campaignId: string,
    claimId: string,
  ): Promise<{ spendCents: number; feeCents: number }> {
    if (!manager.queryRunner?.isTransactionActive) throw new Error('recordClaim needs the claim transaction');
    const r = await this.repo.appendClaim(manager, campaignId, claimId);
    if (!r.found) throw new Error(`recordClaim: campaign ${campaignId} is not funded or has no claimed unit`);
    return { spendCents: r.spendCents, feeCents: r.feeCents };
  }

  // ---- Stripe checkout outcomes, applied by the event processor inside its transaction ----

  async onCheckoutPaid(m: EntityManager, session: Stripe.Checkout.Session): Promise<CheckoutOutcome> {
    const fundingId = fundingIdOf(session);
    if (!fundingId) return 'ignored';
    // Lock order everywhere: campaign, then funding.
    const campaignId = await this.repo.campaignOfFunding(m, fundingId);
    if (!campaignId) return 'ignored';
    const c = await this.campaigns.lockByIdForBilling(m, campaignId);
    const f = await this.repo.lockFunding(m, fundingId);
    if (
      !c ||
      !f ||
      f.method !== 'checkout' ||
      (f.stripeCheckoutSessionId && f.stripeCheckoutSessionId !== session.id)
    ) {
      this.logger.warn(`paid session ${session.id} does not match funding ${fundingId}; ignored`);
      return 'ignored';
    }
    if (f.status === 'paid' || f.status === 'rejected') return 'duplicate';
    if (session.amount_total !== f.amountCents || session.currency !== f.currency) {
      // Cannot happen for a session we created; fail loudly (job retries, then waits for an operator).
      throw new Error(
        `session ${session.id} paid ${session.amount_total} ${session.currency}, funding ${f.id} expects ${f.amountCents} ${f.currency}`,
      );
    }
    const pi = paymentIntentId(session);
    const fundingEntry = {
      campaignId: c.id,
      kind: 'funding' as const,
      amountCents: f.amountCents,
      currency: f.currency,
      fundingId: f.id,
      reference: session.id,
    };
    const acceptable =
      c.status === 'pending_funding' &&
      c.currency === f.currency &&
      fundingQuote(c.inventory, c.unitCostCents, f.feeBps).amountCents === f.amountCents;
    if (acceptable) {
      await this.repo.setFundingStatus(m, f.id, ['open', 'expired', 'failed'], 'paid', {
        paymentIntentId: pi,
        sessionId: session.id,
        paid: true,
      });
      if (await this.repo.expireOpenCheckouts(m, c.id)) await this.outbox.enqueue(m, expireCheckouts(c.id));
      await this.repo.appendLedger(m, fundingEntry);
      await this.campaigns.activateFunded(m, c.id, 'payment', { fundedCents: f.amountCents, feeBps: f.feeBps });
      await this.webhooks.record(m, c.brandId, 'funding.succeeded', {
        campaignId: c.id,
        fundingId: f.id,
        method: 'checkout',
        amountCents: f.amountCents,
        currency: f.currency,
      });
      return 'activated';
    }
    // Paid after the campaign was cancelled, funded otherwise or changed: keep the record, give the money back.
    await this.repo.setFundingStatus(m, f.id, ['open', 'expired', 'failed'], 'rejected', {
      paymentIntentId: pi,
      sessionId: session.id,
      paid: true,
    });
    await this.repo.appendLedger(m, fundingEntry);
    await this.outbox.enqueue(m, settleCampaign(c.id));
    this.logger.warn(`payment ${session.id} for campaign ${c.id} (${c.status}) rejected; refunding it in full`);
    return 'rejected';
  }

  /** An unpaid end of a session (expired, or async payment failed): only an open funding changes. */
  async onCheckoutUnpaid(
    m: EntityManager,
    session: Stripe.Checkout.Session,
    to: 'expired' | 'failed',
  ): Promise<CheckoutOutcome> {
    const fundingId = fundingIdOf(session);
    if (!fundingId) return 'ignored';
    const changed = await this.repo.setFundingStatus(m, fundingId, ['open'], to, { sessionId: session.id });
    return changed ? to : 'duplicate';
  }

  // ---- jobs ----

  /**
   * Refunds what the campaign owes back: the unused budget of a completed campaign (funded − spent − fees −
   * refunded) and any rejected payment in full. Safe to run any number of times, concurrently too: the amounts
   * follow from the ledger (frozen once completed), Stripe's idempotency keys derive from the campaign or the
   * funding, and the ledger takes each refund id once.
   */
  async settle(campaignId: string): Promise<{ refunds: number; refundedCents: number }> {
    const plans = await this.dataSource.transaction(async (m) => {
      const c = await this.campaigns.lockByIdForBilling(m, campaignId);
      if (!c) return [];
      const fundings = (await this.repo.listFundings(c.id, m)).filter(
        (f) => f.status === 'paid' || f.status === 'rejected',
      );
      if (!fundings.length) return [];
      const totals = await this.repo.totals(c.id, m);
      const refunded = await this.repo.refundedByFunding(m, c.id);
      const plans: RefundPlan[] = [];
      for (const f of fundings) {
        let target: number;
        if (f.status === 'rejected') target = f.amountCents;
        else if (c.status === 'completed') target = f.amountCents - totals.spentCents - totals.feesCents;
        else continue;
        const owed = target - (refunded.get(f.id) ?? 0);
        if (owed <= 0) continue;
        if (f.method === 'offline') {
          // Invoiced money goes back the way it came, outside Stripe; the ledger records that it is owed back.
          await this.repo.appendLedger(m, {
            campaignId: c.id,
            kind: 'refund',
            amountCents: owed,
            currency: f.currency,
            fundingId: f.id,
            reference: 'offline',
          });
          continue;
        }
        const idempotencyKey = f.status === 'rejected' ? `funding-refund:${f.id}` : `campaign-refund:${c.id}`;
        plans.push({ brandId: c.brandId, funding: f, amountCents: owed, idempotencyKey });
      }
      return plans;
    });

    let refundedCents = 0;
    for (const p of plans) {
      const refund = await this.refundThroughStripe(p);
      await this.dataSource.transaction(async (m) => {
        const booked = await this.repo.appendLedger(m, {
          campaignId: p.funding.campaignId,
          kind: 'refund',
          amountCents: refund.amountCents,
          currency: p.funding.currency,
          fundingId: p.funding.id,
          reference: refund.id,
        });
        // Once per Stripe refund: a concurrent settle books the same refund id once.
        if (booked)
          await this.webhooks.record(m, p.brandId, 'refund.succeeded', {
            campaignId: p.funding.campaignId,
            fundingId: p.funding.id,
            amountCents: refund.amountCents,
            currency: p.funding.currency,
          });
      });
      refundedCents += refund.amountCents;
      this.logger.log(`refunded ${refund.amountCents} ${p.funding.currency} of funding ${p.funding.id} (${refund.id})`);
    }
    return { refunds: plans.length, refundedCents };
  }

  /** Makes sure a campaign that no longer waits for a checkout cannot be paid through an old one. */
  async expireCheckouts(campaignId: string): Promise<number> {
    const c = await this.dataSource.transaction((m) => this.campaigns.lockByIdForBilling(m, campaignId));
    if (!c || c.status === 'pending_funding') return 0;
    let expired = 0;
    if (this.stripe.enabled) {
      for (const sessionId of await this.repo.checkoutSessions(campaignId)) {
        if (await this.stripe.expireCheckoutSession(sessionId)) expired++;
      }
    }
    await this.dataSource.transaction((m) => this.repo.expireOpenCheckouts(m, campaignId));
    return expired;
  }

  /** The safety net behind `settle`: campaigns whose refund failed every retry get another try. */
  async settleOutstanding(): Promise<number> {
    let settled = 0;
    for (const id of await this.repo.campaignsOwingRefunds(100)) {
      try {
        settled += (await this.settle(id)).refunds;
      } catch (err) {
        this.logger.error(`refund for campaign ${id} still failing: ${(err as Error).message}`);
      }
    }
    return settled;
  }

  private async refundThroughStripe(p: RefundPlan): Promise<{ id: string; amountCents: number }> {
    let pi = p.funding.stripePaymentIntentId;
    if (!pi && p.funding.stripeCheckoutSessionId) {
      pi = await this.stripe.paymentIntentOf(p.funding.stripeCheckoutSessionId);
      if (pi) {
        const found = pi;
        await this.dataSource.transaction((m) => this.repo.setPaymentIntent(m, p.funding.id, found));
      }
    }
    if (!pi) throw new Error(`funding ${p.funding.id} has no payment intent to refund`);
    return this.stripe.refund({
      paymentIntentId: pi,
      amountCents: p.amountCents,
      idempotencyKey: p.idempotencyKey,
      metadata: { campaignId: p.funding.campaignId, fundingId: p.funding.id },
    });
  }
}

function fundingIdOf(session: Stripe.Checkout.Session): string | null {
  const id = session.client_reference_id ?? session.metadata?.fundingId ?? null;
  return typeof id === 'string' && UUID.test(id) ? id : null;
}
