import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * The one parser of client dates. A regex alone let `2025-02-30T…`, `…T24:00…` and `2025-13-01` through:
 * JavaScript rolls some into the next month, turns others into an Invalid Date whose toISOString() throws, and
 * PostgreSQL refuses the rest (a 500). Here every component is range-checked and the instant is built from them.
 */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const daysIn = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

function validDay(y: number, mo: number, d: number): boolean {
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo);
}

/** An ISO 8601 timestamp with its zone (`Z` or `±hh:mm`), or null when it is not a real instant. */
export function parseTimestamp(v: unknown): Date | null {
  if (typeof v !== 'string') return null;
  const m = TIMESTAMP.exec(v);
  if (!m) return null;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0${m[7]}`) * 1000);
  if (!validDay(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  let offsetMin = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    // Real zones lie within ±14:00; PostgreSQL accepts up to ±15:59.
    if (oh > 14 || om > 59) return null;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * 60_000;
  const date = new Date(t);
  // Years 1–9999 only: outside them ISO strings gain a sign and PostgreSQL's range checks differ.
  return Number.isNaN(t) || date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999 ? null : date;
}

/** A real calendar day `YYYY-MM-DD`. */
export function isCalendarDate(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = DATE.exec(v);
  return !!m && validDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

export const IsTimestamp = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy({ name: 'isTimestamp', validator: { validate: (v) => parseTimestamp(v) !== null } }, options);

export const IsCalendarDate = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy({ name: 'isCalendarDate', validator: { validate: (v) => isCalendarDate(v) } }, options);
