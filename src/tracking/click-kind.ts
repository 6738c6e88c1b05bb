import type { ClickKind } from './entities/click.entity';

/**
 * Link-preview fetchers: chat apps and social networks fetch a shared link to draw its card. They request the
 * link because someone posted it, not because someone clicked it.
 */
const PREVIEW = new RegExp(
  [
    'facebookexternalhit',
    'facebookcatalog',
    'meta-externalagent',
    'twitterbot',
    'slackbot',
    'slack-imgproxy',
    'discordbot',
    'whatsapp',
    'telegrambot',
    'linkedinbot',
    'pinterest',
    'skypeuripreview',
    'iframely',
    'embedly',
    'redditbot',
    'vkshare',
    'viber',
    'snapchat',
    'line-poker',
    'mastodon',
    'bluesky',
    'cardyb',
    'google-pagerenderer',
    'googleimageproxy',
    'outlook',
    'microsoftpreview',
    'teams',
    'applebot',
  ].join('|'),
  'i',
);

/** Crawlers, monitors, HTTP libraries and headless browsers: nobody is behind them. */
const BOT =
  /bot\b|bot\/|crawl|spider|slurp|mediapartners|archiver|monitor|pingdom|uptime|lighthouse|headless|phantomjs|curl\/|wget\/|python-requests|python-urllib|aiohttp|httpx|go-http-client|java\/|okhttp|libwww|node-fetch|axios\/|undici|scrapy|httpclient|feedfetcher|facebot|ia_archiver|bingpreview|yandex|baiduspider|ahrefs|semrush|petalbot|bytespider|gptbot|claudebot|perplexity|ccbot/i;

export interface ClickRequestFacts {
  method: string;
  userAgent: string | undefined;
  /** Every speculative-fetch hint the request carried (`purposeOf`), joined. */
  purpose: string | undefined;
}

/**
 * Where browsers say a fetch is speculative (nobody asked for the page yet): `Sec-Purpose` (Chrome, current
 * Firefox), `Purpose` (older Chrome), `X-Purpose` (Safari) and `X-Moz` (Firefox's link prefetch). All are read,
 * not the first present, so an unrelated value in one cannot hide a prefetch announced in another.
 */
const PURPOSE_HEADERS = ['sec-purpose', 'purpose', 'x-purpose', 'x-moz'] as const;

export function purposeOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const values = PURPOSE_HEADERS.flatMap((h) => headers[h] ?? []);
  return values.length ? values.join(', ') : undefined;
}

/**
 * Only `human` counts as a click. HEAD never does (nobody sees a HEAD); a missing User-Agent is a script;
 * preview fetchers are checked before bots because several of them call themselves "bot".
 */
export function classifyClick(f: ClickRequestFacts): ClickKind {
  if (f.method === 'HEAD') return 'head';
  const ua = f.userAgent?.trim();
  if (!ua) return 'bot';
  if (f.purpose && /prefetch|preview|prerender/i.test(f.purpose)) return 'preview';
  if (PREVIEW.test(ua)) return 'preview';
  if (BOT.test(ua)) return 'bot';
  return 'human';
}

/**
 * Ad platforms' click ids, which an ad network appends to its destination URL: a tracking link carrying one was
 * bought traffic (the link placed in an ad), not a member's audience. Only the parameter's name is kept (which
 * network), never its value (an id the network can tie to a person).
 */
const AD_CLICK_PARAMS = [
  'gclid', // Google Ads
  'gbraid', // Google Ads (iOS app campaigns)
  'wbraid', // Google Ads (web to app)
  'dclid', // Google Display & Video 360
  'fbclid', // Meta
  'ttclid', // TikTok
  'msclkid', // Microsoft Ads
  'li_fat_id', // LinkedIn
  'twclid', // X (Twitter)
  'epik', // Pinterest
  'sccid', // Snapchat
  'rdt_cid', // Reddit
  'yclid', // Yandex
] as const;

/** The first ad click id parameter present in the query (Fastify has already parsed it), or null. */
export function adClickOf(url: string, query: unknown): string | null {
  // Most clicks carry no query at all: one indexOf and done, so the hot path pays nothing for the check.
  if (url.indexOf('?') < 0 || !query || typeof query !== 'object') return null;
  const q = query as Record<string, unknown>;
  for (const p of AD_CLICK_PARAMS) if (q[p] !== undefined) return p;
  return null;
}
