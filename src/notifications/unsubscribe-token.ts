import { createHmac, timingSafeEqual } from 'node:crypto';
import { RecipientKind } from './notification-kinds';

export interface UnsubscribeTarget {
  recipientKind: RecipientKind;
  recipientId: string;
  /** A notification kind, or `digest` for the daily digest. */
  kind: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Stateless and unguessable: the target in the clear plus an HMAC, so the link works without signing in and
 * without a table of tokens, and a forged or altered one is refused. It names no address.
 */
export function signUnsubscribe(secret: Buffer, t: UnsubscribeTarget): string {
  const body = `${t.recipientKind === 'member' ? 'm' : 'b'}.${t.recipientId}.${t.kind}`;
  const mac = createHmac('sha256', secret).update(`unsubscribe:${body}`).digest().subarray(0, 18);
  return `${Buffer.from(body).toString('base64url')}.${mac.toString('base64url')}`;
}

export function verifyUnsubscribe(secret: Buffer, token: string): UnsubscribeTarget | null {
  if (token.length > 200) return null;
  const [b64, macB64, extra] = token.split('.');
  if (!b64 || !macB64 || extra !== undefined) return null;
  const body = Buffer.from(b64, 'base64url').toString('utf8');
  const want = createHmac('sha256', secret).update(`unsubscribe:${body}`).digest().subarray(0, 18);
  const got = Buffer.from(macB64, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return null;
  const [r, id, kind] = body.split('.');
  if ((r !== 'm' && r !== 'b') || !UUID.test(id ?? '') || !/^[a-z_]{1,40}$/.test(kind ?? '')) return null;
  return { recipientKind: r === 'm' ? 'member' : 'brand', recipientId: id, kind };
}

/** The suppression list's key for an address: keyed, so the list is no directory of addresses. */
export function addressHash(secret: Buffer, email: string): Buffer {
  return createHmac('sha256', secret).update(`mail-address:${email.trim().toLowerCase()}`).digest();
}
