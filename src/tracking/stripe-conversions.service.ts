import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type Stripe from 'stripe';
import { EntityManager } from 'typeorm';
import type { StripeEventRow } from '../billing/billing.repository';
import { StripeEventsService } from '../billing/stripe-events.service';
import { paymentIntentId } from '../billing/stripe.gateway';
import { BrandsService } from '../brands/brands.service';
import { isCurrencyCode } from '../common/validation/iso-codes';
import { normalizeRedemptionCode } from '../redemptions/redemption-code';
import { ConversionInput } from './conversion-input';
import { ConversionsService } from './conversions.service';
import { uuidv7Time } from './uuid-v7';
import { isUuid } from '../common/ids/uuid';

/** What a Checkout Session can carry that ties it to Sway. */
function swayEvidence(session: Stripe.Checkout.Session): { clickId: string | null; code: string | null } {
  const md = session.metadata ?? {};
  const click = isUuid(md.sway_click) ? md.sway_click.toLowerCase() : null;
  const candidates: unknown[] = [md.sway_code];
  // Present only when the brand's integration expands it (webhooks are never expanded by Stripe itself).
  for (const d of session.total_details?.breakdown?.discounts ?? []) {
    const promo = (d.discount as { promotion_code?: unknown } | undefined)?.promotion_code;
    if (promo && typeof promo === 'object') candidates.push((promo as { code?: unknown }).code);
  }
  let code: string | null = null;
  for (const c of candidates) if (!code && typeof c === 'string') code = normalizeRedemptionCode(c);
  return { clickId: click, code };
}

/**
 * Sales on a brand's own (connected) Stripe account: a paid Checkout Session with a Sway click or code becomes a
 * conversion (order id = session id, through the same attribution as the API), and `charge.refunded` reverses
 * it by payment intent. Runs inside billing's event transaction, so the event is marked processed exactly when
 * its effect commits.
 */
@Injectable()
export class StripeConversionsService implements OnModuleInit {
  private readonly logger = new Logger(StripeConversionsService.name);

  constructor(
    private readonly events: StripeEventsService,
    private readonly brands: BrandsService,
    private readonly conversions: ConversionsService,
  ) {}

  onModuleInit(): void {
    this.events.onConnectedAccountEvent((m, ev) => this.apply(m, ev));
  }

  async apply(m: EntityManager, ev: StripeEventRow): Promise<string> {
    const brandId = ev.account ? await this.brands.brandIdByStripeAccount(ev.account, m) : null;
    if (!brandId) return 'unlinked-account';
    const object = (ev.payload as { data?: { object?: { object?: string } } }).data?.object;
    const created = Number((ev.payload as { created?: unknown }).created);
    switch (ev.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded': {
        if (object?.object !== 'checkout.session') return 'ignored';
        const session = object as unknown as Stripe.Checkout.Session;
        // Delayed payment methods complete unpaid; async_payment_succeeded follows when the money arrives.
        if (session.payment_status !== 'paid') return 'awaiting-payment';
        return this.onPaidSession(
          m,
          brandId,
          session,
          Number.isFinite(created) ? new Date(created * 1000) : new Date(),
        );
      }
      case 'charge.refunded': {
        if (object?.object !== 'charge') return 'ignored';
        const charge = object as unknown as Stripe.Charge;
        const pi = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
        if (!pi || !Number.isSafeInteger(charge.amount_refunded)) return 'ignored';
        const r = await this.conversions.refund(m, brandId, pi, charge.amount_refunded);
        if (!r) return 'refund-of-untracked-sale';
        return r.deltaCents ? 'conversion-refunded' : 'refund-unchanged';
      }
      default:
        return 'ignored';
    }
  }

  private async onPaidSession(
    m: EntityManager,
    brandId: string,
    session: Stripe.Checkout.Session,
    at: Date,
  ): Promise<string> {
    const { clickId, code } = swayEvidence(session);
    if (!clickId && !code) return 'no-sway-reference';
    const amount = session.amount_total;
    const currency = session.currency;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0 || !isCurrencyCode(currency)) {
      this.logger.warn(`session ${session.id}: no usable amount or currency; ignored`);
      return 'ignored';
    }
    const input: ConversionInput = {
      orderId: session.id,
      amountCents: amount,
      currency,
      occurredAt: at,
      code,
      clickId,
      clickAt: clickId ? uuidv7Time(clickId) : null,
      paymentIntentId: paymentIntentId(session),
      // Stripe knows the buyer's email: the self-referral rule gets it hashed, like an API-sent customerEmail.
      customerHash: session.customer_details?.email
        ? this.conversions.emailHasher(brandId)(session.customer_details.email)
        : null,
    };
    const [r] = await this.conversions.ingest(brandId, [input], 'stripe', m);
    return `conversion-${r.status}`;
  }
}
