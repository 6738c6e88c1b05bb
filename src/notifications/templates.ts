import { NotificationKind } from './notification-kinds';

export type Params = Record<string, unknown>;

/** What one template produces: both mail parts and the in-app title come from this, never written twice. */
export interface Content {
  subject: string;
  paragraphs: string[];
  /** A plain link into the app (no redirect, no tracking parameter). */
  action?: { label: string; path: string };
}

export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

const LANGUAGES = ['en'] as const;
export type Language = (typeof LANGUAGES)[number];

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' && v ? v : fallback);
const when = (v: unknown): string => {
  const d = typeof v === 'string' ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'soon';
};
const money = (cents: unknown, currency: unknown): string =>
  `${(Number(cents ?? 0) / 100).toFixed(2)} ${str(currency, 'usd').toUpperCase()}`;

type Template = (p: Params) => Content;

/** English; another language adds a table with the same keys (a missing kind falls back to English). */
const EN: Record<NotificationKind, Template> = {
  offer_created: (p) => ({
    subject: `New perk for you: ${str(p.perkTitle, 'a perk')}`,
    paragraphs: [
      `${str(p.brandName, 'A brand')} offers you ${str(p.perkTitle, 'a perk')}.`,
      `The offer is yours until ${when(p.expiresAt)}; after that it goes to someone else.`,
    ],
    action: { label: 'See your offers', path: '/me/offers' },
  }),
  offer_expiring: (p) => ({
    subject: `Your offer of ${str(p.perkTitle, 'a perk')} expires soon`,
    paragraphs: [
      `Your offer of ${str(p.perkTitle, 'a perk')} from ${str(p.brandName, 'a brand')} expires at ${when(p.expiresAt)}.`,
      'Claim it or decline it before then; this is the only reminder.',
    ],
    action: { label: 'See your offers', path: '/me/offers' },
  }),
  claim_fulfilled: (p) => ({
    subject: `Your perk is on its way: ${str(p.perkTitle, 'your perk')}`,
    paragraphs: [
      `${str(p.brandName, 'The brand')} has fulfilled your claim of ${str(p.perkTitle, 'a perk')}.`,
      p.trackingNumber ? `Tracking number: ${str(p.trackingNumber)}` : 'No tracking number was given.',
    ],
    action: { label: 'See your perks', path: '/me/perks' },
  }),
  contest_answered: (p) => ({
    subject: 'Your contest has been answered',
    paragraphs: [
      `Your contest${p.subject ? ` about ${str(p.subject)}` : ''} was answered: ${str(p.outcome, 'see the details in the app')}.`,
    ],
    action: { label: 'See your score', path: '/me/score' },
  }),
  consent_changed: (p) => ({
    subject: 'Your consent settings changed',
    paragraphs: [
      `${p.purpose === 'matching' ? '“Match me with perks”' : '“Share my stats with brands”'} is now ${p.granted ? 'on' : 'off'}.`,
      'If this was not you, sign out everywhere and change your password.',
    ],
    action: { label: 'Open Privacy', path: '/me/privacy' },
  }),
  account_changed: (p) => ({
    subject: p.change === 'linked' ? 'A social account was linked' : 'A social account was unlinked',
    paragraphs: [
      `A ${str(p.network, 'social')} account was ${p.change === 'linked' ? 'linked to' : 'removed from'} your Sway account.`,
      'If this was not you, sign out everywhere and change your password.',
    ],
    action: { label: 'Open Privacy', path: '/me/privacy' },
  }),
  signin_new_device: (p) => ({
    subject: 'New sign-in to your Sway account',
    paragraphs: [
      `Someone signed in to your account at ${when(p.at)} from a browser or device we had not seen before${p.device ? ` (${str(p.device)})` : ''}.`,
      'If this was not you, sign out everywhere and change your password.',
    ],
    action: { label: 'Open Privacy', path: '/me/privacy' },
  }),
  passkey_added: (p) => ({
    subject: 'A passkey was added to your account',
    paragraphs: [
      `A passkey${p.name ? ` named “${str(p.name)}”` : ''} was added at ${when(p.at)}.`,
      'If this was not you, sign out everywhere and remove it.',
    ],
    action: { label: 'Open Privacy', path: '/me/privacy' },
  }),
  erasure_requested: (p) => ({
    subject: 'Your Sway account is being deleted',
    paragraphs: [
      `You asked us at ${when(p.at)} to delete your account. Your personal data is being erased now.`,
      'This is the last message Sway sends to this address.',
    ],
  }),
  claims_awaiting_shipping: (p) => ({
    subject: `${Number(p.count ?? 0)} claim(s) awaiting shipping`,
    paragraphs: [
      `${Number(p.count ?? 0)} product claim(s) are waiting to be shipped:`,
      ...(Array.isArray(p.campaigns) ? (p.campaigns as Params[]) : []).map(
        (c) => `• ${str(c.name, 'a campaign')}: ${Number(c.count ?? 0)}`,
      ),
    ],
    action: { label: 'Open the console', path: '/console/campaigns' },
  }),
  funding_failed: (p) => ({
    subject: `Funding failed for ${str(p.campaignName, 'a campaign')}`,
    paragraphs: [
      `The payment for ${str(p.campaignName, 'your campaign')} did not go through, so the campaign is not active.`,
      'Start a new checkout from the console to try again.',
    ],
    action: { label: 'Open the campaign', path: `/console/campaigns/${str(p.campaignId)}` },
  }),
  funding_refunded: (p) => ({
    subject: `Refund for ${str(p.campaignName, 'a campaign')}`,
    paragraphs: [
      `${money(p.amountCents, p.currency)} of the funding of ${str(p.campaignName, 'your campaign')} was refunded.`,
    ],
    action: { label: 'See the ledger', path: `/console/campaigns/${str(p.campaignId)}` },
  }),
  campaign_sold_out: (p) => ({
    subject: `${str(p.campaignName, 'Your campaign')} is sold out`,
    paragraphs: [`Every unit of ${str(p.campaignName, 'your campaign')} has been claimed.`],
    action: { label: 'Open the campaign', path: `/console/campaigns/${str(p.campaignId)}` },
  }),
  campaign_completed: (p) => ({
    subject: `${str(p.campaignName, 'Your campaign')} is completed`,
    paragraphs: [
      `${str(p.campaignName, 'Your campaign')} has ended. Any unused budget is refunded; the report stays available.`,
    ],
    action: { label: 'Open the report', path: `/console/campaigns/${str(p.campaignId)}` },
  }),
  webhook_endpoint_disabled: (p) => ({
    subject: 'A webhook endpoint was disabled',
    paragraphs: [
      p.reason === 'gone'
        ? 'Your endpoint answered 410 Gone, so Sway stopped sending to it.'
        : 'Your endpoint kept failing, so Sway stopped sending to it.',
      `Endpoint ${str(p.endpointId)}: fix it and enable it again; you can replay the events you missed.`,
    ],
    action: { label: 'Open webhooks', path: '/console/webhooks' },
  }),
  fraud_signal_opened: (p) => ({
    subject: `A fraud signal was opened on ${str(p.campaignName, 'a campaign')}`,
    paragraphs: [
      `Sway opened a fraud signal (${str(p.signal, 'unusual activity')}) on ${str(p.campaignName, 'your campaign')}${p.memberRef ? ` concerning member ${str(p.memberRef)}` : ''}.`,
    ],
    action: { label: 'Review it', path: '/console' },
  }),
};

const TABLES: Record<Language, Record<NotificationKind, Template>> = { en: EN };

export function languageOf(v: string | null | undefined): Language {
  return (LANGUAGES as readonly string[]).includes(v ?? '') ? (v as Language) : 'en';
}

export function contentOf(kind: NotificationKind, params: Params, lang: Language = 'en'): Content {
  return (TABLES[lang][kind] ?? EN[kind])(params);
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const FOOTER = {
  en: {
    why: 'You get this mail because of your notification settings in Sway.',
    security: 'Security notices are always sent.',
    stop: 'Stop this kind of mail',
    digest: 'Your daily Sway digest',
  },
};

export interface Footer {
  /** The one-click link; absent for security notices. */
  unsubscribeUrl?: string;
  settingsUrl: string;
}

/** One message body from one or more contents (a digest has several); text and HTML say the same. */
export function render(base: string, subject: string, items: Content[], footer: Footer, lang: Language): Rendered {
  const f = FOOTER[lang];
  const text: string[] = [];
  const html: string[] = [];
  for (const [i, c] of items.entries()) {
    if (items.length > 1) {
      text.push(`${i ? '\n' : ''}## ${c.subject}`);
      html.push(`<h2 style="font-size:16px">${escapeHtml(c.subject)}</h2>`);
    }
    for (const p of c.paragraphs) {
      text.push(p);
      html.push(`<p>${escapeHtml(p)}</p>`);
    }
    if (c.action) {
      const url = base + c.action.path;
      text.push(`${c.action.label}: ${url}`);
      html.push(`<p><a href="${escapeHtml(url)}">${escapeHtml(c.action.label)}</a></p>`);
    }
  }
  text.push('', '--', footer.unsubscribeUrl ? f.why : f.security, `Settings: ${footer.settingsUrl}`);
  html.push(
    '<hr>',
    `<p style="color:#555;font-size:12px">${escapeHtml(footer.unsubscribeUrl ? f.why : f.security)} ` +
      `<a href="${escapeHtml(footer.settingsUrl)}">Settings</a></p>`,
  );
  if (footer.unsubscribeUrl) {
    // A GET of this link only shows a confirmation form: link scanners must not unsubscribe anyone.
    text.push(`${f.stop}: ${footer.unsubscribeUrl}`);
    html.push(`<p style="font-size:12px"><a href="${escapeHtml(footer.unsubscribeUrl)}">${escapeHtml(f.stop)}</a></p>`);
  }
  return {
    subject,
    text: text.join('\n') + '\n',
    html: `<!doctype html><html><body style="font-family:sans-serif">${html.join('\n')}</body></html>`,
  };
}

export const digestSubject = (lang: Language, n: number): string => `${FOOTER[lang].digest} (${n})`;
