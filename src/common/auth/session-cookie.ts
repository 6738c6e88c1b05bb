import { parse, serialize } from 'cookie';
import type { FastifyRequest } from 'fastify';

/** Fixed by api.md: the browser session's opaque id travels only in this HttpOnly cookie, never in JS storage. */
const SESSION_COOKIE = 'sway_session';
export const CSRF_HEADER = 'x-csrf-token';

export function readSessionCookie(req: FastifyRequest): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  const v = parse(header)[SESSION_COOKIE];
  // A forged or mangled value must not reach the database as something huge.
  return v && /^[\w-]{20,128}$/.test(v) ? v : null;
}

export function sessionCookie(value: string, opts: { secure: boolean; maxAgeSeconds: number }): string {
  return serialize(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: opts.secure,
    maxAge: opts.maxAgeSeconds,
  });
}

export function clearedSessionCookie(secure: boolean): string {
  return serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: '/', secure, maxAge: 0 });
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const isUnsafeMethod = (method: string): boolean => UNSAFE.has(method.toUpperCase());

/**
 * A browser names the page that made a request in `Origin` (always on cross-origin and on unsafe same-origin
 * requests in current browsers) and in `Sec-Fetch-Site`. Either pointing elsewhere than Sway itself is a foreign
 * request. Sway is reachable under PUBLIC_BASE_URL and under the Host it was addressed by (tests, local use).
 */
export function isForeignOrigin(req: FastifyRequest, publicBaseUrl: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  const allowed = new Set<string>([new URL(publicBaseUrl).origin]);
  if (req.headers.host) allowed.add(`${req.protocol}://${req.headers.host}`);
  return !allowed.has(origin);
}
