import { campaignBody } from '../factories/campaigns';
import { BrandUserSession, TEAM_PASSWORD, inviteAndJoin, newEmail, sessionFrom, signupOwner } from '../factories/teams';
import { FakeStripe } from '../support/fake-stripe';
import { expectProblem } from '../support/problem';
import { TestApp, bearer, startTestApp } from '../support/test-app';

// A shared two-core machine and argon2 at every sign-up: generous time.
jest.setTimeout(240_000);

type Role = 'owner' | 'admin' | 'analyst' | 'billing';
const ROLES: Role[] = ['owner', 'admin', 'analyst', 'billing'];

/**
 * Route classes of the brand API and who may use them, written out from api.md ("Teams and roles") rather than
 * read from the permission table, so a change to the table that breaks the contract fails here.
 */
const MATRIX: { name: string; allowed: Role[]; call: (c: Caller, ids: Ids) => Promise<number> }[] = [
  { name: 'read campaigns', allowed: ROLES, call: (c) => c.get('/v1/campaigns') },
  { name: 'read the brand', allowed: ROLES, call: (c) => c.get('/v1/brands/me') },
  { name: 'read members', allowed: ROLES, call: (c) => c.get('/v1/brands/me/members') },
  { name: 'create campaigns', allowed: ['owner', 'admin'], call: (c) => c.post('/v1/campaigns', campaignBody()) },
  {
    name: 'pause campaigns',
    allowed: ['owner', 'admin'],
    call: (c, ids) => c.post(`/v1/campaigns/${ids.campaign}/pause`, {}),
  },
  {
    name: 'read reports',
    allowed: ['owner', 'admin', 'analyst'],
    call: (c, ids) => c.get(`/v1/campaigns/${ids.campaign}/report`),
  },
  {
    name: 'download CSV',
    allowed: ['owner', 'admin', 'analyst'],
    call: (c, ids) => c.get(`/v1/campaigns/${ids.campaign}/report.csv`),
  },
  {
    name: 'read claims',
    allowed: ['owner', 'admin', 'analyst'],
    call: (c, ids) => c.get(`/v1/campaigns/${ids.campaign}/claims`),
  },
  {
    name: 'read offers',
    allowed: ['owner', 'admin', 'analyst'],
    call: (c, ids) => c.get(`/v1/campaigns/${ids.campaign}/offers`),
  },
  { name: 'read the audit log', allowed: ['owner', 'admin', 'analyst'], call: (c) => c.get('/v1/brands/me/audit-log') },
  {
    name: 'read the ledger',
    allowed: ['owner', 'admin', 'billing'],
    call: (c, ids) => c.get(`/v1/campaigns/${ids.campaign}/ledger`),
  },
  {
    name: 'fund campaigns',
    allowed: ['owner', 'admin', 'billing'],
    call: (c, ids) => c.post(`/v1/campaigns/${ids.campaign}/funding`, {}),
  },
  { name: 'read API keys', allowed: ['owner', 'admin'], call: (c) => c.get('/v1/brands/me/api-keys') },
  { name: 'read webhooks', allowed: ['owner', 'admin'], call: (c) => c.get('/v1/webhook-endpoints') },
  {
    name: 'report conversions',
    allowed: ['owner', 'admin'],
    call: (c) => c.post('/v1/conversions', { code: 'NOPE-NOPE', orderId: 'o-1', amountCents: 100, currency: 'usd' }),
  },
  {
    name: 'invite members',
    allowed: ['owner', 'admin'],
    call: (c) => c.post('/v1/brands/me/invitations', { email: newEmail('matrix'), role: 'analyst' }),
  },
];

interface Ids {
  campaign: string;
  otherCampaign: string;
}

interface Caller {
  label: string;
  get(path: string): Promise<number>;
  post(path: string, body: unknown): Promise<number>;
}

describe('brand teams: roles, sessions, members', () => {
  let t: TestApp;
  let stripe: FakeStripe;
  beforeAll(async () => {
    stripe = await new FakeStripe().start();
    t = await startTestApp(stripe.env);
  });
  afterAll(async () => {
    await t?.close();
    await stripe?.stop();
  });

  function sessionCaller(s: BrandUserSession, label: string): Caller {
    return {
      label,
      get: async (p) => (await t.http.get(p).set(s.read)).status,
      post: async (p, b) =>
        (
          await t.http
            .post(p)
            .set(s.write)
            .send(b as object)
        ).status,
    };
  }
  function keyCaller(key: string, label: string): Caller {
    return {
      label,
      get: async (p) => (await t.http.get(p).set(bearer(key))).status,
      post: async (p, b) =>
        (
          await t.http
            .post(p)
            .set(bearer(key))
            .send(b as object)
        ).status,
    };
  }

  it('enforces the permission table for every role, through sessions and API keys alike', async () => {
    const owner = await signupOwner(t, 'Matrix brand');
    const other = await signupOwner(t, 'Other brand');
    const callers: { role: Role; c: Caller }[] = [{ role: 'owner', c: sessionCaller(owner, 'owner session') }];
    for (const role of ['admin', 'analyst', 'billing'] as const) {
      const s = await inviteAndJoin(t, owner, role);
      expect(s.brandId).toBe(owner.brandId);
      callers.push({ role, c: sessionCaller(s, `${role} session`) });
    }
    for (const role of ROLES) {
      const res = await t.http.post('/v1/brands/me/api-keys').set(owner.write).send({ role }).expect(201);
      expect(res.body.role).toBe(role);
      callers.push({ role, c: keyCaller(res.body.apiKey, `${role} key`) });
    }
    const mk = async (s: BrandUserSession): Promise<string> =>
      (await t.http.post('/v1/campaigns').set(s.write).send(campaignBody()).expect(201)).body.id;
    const ids: Ids = { campaign: await mk(owner), otherCampaign: await mk(other) };

    const failures: string[] = [];
    for (const row of MATRIX) {
      for (const { role, c } of callers) {
        const status = await row.call(c, ids);
        const allowed = row.allowed.includes(role);
        if (allowed ? status === 403 || status === 401 || status >= 500 : status !== 403)
          failures.push(`${c.label} → ${row.name}: ${status} (expected ${allowed ? 'allowed' : '403'})`);
      }
    }
    // Another brand's object stays 404 for every role that may read that kind of object.
    for (const { role, c } of callers) {
      const s = await c.get(`/v1/campaigns/${ids.otherCampaign}`);
      if (s !== 404) failures.push(`${c.label} → other brand's campaign: ${s}`);
      if (role !== 'billing') {
        const r = await c.get(`/v1/campaigns/${ids.otherCampaign}/report`);
        if (r !== 404) failures.push(`${c.label} → other brand's report: ${r}`);
      }
    }
    expect(failures).toEqual([]);

    // The 403 is problem+json naming the role.
    const analyst = callers.find((x) => x.role === 'analyst')!;
    expect(analyst).toBeDefined();
    const res = await t.http.get('/v1/brands/me/api-keys').set(bearer(await keyOf(owner, 'analyst')));
    expectProblem(res, 403);
    expect(res.body.detail).toMatch(/analyst/);
  });

  async function keyOf(s: BrandUserSession, role: Role): Promise<string> {
    return (await t.http.post('/v1/brands/me/api-keys').set(s.write).send({ role }).expect(201)).body.apiKey;
  }

  it('keeps existing keys admin, and no key or person hands out more than their role', async () => {
    const legacy = await t.http
      .post('/v1/brands')
      .send({ name: 'Legacy', email: newEmail('legacy') })
      .expect(201);
    const keys = await t.http.get('/v1/brands/me/api-keys').set(bearer(legacy.body.apiKey)).expect(200);
    expect(keys.body.data[0].role).toBe('admin');
    // An admin key cannot mint an owner key…
    expectProblem(
      await t.http.post('/v1/brands/me/api-keys').set(bearer(legacy.body.apiKey)).send({ role: 'owner' }),
      403,
    );
    // …but a brand without any owner yet can get its first one invited (keys-only brands joining the console).
    const first = await inviteAndJoin(t, { auth: bearer(legacy.body.apiKey) }, 'owner');
    const members = await t.http.get('/v1/brands/me/members').set(first.read).expect(200);
    expect(members.body.data).toEqual([expect.objectContaining({ userId: first.userId, role: 'owner' })]);
    // Now the admin key may not invite another owner.
    expectProblem(
      await t.http
        .post('/v1/brands/me/invitations')
        .set(bearer(legacy.body.apiKey))
        .send({ email: newEmail(), role: 'owner' }),
      403,
    );
    await t.http.post('/v1/brands/me/api-keys').set(bearer(legacy.body.apiKey)).send({ role: 'bogus' }).expect(400);
  });

  it('never demotes or removes the last owner (409), and only owners touch owners', async () => {
    const owner = await signupOwner(t);
    const admin = await inviteAndJoin(t, owner, 'admin');
    const analyst = await inviteAndJoin(t, owner, 'analyst');
    const path = (u: string): string => `/v1/brands/me/members/${u}`;
    expectProblem(await t.http.patch(path(owner.userId)).set(owner.write).send({ role: 'admin' }), 409);
    expectProblem(await t.http.delete(path(owner.userId)).set(owner.write), 409);
    // An admin may not make owners nor change the owner.
    expectProblem(await t.http.patch(path(analyst.userId)).set(admin.write).send({ role: 'owner' }), 403);
    expectProblem(await t.http.patch(path(owner.userId)).set(admin.write).send({ role: 'analyst' }), 403);
    expectProblem(await t.http.delete(path(owner.userId)).set(admin.write), 403);
    // An analyst cannot change anyone, but may leave.
    expectProblem(await t.http.patch(path(admin.userId)).set(analyst.write).send({ role: 'analyst' }), 403);
    // Unknown or another brand's member: 404.
    const stranger = await signupOwner(t);
    expectProblem(await t.http.patch(path(stranger.userId)).set(owner.write).send({ role: 'admin' }), 404);
    // Admin changes the analyst to billing; the role applies on the analyst's next request.
    const changed = await t.http.patch(path(analyst.userId)).set(admin.write).send({ role: 'billing' }).expect(200);
    expect(changed.body).toMatchObject({ userId: analyst.userId, role: 'billing', email: analyst.email });
    await t.http.get('/v1/brands/me/audit-log').set(analyst.read).expect(403);
    await t.http.delete(path(analyst.userId)).set(analyst.write).expect(204);
    await t.http.get('/v1/brands/me').set(analyst.read).expect(401);
    // With a second owner, the first may step down.
    await t.http.patch(path(admin.userId)).set(owner.write).send({ role: 'owner' }).expect(200);
    await t.http.patch(path(owner.userId)).set(owner.write).send({ role: 'analyst' }).expect(200);
    expectProblem(await t.http.delete(path(admin.userId)).set(admin.write), 409);
  });

  it('signs brand users in with the session cookie, CSRF and GET /v1/session; 409 for a used email', async () => {
    const owner = await signupOwner(t, 'Cookie brand');
    const login = await t.http
      .post('/v1/sessions')
      .send({ kind: 'brand', email: owner.email.toUpperCase(), password: TEAM_PASSWORD })
      .expect(201);
    expect(login.body.session.kind).toBe('brand');
    expect(login.body.secondFactorRequired).toBeUndefined();
    const s = sessionFrom(login, owner);
    const cur = await t.http.get('/v1/session').set(s.read).expect(200);
    expect(cur.body).toMatchObject({
      user: { id: owner.userId, email: owner.email },
      brand: { id: owner.brandId, name: 'Cookie brand', role: 'owner' },
      brands: [{ id: owner.brandId, name: 'Cookie brand', role: 'owner' }],
    });
    // A change without the CSRF token, or from another site, is refused.
    await t.http.post('/v1/campaigns').set(s.read).send(campaignBody()).expect(403);
    await t.http
      .post('/v1/campaigns')
      .set(s.write)
      .set('origin', 'https://evil.example')
      .send(campaignBody())
      .expect(403);
    await t.http.post('/v1/campaigns').set(s.write).send(campaignBody()).expect(201);
    // Session list and sign-out work for brand users too.
    const list = await t.http.get('/v1/sessions').set(s.read).expect(200);
    expect(list.body.data.length).toBe(2);
    await t.http.delete('/v1/session').set(s.write).expect(204);
    await t.http.get('/v1/brands/me').set(s.read).expect(401);
    // Email already used (by a user or a brand) → 409; wrong password → 401.
    expectProblem(
      await t.http.post('/v1/users').send({ brandName: 'Again', email: owner.email, password: TEAM_PASSWORD }),
      409,
    );
    const apiBrand = await t.http
      .post('/v1/brands')
      .send({ name: 'API', email: newEmail('api') })
      .expect(201);
    expectProblem(
      await t.http
        .post('/v1/users')
        .send({ brandName: 'Again', email: apiBrand.body.brand.email, password: TEAM_PASSWORD }),
      409,
    );
    await t.http
      .post('/v1/sessions')
      .send({ kind: 'brand', email: owner.email, password: 'wrong password!' })
      .expect(401);
    await t.http.post('/v1/users').send({ brandName: 'x', email: 'not-an-email', password: TEAM_PASSWORD }).expect(400);
    await t.http.post('/v1/users').send({ brandName: 'x', email: newEmail(), password: 'short' }).expect(400);
  });

  it('locks an account after repeated failures with 429 and Retry-After', async () => {
    const owner = await signupOwner(t);
    const bad = { kind: 'brand', email: owner.email, password: 'not the password' };
    let last = 0;
    for (let i = 0; i < 5; i++) last = (await t.http.post('/v1/sessions').send(bad)).status;
    expect(last).toBe(429);
    const res = await t.http.post('/v1/sessions').send({ ...bad, password: TEAM_PASSWORD });
    expectProblem(res, 429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('lets an agency switch between brands that never see each other', async () => {
    const a = await signupOwner(t, 'Agency client A');
    const b = await signupOwner(t, 'Agency client B');
    const campA = (await t.http.post('/v1/campaigns').set(a.write).send(campaignBody()).expect(201)).body.id;
    const campB = (await t.http.post('/v1/campaigns').set(b.write).send(campaignBody()).expect(201)).body.id;
    // The person running A is invited to B as admin and accepts while signed in.
    const inv = await t.http
      .post('/v1/brands/me/invitations')
      .set(b.write)
      .send({ email: a.email, role: 'admin' })
      .expect(201);
    const token = String(inv.body.invitation.acceptUrl).split('/').pop();
    const acc = await t.http.post(`/v1/invitations/${token}/accept`).set(a.write).send({}).expect(201);
    expect(acc.body.brand).toMatchObject({ id: b.brandId, role: 'admin' });
    // Accepting switched the session to B.
    const cur = await t.http.get('/v1/session').set(a.read).expect(200);
    expect(cur.body.brand.id).toBe(b.brandId);
    expect(cur.body.brands.map((x: { id: string }) => x.id).sort()).toEqual([a.brandId, b.brandId].sort());
    const ids = async (): Promise<string[]> =>
      (await t.http.get('/v1/campaigns').set(a.read).expect(200)).body.data.map((c: { id: string }) => c.id);
    expect(await ids()).toEqual([campB]);
    await t.http.get(`/v1/campaigns/${campA}`).set(a.read).expect(404);
    // Switch to A: only A's data.
    const sw = await t.http.post('/v1/session/brand').set(a.write).send({ brandId: a.brandId }).expect(200);
    expect(sw.body.brand).toMatchObject({ id: a.brandId, role: 'owner' });
    expect(await ids()).toEqual([campA]);
    await t.http.get(`/v1/campaigns/${campB}`).set(a.read).expect(404);
    // A brand the person does not belong to: 404; API keys cannot switch.
    const c = await signupOwner(t);
    await t.http.post('/v1/session/brand').set(a.write).send({ brandId: c.brandId }).expect(404);
    const key = (await t.http.post('/v1/brands/me/api-keys').set(a.write).send({}).expect(201)).body.apiKey;
    await t.http.post('/v1/session/brand').set(bearer(key)).send({ brandId: b.brandId }).expect(403);
  });

  it('accepts an invitation once; wrong, used and foreign cases are 4xx', async () => {
    const owner = await signupOwner(t);
    const email = newEmail('invitee');
    const inv = await t.http.post('/v1/brands/me/invitations').set(owner.write).send({ email, role: 'analyst' });
    expect(inv.status).toBe(201);
    expect(inv.body.invitation).toMatchObject({
      email,
      role: 'analyst',
      acceptUrl: expect.stringContaining('/console/invitations/'),
    });
    const token = String(inv.body.invitation.acceptUrl).split('/').pop();
    expectProblem(await t.http.post(`/v1/invitations/${token}/accept`).send({}), 422);
    await t.http.post(`/v1/invitations/${token}/accept`).send({ password: TEAM_PASSWORD }).expect(201);
    expectProblem(await t.http.post(`/v1/invitations/${token}/accept`).send({ password: TEAM_PASSWORD }), 410);
    expectProblem(await t.http.post(`/v1/invitations/${'x'.repeat(43)}/accept`).send({ password: TEAM_PASSWORD }), 404);
    // Already a member → 409; signed in as somebody else → 403.
    expectProblem(await t.http.post('/v1/brands/me/invitations').set(owner.write).send({ email, role: 'admin' }), 409);
    const inv2 = await t.http
      .post('/v1/brands/me/invitations')
      .set(owner.write)
      .send({ email: newEmail(), role: 'billing' })
      .expect(201);
    const other = await signupOwner(t);
    const token2 = String(inv2.body.invitation.acceptUrl).split('/').pop();
    expectProblem(await t.http.post(`/v1/invitations/${token2}/accept`).set(other.write).send({}), 403);
  });
});
