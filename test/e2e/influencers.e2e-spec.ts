import { QueueRegistry } from '../../src/common/queue/queue.registry';
import { createBrand } from '../factories/brands';
import { waitFor } from '../support/wait';
import { dumpText } from '../support/dump';
import { createMember, linkAccount } from '../factories/influencers';
import { expectProblem } from '../support/problem';
import { TestApp, admin, startTestApp } from '../support/test-app';

const valid = {
  email: 'Maya.Lopez@Example.com',
  password: 'correct horse battery',
  displayName: 'Maya',
  dateOfBirth: '1994-05-17',
  country: 'US',
  consents: { matching: true, shareStatsWithBrands: false },
};

/** Relative to today at UTC−12, the calendar day the adult check uses (the last place where it is still today). */
function dobYearsAgo(years: number, plusDays = 0): string {
  const d = new Date(Date.now() - 12 * 3600_000);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() + plusDays);
  return d.toISOString().slice(0, 10);
}

describe('influencers: signup and login', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('signs an adult up, stores no birth date, and issues a working token', async () => {
    const res = await t.http.post('/v1/influencers').send(valid).expect(201);
    expect(res.body.influencer).toEqual({
      id: expect.any(String),
      email: valid.email,
      displayName: 'Maya',
      country: 'US',
      createdAt: expect.any(String),
    });
    const me = await t.http.get('/v1/me').set('authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body).toMatchObject({
      id: res.body.influencer.id,
      consents: { matching: true, shareStatsWithBrands: false },
    });
    const cols: { column_name: string }[] = await t.db.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'influencers'`,
    );
    expect(cols.map((c) => c.column_name).join(' ')).not.toMatch(/birth|dob/);
    const dump = await dumpText(t);
    expect(dump).not.toContain('1994-05-17');
    expect(dump).not.toContain(valid.password);
  });

  it('refuses someone who turns 18 tomorrow and stores nothing about them', async () => {
    const before = await rowCounts(t);
    const res = await t.http
      .post('/v1/influencers')
      .send({ ...valid, email: 'teen@example.com', displayName: 'Teen Person', dateOfBirth: dobYearsAgo(18, 1) });
    expectProblem(res, 422, 'unprocessable');
    expect(res.body.errors).toEqual([{ field: 'dateOfBirth', message: expect.any(String) }]);
    expect(await rowCounts(t)).toEqual(before);
    expect(await dumpText(t)).not.toMatch(/teen@example\.com|Teen Person/);
  });

  it('accepts someone whose 18th birthday is today', async () => {
    await t.http
      .post('/v1/influencers')
      .send({ ...valid, email: 'just18@example.com', dateOfBirth: dobYearsAgo(18) })
      .expect(201);
  });

  it('refuses a duplicate email, whatever its case', async () => {
    expectProblem(
      await t.http.post('/v1/influencers').send({ ...valid, email: 'maya.lopez@EXAMPLE.com' }),
      409,
      'conflict',
    );
  });

  it('validates every field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ email: 'nope' }, 'email'],
      [{ password: 'short' }, 'password'],
      [{ displayName: '' }, 'displayName'],
      [{ displayName: 'x'.repeat(101) }, 'displayName'],
      [{ dateOfBirth: '1994-02-30' }, 'dateOfBirth'],
      [{ dateOfBirth: '17/05/1994' }, 'dateOfBirth'],
      [{ dateOfBirth: '1850-01-01' }, 'dateOfBirth'],
      [{ dateOfBirth: '2999-01-01' }, 'dateOfBirth'],
      [{ country: 'USA' }, 'country'],
      [{ country: 'us' }, 'country'],
      [{ country: 'UK' }, 'country'],
      [{ consents: { matching: 'yes', shareStatsWithBrands: false } }, 'consents.matching'],
      [{ consents: { matching: true } }, 'consents.shareStatsWithBrands'],
      [{ role: 'admin' }, 'role'],
    ];
    const before = await rowCounts(t);
    for (const [patch, field] of cases) {
      const res = await t.http.post('/v1/influencers').send({ ...valid, email: 'v@example.com', ...patch });
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await rowCounts(t)).toEqual(before);
  });

  it('never pre-grants consents', async () => {
    const { consents: _omit, ...noConsents } = valid;
    const res = await t.http
      .post('/v1/influencers')
      .send({ ...noConsents, email: 'quiet@example.com' })
      .expect(201);
    const c = await t.http.get('/v1/me/consents').set('authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(c.body).toMatchObject({ matching: false, shareStatsWithBrands: false });
  });

  it('logs in with the same 401 for unknown email and wrong password', async () => {
    const ok = await t.http
      .post('/v1/auth/login')
      .send({ email: 'MAYA.lopez@example.com', password: valid.password })
      .expect(200);
    await t.http.get('/v1/me').set('authorization', `Bearer ${ok.body.accessToken}`).expect(200);
    const wrong = await t.http.post('/v1/auth/login').send({ email: valid.email, password: 'wrong password!' });
    const unknown = await t.http
      .post('/v1/auth/login')
      .send({ email: 'ghost@example.com', password: 'wrong password!' });
    expectProblem(wrong, 401);
    expectProblem(unknown, 401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    expectProblem(await t.http.post('/v1/auth/login').send({ email: valid.email }), 400);
  });

  it('answers tokens of the wrong kind with 403 and forged ones with 401', async () => {
    const brand = await createBrand(t);
    expectProblem(await t.http.get('/v1/me').set(brand.auth), 403, 'forbidden');
    expectProblem(await t.http.get('/v1/me').set(admin), 403, 'forbidden');
    const m = await createMember(t);
    expectProblem(await t.http.get('/v1/brands/me').set(m.auth), 403, 'forbidden');
    const [h, b] = m.token.split('.');
    expectProblem(await t.http.get('/v1/me').set('authorization', `Bearer ${h}.${b}.forged`), 401);
  });

  it('replays a signup with the same Idempotency-Key without the token', async () => {
    const body = { ...valid, email: 'idem@example.com' };
    const first = await t.http.post('/v1/influencers').set('idempotency-key', 'signup-1').send(body).expect(201);
    const again = await t.http.post('/v1/influencers').set('idempotency-key', 'signup-1').send(body).expect(201);
    expect(again.body.influencer).toEqual(first.body.influencer);
    expect(again.body.accessToken).toBeNull();
    expect(again.body.idempotentReplay).toBe(true);
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM influencers WHERE lower(email) = 'idem@example.com'`,
    );
    expect(n).toBe(1);
    expect(JSON.stringify(await t.db.query(`SELECT response_body FROM idempotency_keys`))).not.toContain(
      first.body.accessToken,
    );
  });
});

describe('influencers: profile, consents, accounts, topics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('updates the profile and removes the shipping address with null', async () => {
    const m = await createMember(t);
    const address = { name: 'Maya L', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
    const res = await t.http
      .patch('/v1/me')
      .set(m.auth)
      .send({ displayName: 'Maya L.', shippingAddress: address })
      .expect(200);
    expect(res.body).toMatchObject({ displayName: 'Maya L.', shippingAddress: address, country: 'US' });
    const cleared = await t.http.patch('/v1/me').set(m.auth).send({ shippingAddress: null }).expect(200);
    expect(cleared.body).toMatchObject({ displayName: 'Maya L.', shippingAddress: null });
    expectProblem(
      await t.http
        .patch('/v1/me')
        .set(m.auth)
        .send({ shippingAddress: { line1: 'x' } }),
      400,
    );
    expectProblem(await t.http.patch('/v1/me').set(m.auth).send({ country: 'XX' }), 400);
    expectProblem(await t.http.patch('/v1/me').set(m.auth).send({ email: 'new@example.com' }), 400);
    expectProblem(await t.http.patch('/v1/me').send({ displayName: 'x' }), 401);
  });

  it('keeps an append-only consent ledger and publishes the withdrawal through the outbox', async () => {
    const m = await createMember(t, { matching: true });
    await t.http.put('/v1/me/consents').set(m.auth).send({ matching: true }).expect(200); // no change, no row
    await t.http.put('/v1/me/consents').set(m.auth).send({ shareStatsWithBrands: true }).expect(200);
    const res = await t.http.put('/v1/me/consents').set(m.auth).send({ matching: false }).expect(200);
    expect(res.body).toMatchObject({ matching: false, shareStatsWithBrands: true });
    expect(res.body.history.map((h: { purpose: string; granted: boolean }) => [h.purpose, h.granted])).toEqual([
      ['matching', true],
      ['shareStatsWithBrands', false],
      ['shareStatsWithBrands', true],
      ['matching', false],
    ]);
    for (const h of res.body.history)
      expect(h).toMatchObject({ at: expect.any(String), noticeVersion: expect.any(String) });
    expectProblem(await t.http.put('/v1/me/consents').set(m.auth).send({ matching: 'no' }), 400);
    expectProblem(await t.http.put('/v1/me/consents').set(m.auth).send({ shareStatsWithBrands: null }), 400);
    // The relay publishes the withdrawal to the matching queue with ids only.
    const jobs = await waitFor(async () => {
      const q = t.app.get(QueueRegistry).get('matching');
      const all = await q.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
      const mine = all.filter((j) => j.name === 'member-matching-withdrawn' && j.data.influencerId === m.id);
      return mine.length ? mine : null;
    });
    expect(jobs[0].data).toEqual({ influencerId: m.id, reason: 'consent_withdrawn' });
  });

  it('links one account per (network, externalId) across all members', async () => {
    const a = await createMember(t);
    const b = await createMember(t);
    const acc = await linkAccount(t, a, 'instagram', '998877');
    expectProblem(
      await t.http
        .post('/v1/me/social-accounts')
        .set(b.auth)
        .send({ network: 'instagram', handle: '@b', externalId: '998877' }),
      409,
      'conflict',
    );
    await linkAccount(t, b, 'tiktok', '998877'); // same id on another network is another account
    const list = await t.http.get('/v1/me/social-accounts').set(a.auth).expect(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({ id: acc.id, network: 'instagram', externalId: '998877' }),
    ]);
    expectProblem(await t.http.delete(`/v1/me/social-accounts/${acc.id}`).set(b.auth), 404, 'not_found');
    await t.http.delete(`/v1/me/social-accounts/${acc.id}`).set(a.auth).expect(204);
    expectProblem(await t.http.delete(`/v1/me/social-accounts/${acc.id}`).set(a.auth), 404);
    expectProblem(await t.http.delete('/v1/me/social-accounts/not-a-uuid').set(a.auth), 400);
    for (const bad of [
      { network: 'myspace', handle: '@x', externalId: '1' },
      { network: 'twitter', handle: 'has space', externalId: '1' },
      { network: 'twitter', handle: '@x', externalId: '' },
      { network: 'twitter', handle: '@x', externalId: '1', verified: true },
    ]) {
      expectProblem(await t.http.post('/v1/me/social-accounts').set(a.auth).send(bad), 400, 'validation_failed');
    }
  });

  it('hides and shows topics', async () => {
    const m = await createMember(t);
    expect((await t.http.put('/v1/me/topics/coffee').set(m.auth).send({ hidden: true }).expect(200)).body).toEqual({
      slug: 'coffee',
      hidden: true,
    });
    await t.http.put('/v1/me/topics/coffee').set(m.auth).send({ hidden: false }).expect(200);
    expectProblem(await t.http.put('/v1/me/topics/no-such-topic').set(m.auth).send({ hidden: true }), 404);
    expectProblem(await t.http.put('/v1/me/topics/coffee').set(m.auth).send({}), 400);
    expectProblem(await t.http.put('/v1/me/topics/coffee').set(m.auth).send({ hidden: 'yes' }), 400);
  });
});

describe('influencers: export and erasure', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('exports everything the tests stored about the person', async () => {
    const m = await createMember(t, { displayName: 'Export Person', matching: true });
    const address = { line1: '9 Elm St', city: 'Portland', postalCode: '97201', country: 'US' };
    await t.http.patch('/v1/me').set(m.auth).send({ shippingAddress: address }).expect(200);
    await linkAccount(t, m, 'youtube', 'yt-42', '@exporter');
    await t.http.put('/v1/me/topics/wine').set(m.auth).send({ hidden: true }).expect(200);
    await t.http.put('/v1/me/consents').set(m.auth).send({ shareStatsWithBrands: true }).expect(200);
    const res = await t.http.get('/v1/me/export').set(m.auth).expect(200);
    expect(res.body.profile).toMatchObject({
      id: m.id,
      email: m.email,
      displayName: 'Export Person',
      shippingAddress: address,
    });
    expect(res.body.consents).toMatchObject({ matching: true, shareStatsWithBrands: true });
    expect(res.body.consents.history).toHaveLength(3);
    expect(res.body.socialAccounts).toEqual([
      expect.objectContaining({ network: 'youtube', externalId: 'yt-42', handle: '@exporter' }),
    ]);
    expect(res.body.topicPreferences).toEqual([expect.objectContaining({ slug: 'wine', hidden: true })]);
    expect(res.body.auditLog.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['signup', 'social_account_linked', 'consent_changed', 'export']),
    );
  });

  it('erases personal data everywhere, cuts tokens and login at once, and keeps a tombstone', async () => {
    const m = await createMember(t, { displayName: 'Erin Erasable', email: 'erin.erasable@example.com' });
    const other = await createMember(t, { displayName: 'Otto Stays' });
    await t.http
      .patch('/v1/me')
      .set(m.auth)
      .send({ shippingAddress: { line1: '77 Sunset Blvd', city: 'Erasetown', postalCode: '90210', country: 'US' } })
      .expect(200);
    await linkAccount(t, m, 'twitter', 'tw-erase-1', '@erin_handle');
    await t.http.post('/v1/me/social-accounts').set(m.auth).set('idempotency-key', 'k1').send({
      network: 'instagram',
      handle: '@erin_insta',
      externalId: 'ig-erase-1',
    });
    await t.http.put('/v1/me/topics/coffee').set(m.auth).send({ hidden: true }).expect(200);

    const res = await t.http.delete('/v1/me').set(m.auth).expect(202);
    expect(res.body).toMatchObject({ status: 'accepted' });
    expectProblem(await t.http.get('/v1/me').set(m.auth), 401);
    expectProblem(await t.http.get('/v1/me/export').set(m.auth), 401);
    expectProblem(
      await t.http.post('/v1/auth/login').send({ email: m.email, password: 'correct horse battery staple' }),
      401,
    );

    await waitFor(async () => {
      const [row] = await t.db.query(
        `SELECT 1 FROM audit_log WHERE influencer_id = $1 AND action = 'erasure_completed'`,
        [m.id],
      );
      return row ?? null;
    });
    const dump = await dumpText(t);
    for (const secret of [
      'erin.erasable@example.com',
      'Erin Erasable',
      '@erin_handle',
      '@erin_insta',
      'tw-erase-1',
      'ig-erase-1',
      '77 Sunset Blvd',
      'Erasetown',
    ]) {
      expect(dump).not.toContain(secret);
    }
    expect(dump).toContain('Otto Stays'); // the dump really does contain members' data
    const [tomb] = await t.db.query(`SELECT status, erased_at FROM influencers WHERE id = $1`, [m.id]);
    expect(tomb.status).toBe('erased');
    await t.http.get('/v1/me').set(other.auth).expect(200);
    // The address of someone erased is gone from the outbox and queue payloads too (ids only).
    const actions = (await t.db.query(`SELECT action FROM audit_log WHERE influencer_id = $1 ORDER BY id`, [m.id])).map(
      (r: { action: string }) => r.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['signup', 'erasure_requested', 'erasure_completed']));
  });
});

async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  // Every context's schema (issue #11), not only public.
  const tables: { table_schema: string; table_name: string }[] = await t.db.query(
    `SELECT table_schema, table_name FROM information_schema.tables
     WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE' AND table_name <> 'migrations'`,
  );
  const out: Record<string, number> = {};
  for (const { table_schema, table_name } of tables) {
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM "${table_schema}"."${table_name}"`);
    out[`${table_schema}.${table_name}`] = n;
  }
  return out;
}
