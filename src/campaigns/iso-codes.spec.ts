import { COUNTRY_CODES, CURRENCY_CODES, isCountryCode, isCurrencyCode } from './iso-codes';

describe('ISO codes', () => {
  it('lists the 249 assigned ISO 3166-1 alpha-2 countries, each named by ICU', () => {
    expect(COUNTRY_CODES.size).toBe(249);
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    for (const c of COUNTRY_CODES) expect(names.of(c)).not.toBe(c);
  });

  it('accepts real countries and refuses well-formed fakes and wrong case', () => {
    for (const c of ['US', 'DE', 'GB', 'SS', 'FR']) expect(isCountryCode(c)).toBe(true);
    for (const c of ['UK', 'ZZ', 'EU', 'us', 'USA', '', 42]) expect(isCountryCode(c)).toBe(false);
  });

  it('accepts real lower-case currencies only', () => {
    expect(CURRENCY_CODES.size).toBeGreaterThan(150);
    for (const c of ['usd', 'eur', 'jpy', 'gbp', 'chf']) expect(isCurrencyCode(c)).toBe(true);
    for (const c of ['USD', 'xxx', 'xts', 'abc', 'us', 'dollars', null]) expect(isCurrencyCode(c)).toBe(false);
  });
});
