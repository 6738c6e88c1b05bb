import { createHash, randomBytes } from 'node:crypto';

const API_KEY_PREFIX = 'sk_';

/** `sk_` + 32 random bytes in base64url (43 chars). */
export function generateApiKey(): { key: string; hash: Buffer; prefix: string } {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, hash: hashApiKey(key), prefix: key.slice(0, 9) };
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX) && /^sk_[A-Za-z0-9_-]{43}$/.test(token);
}
