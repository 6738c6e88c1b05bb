import { COUNTRY_CODES, isCountryCode, isCurrencyCode } from './iso-codes';

describe('ISO codes', () => {
  it('knows exactly the 249 ISO 3166-1 alpha-2 countries', () => {
    expect(COUNTRY_CODES.size).toBe(249);
    for (const c of ['US', 'DE', 'GB', 'FR', 'JP', 'BR', 'RE', 'AQ', 'SS']) expect(isCountryCode(c)).toBe(true);
    for (const c of ['UK', 'EU', 'UN', 'ZZ', 'us', 'USA', 'XK', '']) expect(isCountryCode(c)).toBe(false);
  });

  it('knows ISO 4217 currencies in lower case', () => {
    for (const c of ['usd', 'eur', 'jpy', 'gbp']) expect(isCurrencyCode(c)).toBe(true);
    for (const c of ['USD', 'xxxx', 'abc', '']) expect(isCurrencyCode(c)).toBe(false);
  });
});
