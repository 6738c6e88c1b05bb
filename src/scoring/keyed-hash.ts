import { createHash, createHmac } from 'node:crypto';

/**
 * Reactors who are not members are never profiled: Sway keeps only HMAC-SHA256(hashSecret, `network:externalId`)
 * truncated to 128 bits (RFC 2104 §5 allows truncation to half the output; 16 bytes halve the width of the
 * busiest columns and hash keys while collisions stay out of reach at any plausible number of accounts).
 */
const ACCOUNT_HASH_BYTES = 16;

export function accountHash(secret: Buffer, network: string, externalId: string): Buffer {
  return createHmac('sha256', secret)
    .update(`${network}:${externalId}`, 'utf8')
    .digest()
    .subarray(0, ACCOUNT_HASH_BYTES);
}

/**
 * The inner and outer HMAC pads, so PostgreSQL can compute the same HMAC with its built-in sha256() (no
 * pgcrypto): HMAC(K, m) = sha256((K ⊕ opad) ‖ sha256((K ⊕ ipad) ‖ m)). Passed as query parameters, never stored.
 */
export function hmacPads(secret: Buffer): { ipad: Buffer; opad: Buffer } {
  const key = Buffer.alloc(64);
  (secret.length > 64 ? createHash('sha256').update(secret).digest() : secret).copy(key);
  const ipad = Buffer.alloc(64);
  const opad = Buffer.alloc(64);
  for (let i = 0; i < 64; i++) {
    ipad[i] = key[i] ^ 0x36;
    opad[i] = key[i] ^ 0x5c;
  }
  return { ipad, opad };
}

/** The dedup key of a reaction: the same (network, post, type, actor) at the same instant is the same event. */
export function reactionEventKey(network: string, postId: string, type: string, actor: Buffer): Buffer {
  return createHash('sha256')
    .update(`${network}\u0000${postId}\u0000${type}\u0000`, 'utf8')
    .update(actor)
    .digest()
    .subarray(0, 16);
}
