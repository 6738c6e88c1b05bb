import { createMember } from '../factories/influencers';
import { dumpText } from '../support/dump';
import { FakeMastodon } from '../support/fake-mastodon';
import { expectProblem } from '../support/problem';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

const ago = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString();

describe('Mastodon connector (fake instance)', () => {
  let t: TestApp;
  let masto: FakeMastodon;

  beforeAll(async () => {
    masto = await new FakeMastodon().start();
    t = await startTestApp({ MASTODON_ALLOW_HTTP: 'true' });
  });
  afterAll(async () => {
    await t.close();
    await masto.stop();
  });

  it('links through OAuth with PKCE, syncs public statuses and their reactions, and revokes on unlink', async () => {
    masto.addAccount('lena', {
      followers: 77,
      statuses: [
        {
          id: '1003',
          content: '<p>Long run by the river today <a href="http://x/tags/marathon">#<span>marathon</span></a></p>',
          createdAt: ago(1),
          tags: ['marathon'],
          favouritedBy: ['kai@other.example', 'mo@other.example'],
          rebloggedBy: ['kai@other.example'],
          repliesFrom: ['zed@third.example'],
        },
        {
          id: '1002',
          content: '<p>Followers only</p>',
          createdAt: ago(2),
          visibility: 'private',
          favouritedBy: ['a@b.c'],
        },
        {
          id: '1001',
          content: '<p>New trail running shoes &amp; a 10k</p>',
          createdAt: ago(4),
          favouritedBy: ['kai@other.example'],
        },
        { id: '900', content: '<p>way back</p>', createdAt: ago(120) },
      ],
    });
    const m = await createMember(t);
    const start = await t.http
      .post('/v1/me/social-accounts/mastodon')
      .set(m.auth)
      .send({ account: `@lena@${masto.host}` })
      .expect(201);
    const authorize = new URL(start.body.authorizeUrl);
    expect(authorize.origin).toBe(`http://${masto.host}`);
    expect(authorize.pathname).toBe('/oauth/authorize');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe('https://sway.test/v1/connectors/mastodon/callback');
    expect(masto.apps.size).toBe(1);

    // The member approves on the instance; their browser comes back to the callback.
    const back = masto.authorize(start.body.authorizeUrl, 'lena');
    const cb = await t.http.get(back).expect(302);
    expect(cb.headers.location).toMatch(/^https:\/\/sway\.test\/me\/privacy\?linked=mastodon&account=/);
    // The state is single-use.
    expectProblem(await t.http.get(back), 400);

    const acc = await waitFor(
      async () => {
        const r = await t.http.get('/v1/me/social-accounts').set(m.auth).expect(200);
        return r.body.data.find((a: { lastSyncStatus: string }) => a.lastSyncStatus === 'ok');
      },
      20_000,
      'mastodon sync',
    );
    expect(acc).toMatchObject({
      network: 'mastodon',
      handle: `@lena@${masto.host}`,
      externalId: `lena@${masto.host}`,
      instanceUrl: `http://${masto.host}`,
      status: 'verified',
      postsRead: 2,
    });
    const posts = await t.db.query(
      `SELECT post_id AS "postId", url FROM signal_posts WHERE influencer_id = $1 ORDER BY post_id`,
      [m.id],
    );
    expect(posts.map((p: { postId: string }) => p.postId)).toEqual(['1001', '1003']);
    const kinds = await t.db.query(
      `SELECT kind, count(*)::int AS n FROM signal_reactions WHERE influencer_id = $1 GROUP BY kind ORDER BY kind`,
      [m.id],
    );
    expect(kinds).toEqual([
      { kind: 'like', n: 3 },
      { kind: 'reply', n: 1 },
      { kind: 'reshare', n: 1 },
    ]);
    const dump = await dumpText(t);
    expect(dump).not.toContain('kai@other.example');
    expect(dump).not.toContain('Long run by the river');
    // The grant is stored encrypted, never in clear.
    const [{ enc }] = await t.db.query(`SELECT access_token_enc AS enc FROM connectors.accounts WHERE id = $1`, [
      acc.id,
    ]);
    expect(enc).toBeInstanceOf(Buffer);

    // Another Sway member cannot link the same account.
    const other = await createMember(t);
    const s2 = await t.http
      .post('/v1/me/social-accounts/mastodon')
      .set(other.auth)
      .send({ account: `lena@${masto.host}` })
      .expect(201);
    expectProblem(await t.http.get(masto.authorize(s2.body.authorizeUrl, 'lena')), 409);

    // A 429 with X-RateLimit-Reset: the sync records it and resumes after the reset.
    masto.rateLimitNext(2);
    const manual = await t.http.post(`/v1/me/social-accounts/${acc.id}/sync`).set(m.auth).expect(202);
    expect(manual.body.status).toBe('queued');
    await waitFor(async () => {
      const r = await t.http.get('/v1/me/social-accounts').set(m.auth).expect(200);
      return r.body.data.find((a: { lastSyncStatus: string }) => a.lastSyncStatus === 'rate_limited');
    }, 20_000);
    await waitFor(async () => {
      const r = await t.http.get('/v1/me/social-accounts').set(m.auth).expect(200);
      return r.body.data.find((a: { lastSyncStatus: string }) => a.lastSyncStatus === 'ok');
    }, 20_000);

    await t.http.delete(`/v1/me/social-accounts/${acc.id}`).set(m.auth).expect(204);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM signal_posts WHERE influencer_id = $1`, [m.id]);
    expect(n).toBe(0);
    await waitFor(async () => masto.revoked.length === 2, 10_000, 'token revocation');
  });

  it('refuses malformed addresses, declined authorisations and unknown states', async () => {
    const m = await createMember(t);
    for (const account of ['lena', '@lena', 'lena@', '@le na@x.example', '@lena@localhost']) {
      expectProblem(await t.http.post('/v1/me/social-accounts/mastodon').set(m.auth).send({ account }), 400);
    }
    const s = await t.http
      .post('/v1/me/social-accounts/mastodon')
      .set(m.auth)
      .send({ account: `@lena@${masto.host}` })
      .expect(201);
    const state = new URL(s.body.authorizeUrl).searchParams.get('state');
    expectProblem(await t.http.get(`/v1/connectors/mastodon/callback?error=access_denied&state=${state}`), 403);
    expectProblem(await t.http.get('/v1/connectors/mastodon/callback?code=x&state=unknown'), 400);
    expectProblem(await t.http.get('/v1/connectors/mastodon/callback'), 400);
  });
});
