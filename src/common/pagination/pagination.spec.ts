import { decodeCursor, encodeCursor } from './pagination';

const U = '0190a0b4-6d2a-7c3e-8f00-0123456789ab';

describe('cursor codec', () => {
  it('round-trips what it issued, typed', () => {
    expect(decodeCursor(encodeCursor(['1733011200000000', U]), ['micros', 'uuid'])).toEqual(['1733011200000000', U]);
    expect(decodeCursor(encodeCursor([2, 'coffee']), ['int', 'text'])).toEqual([2, 'coffee']);
    expect(decodeCursor(undefined, ['int'])).toBeNull();
  });
  it.each([
    ['not base64 json', 'Zm9v'],
    ['wrong arity', encodeCursor([U])],
    ['bigint out of range', encodeCursor(['9'.repeat(19), U])],
    ['negative micros', encodeCursor(['-1', U])],
    ['not a uuid', encodeCursor(['1', 'x'])],
    ['object element', encodeCursor([{}, U])],
    ['huge number', encodeCursor([1e308, U])],
  ])('refuses %s with a 400', (_what, c) => {
    expect(() => decodeCursor(c, ['micros', 'uuid'])).toThrow(expect.objectContaining({ status: 400 }));
  });
  it('refuses out-of-range ints and NUL text', () => {
    expect(() => decodeCursor(encodeCursor([2 ** 31, 'a']), ['int', 'text'])).toThrow();
    expect(() => decodeCursor(encodeCursor([1, 'a\u0000']), ['int', 'text'])).toThrow();
  });
});
