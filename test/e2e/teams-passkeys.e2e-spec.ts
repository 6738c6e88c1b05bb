import { campaignBody } from '../factories/campaigns';
import { TEAM_PASSWORD, cookieOf, inviteAndJoin, sessionFrom, signupOwner } from '../factories/teams';
import { expectProblem } from '../support/problem';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { TestApp, startTestApp } from '../support/test-app';

jest.setTimeout(240_000);

/** Passkeys (WebAuthn) of brand users, with a software authenticator: enrolment, sign-in, second factor. */
describe('teams: passkeys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  async function enrol(s: { write: Record<string, string> }, auth: SoftAuthenticator): Promise<string> {
    const opt = await t.http.post('/v1/users/me/passkeys/options').set(s.write).send({}).expect(200);
    expect(opt.body.options).toMatchObject({ rp: { id: 'sway.test' }, challenge: expect.any(String) });
    const res = await t.http
      .post('/v1/users/me/passkeys')
      .set(s.write)
      .send({ response: auth.register(opt.body.options), label: 'Test key' })
      .expect(201);
    return res.body.id;
  }

  it('registers a passkey and signs in with it instead of the password', async () => {
    const owner = await signupOwner(t);
    const auth = new SoftAuthenticator();
    await enrol(owner, auth);
    const list = await t.http.get('/v1/users/me/passkeys').set(owner.read).expect(200);
    expect(list.body.data).toEqual([expect.objectContaining({ label: 'Test key', lastUsedAt: null })]);
    // Registration without the CSRF token is refused.
    await t.http.post('/v1/users/me/passkeys/options').set(owner.read).send({}).expect(403);

    const opt = await t.http.post('/v1/sessions/passkey/options').send({}).expect(200);
    const res = await t.http
      .post('/v1/sessions/passkey')
      .send({ response: auth.assert(opt.body.options) })
      .expect(201);
    expect(res.body.session.kind).toBe('brand');
    const cur = await t.http.get('/v1/session').set('cookie', cookieOf(res)).expect(200);
    expect(cur.body.user.id).toBe(owner.userId);
    // A challenge answers once; a bad signature and an unknown credential are 401.
    expectProblem(await t.http.post('/v1/sessions/passkey').send({ response: auth.assert(opt.body.options) }), 401);
    const opt2 = await t.http.post('/v1/sessions/passkey/options').send({}).expect(200);
    expectProblem(
      await t.http.post('/v1/sessions/passkey').send({ response: auth.assert(opt2.body.options, { tamper: true }) }),
      401,
    );
    const stranger = new SoftAuthenticator();
    const opt3 = await t.http.post('/v1/sessions/passkey/options').send({}).expect(200);
    expectProblem(
      await t.http.post('/v1/sessions/passkey').send({ response: stranger.assert(opt3.body.options) }),
      401,
    );
    // Garbage is a 4xx, never a 5xx.
    for (const response of [{}, { id: 'x', response: { clientDataJSON: 'e30' } }, { response: 'nope' }]) {
      const r = await t.http.post('/v1/sessions/passkey').send({ response });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
    }
  });

  it('lets owners require a second factor: password sessions authorize only after the passkey', async () => {
    const owner = await signupOwner(t, 'Strict brand');
    // Requiring it without a passkey of one's own is refused; analysts may not change the policy.
    expectProblem(
      await t.http.put('/v1/brands/me/security').set(owner.write).send({ secondFactorRequired: true }),
      422,
    );
    const analyst = await inviteAndJoin(t, owner, 'analyst');
    expectProblem(
      await t.http.put('/v1/brands/me/security').set(analyst.write).send({ secondFactorRequired: true }),
      403,
    );
    const ownerKey = new SoftAuthenticator();
    await enrol(owner, ownerKey);
    await t.http.put('/v1/brands/me/security').set(owner.write).send({ secondFactorRequired: true }).expect(200);
    const sec = await t.http.get('/v1/brands/me/security').set(analyst.read);
    // The analyst's password-only session stops authorizing at once.
    expect(sec.status).toBe(401);

    // Password sign-in: the answer says a second factor is owed, and nothing authorizes until it is given.
    const pw = await t.http
      .post('/v1/sessions')
      .send({ kind: 'brand', email: owner.email, password: TEAM_PASSWORD })
      .expect(201);
    expect(pw.body.secondFactorRequired).toBe(true);
    const s = sessionFrom(pw, owner);
    await t.http.get('/v1/campaigns').set(s.read).expect(401);
    const opt = await t.http.post('/v1/sessions/passkey/options').set(s.write).send({}).expect(200);
    expect(opt.body.options.allowCredentials).toEqual([expect.objectContaining({ id: ownerKey.id })]);
    await t.http
      .post('/v1/sessions/passkey')
      .set(s.write)
      .send({ response: ownerKey.assert(opt.body.options) })
      .expect(201);
    await t.http.get('/v1/campaigns').set(s.read).expect(200);
    await t.http.post('/v1/campaigns').set(s.write).send(campaignBody()).expect(201);

    // The analyst without a passkey signs in, enrols a first one (once), and is in.
    const apw = await t.http
      .post('/v1/sessions')
      .send({ kind: 'brand', email: analyst.email, password: TEAM_PASSWORD })
      .expect(201);
    expect(apw.body.secondFactorRequired).toBe(true);
    const a = sessionFrom(apw, analyst);
    await enrol(a, new SoftAuthenticator());
    await t.http.get('/v1/campaigns').set(a.read).expect(200);
    // A second password-only session cannot enrol another passkey to skip the factor.
    const apw2 = await t.http
      .post('/v1/sessions')
      .send({ kind: 'brand', email: analyst.email, password: TEAM_PASSWORD })
      .expect(201);
    const a2 = sessionFrom(apw2, analyst);
    await t.http.post('/v1/users/me/passkeys/options').set(a2.write).send({}).expect(401);
  });
});
