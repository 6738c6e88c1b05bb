import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxService } from '../common/outbox/outbox.service';
import { InvalidStripeSignature, StripeWebhooksNotConfigured } from './billing.exception';
import { processStripeEvent } from './billing.queue';
import { BillingRepository, StripeEventRow } from './billing.repository';
import { BillingService } from './billing.service';
import { WebhookAckDto } from './dto/funding-response.dto';
import { StripeGateway } from './stripe.gateway';

/** Applies one event of a connected (brand) account inside the processing transaction; returns the outcome. */
export type ConnectedAccountEventHandler = (m: EntityManager, event: StripeEventRow) => Promise<string>;

/**
 * Stripe webhooks: verify, record once, acknowledge; apply later in a job. The 200 goes out only after the
 * event and its job are committed together, so an acknowledged event is never lost, and nothing is stored
 * when the signature fails.
 */
@Injectable()
export class StripeEventsService {
  private readonly logger = new Logger(StripeEventsService.name);
  private connectedHandler: ConnectedAccountEventHandler | null = null;

  constructor(
    private readonly repo: BillingRepository,
    private readonly dataSource: DataSource,
    private readonly stripe: StripeGateway,
    private readonly billing: BillingService,
    private readonly outbox: OutboxService,
  ) {}

  async receive(rawBody: Buffer | undefined, signature: string | undefined): Promise<WebhookAckDto> {
    if (!this.stripe.webhooksEnabled) throw new StripeWebhooksNotConfigured();
    if (!signature) throw new InvalidStripeSignature('The Stripe-Signature header is missing');
    if (!rawBody?.length) throw new InvalidStripeSignature('The request has no body to verify');
    let event: Stripe.Event;
    try {
      event = this.stripe.verifyWebhook(rawBody, signature);
    } catch {
      throw new InvalidStripeSignature();
    }
    if (typeof event.id !== 'string' || typeof event.type !== 'string') {
      throw new InvalidStripeSignature('The signed body is not a Stripe event');
    }
    await this.dataSource.transaction(async (m) => {
      const fresh = await this.repo.recordEvent(m, {
        id: event.id,
        type: event.type,
        account: event.account ?? null,
        payload: event,
      });
      if (fresh) await this.outbox.enqueue(m, processStripeEvent(event.id));
    });
    return { received: true };
  }

  /**
   * The tracking context registers here to turn a brand's own sales into conversions; billing never imports it.
   * Until a handler exists, connected-account events stay unprocessed in stripe_events.
   */
  onConnectedAccountEvent(handler: ConnectedAccountEventHandler): void {
    this.connectedHandler = handler;
  }

  /** Applies one stored event, once: the row lock serialises duplicate jobs, `processed_at` ends the story. */
  async process(eventId: string): Promise<string> {
    return this.dataSource.transaction(async (m) => {
      const ev = await this.repo.lockEvent(m, eventId);
      if (!ev) return 'missing';
      if (ev.processedAt) return 'already-processed';
      if (ev.account && !this.connectedHandler) return 'connected-account';
      const outcome = ev.account ? await this.connectedHandler!(m, ev) : await this.apply(m, ev);
      await this.repo.markEventProcessed(m, ev.id);
      this.logger.log(`stripe event ${ev.id} (${ev.type}): ${outcome}`);
      return outcome;
    });
  }

  private async apply(m: EntityManager, ev: StripeEventRow): Promise<string> {
    const object = (ev.payload as { data?: { object?: unknown } }).data?.object as Stripe.Checkout.Session | undefined;
    const isSession = object?.object === 'checkout.session';
    switch (ev.type) {
      case 'checkout.session.completed':
        if (!isSession) return 'ignored';
        // Delayed payment methods complete the session unpaid; async_payment_succeeded follows.
        return object.payment_status === 'paid' ? this.billing.onCheckoutPaid(m, object) : 'awaiting-payment';
      case 'checkout.session.async_payment_succeeded':
        return isSession ? this.billing.onCheckoutPaid(m, object) : 'ignored';
      case 'checkout.session.async_payment_failed':
        return isSession ? this.billing.onCheckoutUnpaid(m, object, 'failed') : 'ignored';
      case 'checkout.session.expired':
        return isSession ? this.billing.onCheckoutUnpaid(m, object, 'expired') : 'ignored';
      default:
        return 'ignored';
    }
  }
}
