import type { Response } from 'supertest';
import type { TestApp } from '../support/test-app';

export const TEAM_PASSWORD = 'correct horse battery staple';
let n = 0;

/** A browser signed in as a brand user: the cookie, and headers for changes (CSRF). */
export interface BrandUserSession {
  userId: string;
  email: string;
  brandId: string;
  cookie: string;
  csrf: string;
  /** Headers for a GET. */
  read: Record<string, string>;
  /** Headers for a POST/PATCH/PUT/DELETE (cookie + X-CSRF-Token). */
  write: Record<string, string>;
}

export function cookieOf(res: Response): string {
  const set = res.headers['set-cookie'] as unknown as string[] | undefined;
  const c = set?.find((s) => s.startsWith('sway_session='));
  if (!c) throw new Error(`no session cookie (${res.status} ${JSON.stringify(res.body)})`);
  return c.split(';')[0];
}

export function sessionFrom(
  res: Response,
  extra: { userId: string; email: string; brandId: string },
): BrandUserSession {
  const cookie = cookieOf(res);
  const csrf = res.body.csrfToken as string;
  return { ...extra, cookie, csrf, read: { cookie }, write: { cookie, 'x-csrf-token': csrf } };
}

/** POST /v1/users: a new brand and its first owner, signed in. */
export async function signupOwner(t: TestApp, brandName?: string): Promise<BrandUserSession> {
  const i = ++n;
  const email = `owner${i}.${Date.now().toString(36)}@team${i}.example`;
  const res = await t.http
    .post('/v1/users')
    .send({ brandName: brandName ?? `Team brand ${i}`, email, password: TEAM_PASSWORD, name: `Owner ${i}` })
    .expect(201);
  return sessionFrom(res, { userId: res.body.user.id, email, brandId: res.body.brand.id });
}

let m = 0;
export const newEmail = (label = 'member'): string => `${label}${++m}.${Date.now().toString(36)}@people.example`;

/** Invites a new address with `role` (SMTP unset → acceptUrl in the answer) and accepts it as a new account. */
export async function inviteAndJoin(
  t: TestApp,
  by: { write: Record<string, string> } | { auth: Record<string, string> },
  role: string,
  email = newEmail(role),
): Promise<BrandUserSession> {
  const headers = 'write' in by ? by.write : by.auth;
  const inv = await t.http.post('/v1/brands/me/invitations').set(headers).send({ email, role }).expect(201);
  const token = String(inv.body.invitation.acceptUrl).split('/').pop();
  const res = await t.http
    .post(`/v1/invitations/${token}/accept`)
    .send({ password: TEAM_PASSWORD, name: `A ${role}` })
    .expect(201);
  return sessionFrom(res, { userId: res.body.user.id, email, brandId: res.body.brand.id });
}
