import { FieldError } from '../common/problem/app.exception';
import { isCurrencyCode } from '../common/validation/iso-codes';
import { normalizeRedemptionCode } from '../redemptions/redemption-code';
import { uuidv7Time } from './uuid-v7';
import { parseTimestamp } from '../common/validation/dates';
import { isUuid } from '../common/ids/uuid';

export const MAX_BATCH = 1_000;
export const MAX_ORDER_ID = 200;
/** 10^13 minor units: above any real order, below 2^53 so every amount is an exact JS number. */
export const MAX_AMOUNT_CENTS = 10_000_000_000_000;
/** Clocks disagree; a sale stamped a few minutes ahead of ours is still a sale. */
const FUTURE_SLACK_MS = 5 * 60_000;
const EARLIEST = Date.UTC(2000, 0, 1);
const FIELDS = new Set(['orderId', 'amountCents', 'currency', 'clickId', 'code', 'occurredAt', 'customerEmail']);
export const MAX_EMAIL = 320;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A conversion as the attribution SQL takes it. */
export interface ConversionInput {
  orderId: string;
  amountCents: number;
  currency: string;
  occurredAt: Date;
  /** Normalised Sway code, or null (absent, or not shaped like a Sway code: a brand's own codes never attribute). */
  code: string | null;
  clickId: string | null;
  /** The click's own timestamp, read from its UUIDv7 (null: it cannot be a Sway click). */
  clickAt: Date | null;
  paymentIntentId: string | null;
  /** The brand-keyed hash of the customer's email (self-referral check); the email itself is never kept. */
  customerHash?: Buffer | null;
}

/**
 * Hand-written rather than one class-validator instance per item: a 1,000-item batch validates in about a
 * millisecond, and each item gets its own verdict (an invalid item does not sink the batch). The single
 * endpoint's DTO states the same rules for OpenAPI and the pipe; the spec keeps the two in step.
 */
export function parseConversion(
  raw: unknown,
  now = Date.now(),
  /** Hashes `customerEmail` on arrival (brandKeyedHash); without it the field is validated and dropped. */
  hashEmail?: (email: string) => Buffer,
): { input: ConversionInput } | { errors: FieldError[]; orderId: string | null } {
  const errors: FieldError[] = [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { errors: [{ field: '', message: 'must be an object' }], orderId: null };
  }
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!FIELDS.has(k)) errors.push({ field: k, message: 'unknown field' });
  const orderId = o.orderId;
  if (typeof orderId !== 'string' || orderId.length < 1 || orderId.length > MAX_ORDER_ID || CONTROL.test(orderId))
    errors.push({ field: 'orderId', message: `orderId must be a string of 1 to ${MAX_ORDER_ID} printable characters` });
  const amount = o.amountCents;
  if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 0 || amount > MAX_AMOUNT_CENTS)
    errors.push({ field: 'amountCents', message: `amountCents must be an integer from 0 to ${MAX_AMOUNT_CENTS}` });
  if (!isCurrencyCode(o.currency))
    errors.push({ field: 'currency', message: 'currency must be a lower-case ISO 4217 code (e.g. usd)' });
  let clickId: string | null = null;
  if (o.clickId !== undefined && o.clickId !== null) {
    if (!isUuid(o.clickId)) errors.push({ field: 'clickId', message: 'clickId must be a UUID (the sway_click value)' });
    else clickId = o.clickId.toLowerCase();
  }
  let code: string | null = null;
  if (o.code !== undefined && o.code !== null) {
    if (typeof o.code !== 'string' || o.code.length < 1 || o.code.length > 64)
      errors.push({ field: 'code', message: 'code must be a string of 1 to 64 characters' });
    else code = normalizeRedemptionCode(o.code);
  }
  let customerEmail: string | null = null;
  if (o.customerEmail !== undefined && o.customerEmail !== null) {
    const e = o.customerEmail;
    if (typeof e !== 'string' || e.length > MAX_EMAIL || CONTROL.test(e) || !/^[^@\s]+@[^@\s]+$/.test(e.trim()))
      errors.push({
        field: 'customerEmail',
        message: `customerEmail must be an email address of at most ${MAX_EMAIL} characters`,
      });
    else customerEmail = e;
  }
  let occurredAt = new Date(now);
  if (o.occurredAt !== undefined && o.occurredAt !== null) {
    const t = parseTimestamp(o.occurredAt)?.getTime() ?? NaN;
    if (Number.isNaN(t))
      errors.push({ field: 'occurredAt', message: 'occurredAt must be an ISO 8601 timestamp with a time zone' });
    else if (t > now + FUTURE_SLACK_MS || t < EARLIEST)
      errors.push({ field: 'occurredAt', message: 'occurredAt must not be in the future' });
    else occurredAt = new Date(t);
  }
  if (errors.length) return { errors, orderId: typeof orderId === 'string' ? orderId : null };
  return {
    input: {
      orderId: orderId as string,
      amountCents: amount as number,
      currency: o.currency as string,
      occurredAt,
      code,
      clickId,
      clickAt: clickId ? uuidv7Time(clickId) : null,
      paymentIntentId: null,
      customerHash: customerEmail && hashEmail ? hashEmail(customerEmail) : null,
    },
  };
}
