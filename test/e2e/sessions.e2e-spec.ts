import { createMember, TestMember } from '../factories/influencers';
import { TestApp, startTestApp } from '../support/test-app';

const PASSWORD = 'correct horse battery staple';

function cookieOf(res: { headers: Record<string, unknown> }): string {
  const set = res.headers['set-cookie'] as string[] | undefined;
  const c = set?.find((s) => s.startsWith('sway_session='));
  if (!c) throw new Error('no session cookie');
  return c.split(';')[0];
}

/** Browser sessions: cookie, CSRF, origin, expiry, revocation, erasure and the per-account lockout. */
describe('browser sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  async function signIn(m: TestMember): Promise<{ cookie: string; csrf: string; id: string }> {
    const res = await t.http
      .post('/v1/sessions')
      .send({ kind: 'member', email: m.email, password: PASSWORD })
      .expect(201);
    return { cookie: cookieOf(res), csrf: res.body.csrfToken, id: res.body.session.id };
  }

  it('sets an HttpOnly, SameSite=Lax, Secure cookie and authorizes /v1/me like the bearer token', async () => {
    const m = await createMember(t);
    const res = await t.http
      .post('/v1/sessions')
      .send({ kind: 'member', email: m.email.toUpperCase(), password: PASSWORD })
      .expect(201);
    const raw = (res.headers['set-cookie'] as unknown as string[])[0];
    expect(raw).toMatch(/HttpOnly/);
    expect(raw).toMatch(/SameSite=Lax/);
    expect(raw).toMatch(/Secure/); // PUBLIC_BASE_URL is https in tests
    expect(raw).toMatch(/Path=\//);
    expect(res.body.session).toMatchObject({ kind: 'member' });
    expect(typeof res.body.csrfToken).toBe('string');
    const cookie = cookieOf(res);
    const me = await t.http.get('/v1/me').set('cookie', cookie).expect(200);
    expect(me.body.id).toBe(m.id);
    const cur = await t.http.get('/v1/session').set('cookie', cookie).expect(200);
    expect(cur.body).toMatchObject({ csrfToken: res.body.csrfToken, member: { id: m.id, email: m.email } });
    // Only a hash is stored.
    const rows = await t.db.query(`SELECT token_hash FROM sessions.sessions WHERE subject_id = $1`, [m.id]);
    expect(rows).toHaveLength(1);
    expect(cookie).not.toContain(rows[0].token_hash.toString('base64url'));
  });

  it('needs X-CSRF-Token on cookie-authenticated changes and refuses foreign origins', async () => {
    const m = await createMember(t);
    const s = await signIn(m);
    const body = { displayName: 'Renamed' };
    await t.http.patch('/v1/me').set('cookie', s.cookie).send(body).expect(403);
    await t.http.patch('/v1/me').set('cookie', s.cookie).set('x-csrf-token', 'wrong').send(body).expect(403);
    await t.http
      .patch('/v1/me')
      .set('cookie', s.cookie)
      .set('x-csrf-token', s.csrf)
      .set('origin', 'https://evil.example')
      .send(body)
      .expect(403);
    await t.http
      .patch('/v1/me')
      .set('cookie', s.cookie)
      .set('x-csrf-token', s.csrf)
      .set('origin', 'https://sway.test')
      .send(body)
      .expect(200);
    // Bearer tokens are unchanged: no CSRF token needed.
    await t.http.patch('/v1/me').set(m.auth).send({ displayName: 'Again' }).expect(200);
    // Login from another site is refused too (login CSRF).
    await t.http
      .post('/v1/sessions')
      .set('origin', 'https://evil.example')
      .send({ kind: 'member', email: m.email, password: PASSWORD })
      .expect(403);
  });

  it('wrong credentials are 401 for known and unknown emails; 5 failures then 429 with Retry-After', async () => {
    const m = await createMember(t);
    const wrong = { kind: 'member', email: m.email, password: 'not the password' };
    const unknown = await t.http
      .post('/v1/sessions')
      .send({ ...wrong, email: 'nobody@example.com' })
      .expect(401);
    for (let i = 0; i < 4; i++) await t.http.post('/v1/sessions').send(wrong).expect(401);
    const locked = await t.http.post('/v1/sessions').send(wrong).expect(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(25);
    expect(locked.headers['content-type']).toMatch(/problem\+json/);
    // Even the right password waits out the lock; the member's other login path is untouched.
    await t.http
      .post('/v1/sessions')
      .send({ ...wrong, password: PASSWORD })
      .expect(429);
    expect(unknown.body.detail).toBe('Wrong email or password');
    const keys = await t.db.query(`SELECT count(*)::int AS n FROM sessions.login_failures`);
    expect(keys[0].n).toBeGreaterThanOrEqual(2);
    // The lock ends; a success clears the counter.
    await t.db.query(`UPDATE sessions.login_failures SET locked_until = now() - interval '1 s'`);
    await t.http
      .post('/v1/sessions')
      .send({ ...wrong, password: PASSWORD })
      .expect(201);
  });

  it('lists sessions, signs out one and everywhere; idle and absolute expiry end a session', async () => {
    const m = await createMember(t);
    const a = await signIn(m);
    const b = await signIn(m);
    const c = await signIn(m);
    const list = await t.http.get('/v1/sessions').set('cookie', a.cookie).expect(200);
    expect(list.body.data).toHaveLength(3);
    expect(list.body.data.filter((s: { current: boolean }) => s.current).map((s: { id: string }) => s.id)).toEqual([
      a.id,
    ]);
    await t.http.delete('/v1/session').set('cookie', b.cookie).expect(403);
    const out = await t.http.delete('/v1/session').set('cookie', b.cookie).set('x-csrf-token', b.csrf).expect(204);
    expect((out.headers['set-cookie'] as unknown as string[])[0]).toMatch(/Max-Age=0/);
    await t.http.get('/v1/me').set('cookie', b.cookie).expect(401);
    await t.http.get('/v1/session').set('cookie', b.cookie).expect(401);
    // Idle: not used for 12 h.
    await t.db.query(`UPDATE sessions.sessions SET last_seen_at = now() - interval '13 hours' WHERE id = $1`, [c.id]);
    await t.http.get('/v1/me').set('cookie', c.cookie).expect(401);
    // Absolute expiry.
    const d = await signIn(m);
    await t.db.query(`UPDATE sessions.sessions SET expires_at = now() - interval '1 s' WHERE id = $1`, [d.id]);
    await t.http.get('/v1/me').set('cookie', d.cookie).expect(401);
    const e = await signIn(m);
    await t.http.delete('/v1/sessions').set('cookie', e.cookie).set('x-csrf-token', e.csrf).expect(204);
    await t.http.get('/v1/me').set('cookie', a.cookie).expect(401);
    await t.http.get('/v1/me').set('cookie', e.cookie).expect(401);
    await t.http.get('/v1/me').set(m.auth).expect(200);
    // Someone else's session id is a 404.
    const other = await createMember(t);
    const o = await signIn(other);
    const f = await signIn(m);
    await t.http.delete(`/v1/sessions/${o.id}`).set('cookie', f.cookie).set('x-csrf-token', f.csrf).expect(404);
    await t.http.get('/v1/me').set('cookie', o.cookie).expect(200);
  });

  it('erasure ends every session at once and removes them', async () => {
    const m = await createMember(t);
    const s = await signIn(m);
    await t.http.delete('/v1/me').set('cookie', s.cookie).set('x-csrf-token', s.csrf).expect(202);
    await t.http.get('/v1/me').set('cookie', s.cookie).expect(401);
    await t.http.get('/v1/session').set('cookie', s.cookie).expect(401);
    await t.http.post('/v1/sessions').send({ kind: 'member', email: m.email, password: PASSWORD }).expect(401);
    for (let i = 0; i < 50; i++) {
      const rows = await t.db.query(`SELECT 1 FROM sessions.sessions WHERE subject_id = $1`, [m.id]);
      if (rows.length === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('sessions not deleted after erasure');
  });

  it('refuses unknown brand users, an unknown kind and a malformed body without a 5xx', async () => {
    // Brand users sign in too (src/teams); an unknown address is the same 401 as a wrong password.
    await t.http.post('/v1/sessions').send({ kind: 'brand', email: 'a@b.c', password: 'x' }).expect(401);
    await t.http.post('/v1/sessions').send({ kind: 'root', email: 'a@b.c', password: 'x' }).expect(400);
    await t.http.get('/v1/me').set('cookie', 'sway_session=%%%').expect(401);
    await t.http.get('/v1/session').expect(401);
  });
});
