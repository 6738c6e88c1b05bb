import { randomFillSync } from 'node:crypto';

const POOL_IDS = 512;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then randomness. Click ids carry their own timestamp, so a
 * conversion's `clickId` finds its click's partition (and index entry) without a scan across partitions.
 * Randomness is drawn from a pooled CSPRNG buffer: one syscall per 512 ids on the redirect's hot path.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  if (offset + 10 > pool.length) {
    pool = randomFillSync(Buffer.alloc(POOL_IDS * 10));
    offset = 0;
  }
  const b = Buffer.allocUnsafe(16);
  b.writeUIntBE(nowMs, 0, 6);
  pool.copy(b, 6, offset, offset + 10);
  offset += 10;
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** The instant a v7 id was minted, or null for anything that is not a v7 UUID (it then matches no click). */
export function uuidv7Time(id: string): Date | null {
  if (!V7.test(id)) return null;
  return new Date(parseInt(id.slice(0, 8) + id.slice(9, 13), 16));
}
