import { brandKeyedHash, brandPseudonym, normalizeAddress, normalizeEmail } from './pseudonym';

const secret = Buffer.alloc(32, 7);
const member = '3f1c2a8e-8a43-4c55-9a0e-1c1f3b9c0d11';

describe('brandPseudonym', () => {
  it('is stable for one brand and different across brands', () => {
    const a1 = brandPseudonym(secret, 'brand-a', member);
    expect(a1).toMatch(/^inf_[A-Za-z0-9_-]{16}$/);
    expect(brandPseudonym(secret, 'brand-a', member)).toBe(a1);
    expect(brandPseudonym(secret, 'brand-b', member)).not.toBe(a1);
    expect(a1).not.toContain(member.slice(0, 8));
  });

  it('depends on the secret', () => {
    expect(brandPseudonym(Buffer.alloc(32, 8), 'brand-a', member)).not.toBe(brandPseudonym(secret, 'brand-a', member));
  });
});

describe('brandKeyedHash', () => {
  it('matches equal normalised values within a brand only', () => {
    const a = brandKeyedHash(secret, 'brand-a', 'email', normalizeEmail(' Ann@Example.COM '));
    expect(a.equals(brandKeyedHash(secret, 'brand-a', 'email', normalizeEmail('ann@example.com')))).toBe(true);
    expect(a.equals(brandKeyedHash(secret, 'brand-b', 'email', 'ann@example.com'))).toBe(false);
    expect(a.equals(brandKeyedHash(secret, 'brand-a', 'address', 'ann@example.com'))).toBe(false);
  });

  it('normalises addresses: case, accents, punctuation and the name do not matter', () => {
    const one = { line1: '12 Rue de l’Église', city: 'Paris', postalCode: '75001', country: 'FR' };
    const two = { line1: '12, rue de l eglise', line2: '', city: 'PARIS', postalCode: '75 001', country: 'fr' };
    expect(normalizeAddress(one)).toBe(normalizeAddress(two));
    expect(normalizeAddress({ ...one, line2: 'Apt 3' })).not.toBe(normalizeAddress(one));
  });
});
