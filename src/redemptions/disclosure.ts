/**
 * Sponsorship disclosures, matched case- and accent-insensitively on whole words (so `#ad` is not `#adidas`).
 * English: the FTC's and the ASA's examples (#ad, #sponsored, "paid partnership", "ad:") and #gifted for gifted
 * perks. Other languages: each platform's own "Paid partnership" label in that language (Instagram/TikTok) and
 * the hashtags regulators there name — Germany's Medienanstalten (Werbung, Anzeige), France's ARPP/loi 2023-451
 * (publicité, collaboration commerciale), Spain's Autocontrol code (publi, publicidad, patrocinado), Italy's
 * AGCM/IAP (adv, pubblicità, sponsorizzato), the Netherlands' Reclamecode social media (reclame, gesponsord),
 * Portugal's DGC guide (publicidade, patrocinado, parceria paga). Words that also mean something ordinary in
 * English (#gift, #partner, #pub: a bar) are left out: a false "disclosed" hides a missing disclosure.
 */
const HASHTAGS = [
  'ad',
  'ads',
  'advert',
  'advertisement',
  'advertising',
  'sponsored',
  'sponsor',
  'spon',
  'gifted',
  'paidpartnership',
  'paidpartner',
  'brandpartner',
  // de
  'werbung',
  'anzeige',
  'unbezahltewerbung',
  'gesponsert',
  // fr
  'publicite',
  'sponsorise',
  'collaborationcommerciale',
  'partenariat',
  'partenariatremunere',
  // es, pt
  'publi',
  'publicidad',
  'publicidade',
  'patrocinado',
  'patrocinio',
  'colaboracionpagada',
  'parceriapaga',
  'publipost',
  // it
  'adv',
  'pubblicita',
  'sponsorizzato',
  'sponsorizzata',
  // nl
  'reclame',
  'gesponsord',
];

const PHRASES = [
  'paid partnership',
  'sponsored by',
  'ad:',
  'advertisement:',
  'bezahlte partnerschaft',
  'werbung:',
  'anzeige:',
  'partenariat remunere',
  'collaboration commerciale',
  'publicite:',
  'colaboracion pagada',
  'asociacion pagada',
  'publicidad:',
  'partnership retribuita',
  'pubblicita:',
  'parceria paga',
  'publicidade:',
  'betaalde samenwerking',
  'reclame:',
];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const WORD = '[\\p{L}\\p{N}_]';
const PATTERN = new RegExp(
  [
    `#(?:${HASHTAGS.map(escape).join('|')})(?!${WORD})`,
    ...PHRASES.map((p) => `(?<!${WORD})${escape(p).replace(/ /g, '\\s+')}${p.endsWith(':') ? '' : `(?!${WORD})`}`),
  ].join('|'),
  'iu',
);

/** True when the text carries a sponsorship disclosure in any of the supported languages. */
export function hasDisclosure(text: string | null | undefined): boolean {
  if (!text) return false;
  const folded = text.normalize('NFKD').replace(/\p{M}/gu, '');
  return PATTERN.test(folded);
}
