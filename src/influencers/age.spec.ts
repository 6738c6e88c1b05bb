import { isAdultOn } from './age';

const on = (iso: string): Date => new Date(`${iso}T12:00:00Z`);

describe('isAdultOn', () => {
  it('is true from the 18th birthday on, never a day earlier', () => {
    expect(isAdultOn('2008-11-26', on('2026-11-26'))).toBe(true);
    expect(isAdultOn('2008-11-27', on('2026-11-26'))).toBe(false);
    expect(isAdultOn('1970-01-01', on('2026-11-26'))).toBe(true);
  });

  it('uses the UTC calendar day of signup', () => {
    expect(isAdultOn('2008-11-27', new Date('2026-11-26T23:59:59Z'))).toBe(false);
    expect(isAdultOn('2008-11-27', new Date('2026-11-27T00:00:00Z'))).toBe(true);
  });

  it('makes 29 February births adults on 1 March in non-leap years', () => {
    expect(isAdultOn('2008-02-29', on('2026-02-28'))).toBe(false);
    expect(isAdultOn('2008-02-29', on('2026-03-01'))).toBe(true);
    expect(isAdultOn('2004-02-29', on('2022-02-28'))).toBe(false);
  });
});
