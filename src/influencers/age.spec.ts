import { isAdultOn } from './age';

const on = (iso: string): Date => new Date(`${iso}T12:00:00Z`);

describe('isAdultOn', () => {
  it('is true from the 18th birthday on, never a day earlier', () => {
    expect(isAdultOn('2008-11-26', on('2026-11-26'))).toBe(true);
    expect(isAdultOn('2008-11-27', on('2026-11-26'))).toBe(false);
    expect(isAdultOn('1970-01-01', on('2026-11-26'))).toBe(true);
  });

  it('uses the calendar day at UTC−12, so nobody on Earth is still 17 at signup', () => {
    // 18 in UTC from midnight, but still 17 on Baker Island (UTC−12) until noon UTC.
    expect(isAdultOn('2008-11-27', new Date('2026-11-27T00:00:00Z'))).toBe(false);
    expect(isAdultOn('2008-11-27', new Date('2026-11-27T11:59:59Z'))).toBe(false);
    expect(isAdultOn('2008-11-27', new Date('2026-11-27T12:00:00Z'))).toBe(true);
    // Already 18 in UTC−12 stays 18 in every later zone (UTC+14 is then the next day).
    expect(isAdultOn('2008-11-26', new Date('2026-11-27T11:59:59Z'))).toBe(true);
  });

  it('makes 29 February births adults on 1 March in non-leap years', () => {
    expect(isAdultOn('2008-02-29', on('2026-02-28'))).toBe(false);
    expect(isAdultOn('2008-02-29', on('2026-03-01'))).toBe(true);
    expect(isAdultOn('2004-02-29', on('2022-02-28'))).toBe(false);
  });
});
