import { TestApp, bearer } from '../support/test-app';

let n = 0;

export interface TestMember {
  id: string;
  email: string;
  displayName: string;
  token: string;
  auth: Record<string, string>;
}

export interface MemberOptions {
  matching?: boolean;
  shareStatsWithBrands?: boolean;
  country?: string;
  displayName?: string;
  email?: string;
}

/** Signs a member up through the real API (18+, consents as given; both default to true here). */
export async function createMember(t: TestApp, o: MemberOptions = {}): Promise<TestMember> {
  const i = ++n;
  const email = o.email ?? `member${i}.${Date.now().toString(36)}@example.com`;
  const displayName = o.displayName ?? `Member ${i}`;
  const res = await t.http
    .post('/v1/influencers')
    .send({
      email,
      password: 'correct horse battery staple',
      displayName,
      dateOfBirth: '1990-04-12',
      country: o.country ?? 'US',
      consents: { matching: o.matching ?? true, shareStatsWithBrands: o.shareStatsWithBrands ?? false },
    })
    .expect(201);
  const token = res.body.accessToken as string;
  return { id: res.body.influencer.id, email, displayName, token, auth: bearer(token) };
}

export async function linkAccount(
  t: TestApp,
  m: TestMember,
  network: string,
  externalId: string,
  handle = `@${externalId}`,
): Promise<{ id: string }> {
  const res = await t.http.post('/v1/me/social-accounts').set(m.auth).send({ network, handle, externalId }).expect(201);
  return { id: res.body.id };
}
