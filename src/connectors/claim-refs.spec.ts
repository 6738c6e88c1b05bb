import { claimCodesIn } from './claim-refs';

describe('claimCodesIn', () => {
  const base = 'https://sway.test';
  it('finds codes in tracking links (text or facets) and written out', () => {
    expect(claimCodesIn(base, 'Loving it https://sway.test/r/K7QH-3MZP #ad', [])).toEqual(['K7QH-3MZP']);
    expect(claimCodesIn(base, 'link in bio sway.test/r/k7qh-3mzp…', [])).toEqual(['K7QH-3MZP']);
    expect(claimCodesIn(base, 'see facet', ['https://sway.test/r/ABCD-2345?x=1'])).toEqual(['ABCD-2345']);
    expect(claimCodesIn(base, 'Use code WXYZ-2345 at checkout', [])).toEqual(['WXYZ-2345']);
  });
  it('ignores other hosts, lower-case look-alikes and letters outside the code alphabet', () => {
    expect(claimCodesIn(base, 'https://evil.test/r/K7QH-3MZP', [])).toEqual([]);
    expect(claimCodesIn(base, 'abcd-2345 and ABCD-1234 (1 is not in the alphabet) XK7QH-3MZP', [])).toEqual([]);
  });
});
