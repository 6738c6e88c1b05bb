import { brandPseudonym } from './pseudonym';

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
