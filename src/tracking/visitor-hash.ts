import { createHmac } from 'node:crypto';

const VISITOR_HASH_BYTES = 16;

/**
 * The visitor of a click without their IP: HMAC-SHA256 keyed by HMAC(hashSecret, UTC day) over IP and
 * User-Agent. The key changes every UTC day, so the same person is one visitor per day (the unique-click
 * definition) and hashes cannot be joined across days; neither input is ever stored.
 */
export class VisitorHasher {
  private day = '';
  private key: Buffer = Buffer.alloc(0);

  constructor(private readonly secret: Buffer) {}

  hash(ip: string, userAgent: string, at: Date): Buffer {
    const day = at.toISOString().slice(0, 10);
    if (day !== this.day) {
      this.key = createHmac('sha256', this.secret).update(`visitor-day:${day}`).digest();
      this.day = day;
    }
    return createHmac('sha256', this.key)
      .update(ip)
      .update('\u0000')
      .update(userAgent)
      .digest()
      .subarray(0, VISITOR_HASH_BYTES);
  }
}
