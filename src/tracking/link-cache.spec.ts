import { LruCache } from './link-cache';

describe('LruCache', () => {
  it('evicts the least recently used entry beyond its size', () => {
    const c = new LruCache<number>(2);
    c.set('a', 1, 1000);
    c.set('b', 2, 1000);
    expect(c.get('a')).toBe(1);
    c.set('c', 3, 1000);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
  });

  it('expires entries after their TTL', () => {
    let now = 0;
    const c = new LruCache<string>(10, () => now);
    c.set('k', 'v', 100);
    now = 99;
    expect(c.get('k')).toBe('v');
    now = 100;
    expect(c.get('k')).toBeUndefined();
    expect(c.size).toBe(0);
  });
});
