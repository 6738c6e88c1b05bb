import { activateOffline, campaignBody } from '../factories/campaigns';
import { TEAM_PASSWORD, cookieOf, newEmail, sessionFrom, signupOwner } from '../factories/teams';
import { expectProblem } from '../support/problem';
import { SmtpSink, startSmtpSink } from '../support/smtp-sink';
import { TestApp, bearer, startTestApp } from '../support/test-app';

jest.setTimeout(240_000);

const linkToken = (text: string, path: string): string => {
  const m = new RegExp(`${path}/([\\w-]+)`).exec(text);
  if (!m) throw new Error(`no ${path} link in: ${text}`);
  return m[1];
};

/** Invitations and password resets through a real SMTP server; the audit log they and other changes leave. */
describe('teams: mail, password reset, audit log', () => {
  let t: TestApp;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await startTestApp({ SMTP_URL: sink.url, MAIL_FROM: 'Sway <no-reply@sway.test>' });
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  it('emails the invitation (no acceptUrl in the answer) and the invitee joins through the link', async () => {
    const owner = await signupOwner(t, 'Mail brand');
    const email = newEmail('invited');
    const res = await t.http
      .post('/v1/brands/me/invitations')
      .set(owner.write)
      .send({ email, role: 'billing' })
      .expect(201);
    expect(res.body.invitation).toMatchObject({ email, role: 'billing' });
    expect(res.body.invitation.acceptUrl).toBeUndefined();
    const mail = await sink.waitFor((m) => m.to.includes(email.toLowerCase()), 30_000);
    expect(mail.subject).toContain('Mail brand');
    const token = linkToken(mail.text, '/console/invitations');
    const acc = await t.http
      .post(`/v1/invitations/${token}/accept`)
      .send({ password: TEAM_PASSWORD, name: 'Bill Ing' })
      .expect(201);
    expect(acc.body).toMatchObject({ role: 'billing', brand: { id: owner.brandId, role: 'billing' } });
    const s = sessionFrom(acc, { userId: acc.body.user.id, email, brandId: owner.brandId });
    const members = await t.http.get('/v1/brands/me/members').set(s.read).expect(200);
    expect(members.body.data.map((m: { role: string }) => m.role).sort()).toEqual(['billing', 'owner']);
    // A refused address (550) is a 422 and leaves no invitation behind.
    const refused = newEmail('bounce');
    sink.rejectRecipients.add(refused.toLowerCase());
    expectProblem(
      await t.http.post('/v1/brands/me/invitations').set(owner.write).send({ email: refused, role: 'analyst' }),
      422,
    );
  });

  it('resets a password by emailed link: single use, old sessions end, the same answer for unknown emails', async () => {
    const owner = await signupOwner(t);
    await t.http.post('/v1/users/password-reset').send({ email: 'nobody@nowhere.example' }).expect(202);
    await t.http.post('/v1/users/password-reset').send({ email: owner.email }).expect(202);
    const mail = await sink.waitFor((m) => m.to.includes(owner.email.toLowerCase()), 30_000);
    const token = linkToken(mail.text, '/console/password-reset');
    const fresh = 'a brand new passphrase';
    await t.http.post('/v1/users/password-reset/confirm').send({ token, password: fresh }).expect(204);
    expectProblem(await t.http.post('/v1/users/password-reset/confirm').send({ token, password: fresh }), 422);
    await t.http.get('/v1/brands/me').set(owner.read).expect(401);
    await t.http.post('/v1/sessions').send({ kind: 'brand', email: owner.email, password: TEAM_PASSWORD }).expect(401);
    const ok = await t.http
      .post('/v1/sessions')
      .send({ kind: 'brand', email: owner.email, password: fresh })
      .expect(201);
    await t.http.get('/v1/brands/me').set('cookie', cookieOf(ok)).expect(200);
  });

  it('records who changed what in the audit log, with no personal data', async () => {
    const owner = await signupOwner(t, 'Audited brand');
    const invited = newEmail('audited');
    await t.http
      .post('/v1/brands/me/invitations')
      .set(owner.write)
      .send({ email: invited, role: 'analyst' })
      .expect(201);
    const mail = await sink.waitFor((m) => m.to.includes(invited.toLowerCase()), 30_000);
    const acc = await t.http
      .post(`/v1/invitations/${linkToken(mail.text, '/console/invitations')}/accept`)
      .send({ password: TEAM_PASSWORD, name: 'Ana Lyst' })
      .expect(201);
    const analystId = acc.body.user.id;
    await t.http.patch(`/v1/brands/me/members/${analystId}`).set(owner.write).send({ role: 'admin' }).expect(200);
    const key = await t.http.post('/v1/brands/me/api-keys').set(owner.write).send({ role: 'admin' }).expect(201);
    const camp = await t.http.post('/v1/campaigns').set(bearer(key.body.apiKey)).send(campaignBody()).expect(201);
    // The operator funds offline (actor admin); the key pauses, the owner closes.
    await activateOffline(t, camp.body.id, 19_800);
    await t.http.post(`/v1/campaigns/${camp.body.id}/pause`).set(bearer(key.body.apiKey)).expect(200);
    await t.http.post(`/v1/campaigns/${camp.body.id}/close`).set(owner.write).expect(200);
    await t.http.delete(`/v1/brands/me/api-keys/${key.body.id}`).set(owner.write).expect(204);

    const page1 = await t.http.get('/v1/brands/me/audit-log?limit=3').set(owner.read).expect(200);
    expect(page1.body.data).toHaveLength(3);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const all = await t.http.get('/v1/brands/me/audit-log?limit=200').set(owner.read).expect(200);
    const actions = all.body.data.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'brand.created',
        'member.invited',
        'member.joined',
        'member.role_changed',
        'api_key.created',
        'campaign.created',
        'campaign.funded',
        'campaign.paused',
        'campaign.closed',
        'api_key.revoked',
      ]),
    );
    const byAction = (a: string) => all.body.data.find((e: { action: string }) => e.action === a);
    expect(byAction('member.role_changed')).toMatchObject({
      actor: { kind: 'user', id: owner.userId, name: expect.any(String) },
      target: { type: 'user', id: analystId },
      changes: { role: { from: 'analyst', to: 'admin' } },
    });
    expect(byAction('campaign.created')).toMatchObject({
      actor: { kind: 'api_key', id: key.body.id },
      target: { type: 'campaign', id: camp.body.id },
    });
    expect(byAction('campaign.funded')).toMatchObject({ actor: { kind: 'admin', id: null } });
    expect(byAction('campaign.paused').actor).toEqual({ kind: 'api_key', id: key.body.id });
    // Newest first, and paging continues where the first page stopped.
    const page2 = await t.http
      .get(`/v1/brands/me/audit-log?limit=3&cursor=${page1.body.nextCursor}`)
      .set(owner.read)
      .expect(200);
    expect(page2.body.data[0].id).toBe(all.body.data[3].id);
    // No addresses, no secrets.
    const text = JSON.stringify(all.body);
    expect(text).not.toContain(invited);
    expect(text).not.toContain(owner.email);
    expect(text).not.toContain(key.body.apiKey);
    expect(text).not.toMatch(/@/);
    // Another brand sees none of it; a forged cursor is a 400.
    const other = await signupOwner(t);
    const theirs = await t.http.get('/v1/brands/me/audit-log').set(other.read).expect(200);
    expect(theirs.body.data.map((e: { action: string }) => e.action)).toEqual(['brand.created']);
    await t.http.get('/v1/brands/me/audit-log?cursor=bm9wZQ').set(owner.read).expect(400);
  });
});
