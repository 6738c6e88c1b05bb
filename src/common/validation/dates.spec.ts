import { isCalendarDate, parseTimestamp } from './dates';

describe('date parsing', () => {
  it('accepts real instants with a zone', () => {
    expect(parseTimestamp('2024-02-29T23:59:59.123Z')?.toISOString()).toBe('2024-02-29T23:59:59.123Z');
    expect(parseTimestamp('2030-05-01T02:00:00+02:00')?.toISOString()).toBe('2030-05-01T00:00:00.000Z');
    expect(parseTimestamp('2030-05-01T02:00-0130')?.toISOString()).toBe('2030-05-01T03:30:00.000Z');
  });
  it.each([
    '2025-02-29T00:00:00Z',
    '2025-02-30T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-01-01T24:00:00Z',
    '2025-01-01T23:60:00Z',
    '2025-01-01T23:59:60Z',
    '0000-01-01T00:00:00Z',
    '2025-01-01T00:00:00+15:00',
    '2025-01-01T00:00:00',
    '2025-01-01',
  ])('refuses %s', (s) => expect(parseTimestamp(s)).toBeNull());
  it('checks calendar days', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-04-31')).toBe(false);
  });
});
