import { CODE_ALPHABET } from '../redemptions/redemption-code';

const C = `[${CODE_ALPHABET}]`;
const CODE = new RegExp(`(?<![A-Za-z0-9/])(${C}{4}-${C}{4})(?![A-Za-z0-9])`, 'g');
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Claim codes a post carries: in a Sway tracking link (`{PUBLIC_BASE_URL}/r/{code}`, with or without scheme,
 * as networks shorten link text) or written out (`XXXX-XXXX` in capitals, as printed on the perk page). Codes
 * are checked against the member's own claims afterwards, so a look-alike string matches nothing.
 */
export function claimCodesIn(publicBaseUrl: string, text: string, links: string[]): string[] {
  const host = new URL(publicBaseUrl).host;
  const link = new RegExp(`(?:https?://)?${escape(host)}/r/(${C}{4}-${C}{4})`, 'gi');
  const found = new Set<string>();
  for (const s of [text, ...links]) {
    for (const m of s.matchAll(link)) found.add(m[1].toUpperCase());
  }
  for (const m of text.matchAll(CODE)) found.add(m[1]);
  return [...found];
}
