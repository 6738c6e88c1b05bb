/** Money and dates are formatted here only; amounts stay integer cents until this point. */
export function money(cents: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(cents / 100);
}

export function date(iso: string): string {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' }).format(new Date(iso));
}

export function dateTime(iso: string): string {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

const rtf = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' });
/** "in 2 days", "in 5 hours", "in 3 minutes" — for expiry countdowns. */
export function relative(iso: string, now = Date.now()): string {
  const s = (new Date(iso).getTime() - now) / 1000;
  const abs = Math.abs(s);
  if (abs >= 86_400) return rtf.format(Math.round(s / 86_400), 'day');
  if (abs >= 3600) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 60), 'minute');
}

export function percent(v: number): string {
  return new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 }).format(v);
}

/** Topic slugs are the public keys; this is a readable label when the name is not at hand. */
export function topicLabel(slug: string): string {
  const s = slug.replace(/-super$/, '').replace(/-/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
