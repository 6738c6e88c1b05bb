import { createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';

/** `whsec_` + 32 random bytes in base64, the format Standard Webhooks libraries accept as-is. */
export function generateSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

/**
 * Standard Webhooks v1 signature: HMAC-SHA256 over `${id}.${timestamp}.${body}` keyed with the secret's bytes,
 * base64, prefixed `v1,`. Receivers verify with any conforming library; tests use `standardwebhooks` for that.
 */
function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
  const mac = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three headers of one attempt; every live secret signs (rotation overlap), space-separated. */
export function webhookHeaders(
  secrets: string[],
  id: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((s) => sign(s, id, timestampSeconds, body)).join(' '),
  };
}
