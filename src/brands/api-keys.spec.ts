import { generateApiKey, hashApiKey, looksLikeApiKey } from './api-keys';

describe('api keys', () => {
  it('are sk_ plus 32 random bytes, and only their hash identifies them', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.key.slice(3), 'base64url')).toHaveLength(32);
    expect(a.key).not.toBe(b.key);
    expect(a.hash.equals(hashApiKey(a.key))).toBe(true);
    expect(a.hash.toString('hex')).not.toContain(a.key.slice(3));
    expect(a.prefix).toBe(a.key.slice(0, 9));
  });

  it('recognises only well-formed keys', () => {
    expect(looksLikeApiKey(generateApiKey().key)).toBe(true);
    expect(looksLikeApiKey('sk_short')).toBe(false);
    expect(looksLikeApiKey('eyJhbGciOi.jwt.token')).toBe(false);
  });
});
