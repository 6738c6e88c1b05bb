/**
 * Appends `sway_click=<id>` to the landing URL's query, keeping the existing query byte for byte (re-encoding it
 * through URLSearchParams would turn `%20` into `+` and reorder nothing but still change what the brand wrote)
 * and keeping any fragment after it. A `sway_click` already in the brand's URL is replaced. With `null` (the click
 * could not be stored in time) only the brand's own `sway_click` is removed: Sway never hands out an id it did not
 * store.
 */
export function withClickId(landingUrl: string, clickId: string | null): string {
  const hashAt = landingUrl.indexOf('#');
  const fragment = hashAt >= 0 ? landingUrl.slice(hashAt) : '';
  let base = hashAt >= 0 ? landingUrl.slice(0, hashAt) : landingUrl;
  const q = base.indexOf('?');
  if (q >= 0 && /[?&]sway_click=/.test(base)) {
    const kept = base
      .slice(q + 1)
      .split('&')
      .filter((p) => p !== '' && !p.startsWith('sway_click='));
    base = base.slice(0, q) + (kept.length ? `?${kept.join('&')}` : '');
  }
  if (clickId === null) return `${base}${fragment}`;
  const sep = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${sep}sway_click=${clickId}${fragment}`;
}
