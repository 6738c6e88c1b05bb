import { adClickOf, classifyClick, purposeOf } from './click-kind';

const get = (userAgent: string | undefined, purpose?: string) => classifyClick({ method: 'GET', userAgent, purpose });

describe('classifyClick', () => {
  it('counts browsers as humans', () => {
    for (const ua of [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36 Instagram 330.0',
      'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
    ])
      expect(get(ua)).toBe('human');
  });

  it('recognises link-preview fetchers', () => {
    for (const ua of [
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
      'Twitterbot/1.0',
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
      'WhatsApp/2.23.20.0',
      'TelegramBot (like TwitterBot)',
      'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
    ])
      expect(get(ua)).toBe('preview');
    expect(get('Mozilla/5.0 Chrome/124.0', 'prefetch;prerender')).toBe('preview');
  });

  it('recognises bots and scripts', () => {
    for (const ua of [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'curl/8.5.0',
      'python-requests/2.31.0',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36',
      'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
    ])
      expect(get(ua)).toBe('bot');
    expect(get(undefined)).toBe('bot');
    expect(get('   ')).toBe('bot');
  });

  it('treats every browser prefetch or prerender hint as no click, Firefox’s X-Moz included', () => {
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
    for (const headers of [
      { 'x-moz': 'prefetch' },
      { purpose: 'prefetch' },
      { 'sec-purpose': 'prefetch' },
      { 'sec-purpose': 'prefetch;prerender' },
      { 'x-purpose': 'preview' },
      // One hint hidden behind an unrelated value in another header still counts.
      { 'sec-purpose': 'anonymous-client-ip', 'x-moz': 'prefetch' },
    ])
      expect(classifyClick({ method: 'GET', userAgent: firefox, purpose: purposeOf(headers) })).toBe('preview');
    expect(classifyClick({ method: 'GET', userAgent: firefox, purpose: purposeOf({ accept: 'text/html' }) })).toBe(
      'human',
    );
    expect(purposeOf({})).toBeUndefined();
  });

  it('never counts HEAD', () => {
    expect(classifyClick({ method: 'HEAD', userAgent: 'Mozilla/5.0 Chrome/124.0', purpose: undefined })).toBe('head');
  });
});

describe('adClickOf', () => {
  it('names the ad network parameter, never keeps its value', () => {
    expect(adClickOf('/r/ABCD-EFGH?gclid=Cj0KCQ', { gclid: 'Cj0KCQ' })).toBe('gclid');
    expect(adClickOf('/r/ABCD-EFGH?utm_source=x&fbclid=IwAR', { utm_source: 'x', fbclid: 'IwAR' })).toBe('fbclid');
    expect(adClickOf('/r/ABCD-EFGH?li_fat_id=', { li_fat_id: '' })).toBe('li_fat_id');
  });

  it('is null without a query or without an ad click id', () => {
    expect(adClickOf('/r/ABCD-EFGH', {})).toBeNull();
    expect(adClickOf('/r/ABCD-EFGH?utm_source=newsletter', { utm_source: 'newsletter' })).toBeNull();
  });
});
