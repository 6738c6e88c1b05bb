import { createHmac } from 'node:crypto';
import { VisitorHasher } from './visitor-hash';

describe('VisitorHasher', () => {
  const secret = Buffer.alloc(32, 9);
  const ua = 'Mozilla/5.0 (iPhone) Safari/604.1';

  it('is HMAC-SHA256 keyed by the day key, truncated to 16 bytes', () => {
    const at = new Date('2025-06-01T10:00:00Z');
    const key = createHmac('sha256', secret).update('visitor-day:2025-06-01').digest();
    const expected = createHmac('sha256', key)
      .update('203.0.113.7\u0000' + ua)
      .digest()
      .subarray(0, 16);
    const h = new VisitorHasher(secret);
    expect(h.hash('203.0.113.7', ua, at)).toEqual(expected);
    expect(h.hash('203.0.113.7', ua, at)).toEqual(expected);
  });

  it('changes with the UTC day, the IP and the User-Agent', () => {
    const h = new VisitorHasher(secret);
    const day1 = h.hash('203.0.113.7', ua, new Date('2025-06-01T23:59:59Z'));
    expect(h.hash('203.0.113.7', ua, new Date('2025-06-02T00:00:00Z'))).not.toEqual(day1);
    expect(h.hash('203.0.113.8', ua, new Date('2025-06-01T12:00:00Z'))).not.toEqual(day1);
    expect(h.hash('203.0.113.7', `${ua} x`, new Date('2025-06-01T12:00:00Z'))).not.toEqual(day1);
  });
});
