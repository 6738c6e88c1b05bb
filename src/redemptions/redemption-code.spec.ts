import { CODE_ALPHABET, generateRedemptionCode, normalizeRedemptionCode } from './redemption-code';

describe('redemption codes', () => {
  it('use no ambiguous characters', () => {
    for (const c of '01OILUV') expect(CODE_ALPHABET).not.toContain(c);
    for (let i = 0; i < 500; i++)
      expect(generateRedemptionCode()).toMatch(/^[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}$/);
  });

  it('are rarely equal', () => {
    const seen = new Set(Array.from({ length: 5000 }, generateRedemptionCode));
    expect(seen.size).toBe(5000);
  });

  it('normalise what people type', () => {
    const code = generateRedemptionCode();
    expect(normalizeRedemptionCode(code.toLowerCase())).toBe(code);
    expect(normalizeRedemptionCode(code.replace('-', ' '))).toBe(code);
    expect(normalizeRedemptionCode(code.replace('-', ''))).toBe(code);
    expect(normalizeRedemptionCode('ABC')).toBeNull();
    expect(normalizeRedemptionCode('ABCD-EFG0')).toBeNull();
  });
});
