import { uuidv7, uuidv7Time } from './uuid-v7';

describe('uuidv7', () => {
  it('is a version 7 RFC 9562 UUID carrying its millisecond timestamp', () => {
    const at = Date.UTC(2025, 5, 1, 12, 30, 45, 678);
    const id = uuidv7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidv7Time(id)?.getTime()).toBe(at);
  });

  it('is unique across many ids minted in the same millisecond', () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => uuidv7(1_700_000_000_000)));
    expect(ids.size).toBe(20_000);
  });

  it('sorts by time', () => {
    expect(uuidv7(1_000) < uuidv7(2_000)).toBe(true);
  });

  it('gives no time for other UUID versions or junk', () => {
    expect(uuidv7Time('3f1c2a8e-8a43-4c55-9a0e-1c1f3b9c0d11')).toBeNull();
    expect(uuidv7Time('not-a-uuid')).toBeNull();
  });
});
