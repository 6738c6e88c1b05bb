import type { LookupFunction } from 'node:net';
import { createMember } from '../factories/influencers';
import { FakeMastodon } from '../support/fake-mastodon';
import { expectProblem } from '../support/problem';
import { TestApp, startTestApp } from '../support/test-app';

/** A hosts file: names resolve to fixed addresses without real DNS; `asked` records every lookup. */
function hosts(table: Record<string, string>, asked: string[]): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    asked.push(hostname);
    const address = table[hostname];
    if (!address) return cb(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    const family = address.includes(':') ? 6 : 4;
    if (options?.all) return cb(null, [{ address, family }]);
    return cb(null, address, family);
  }) as unknown as LookupFunction;
}

const TABLE = {
  'loopback.attacker.dev': '127.0.0.1',
  'metadata.attacker.dev': '169.254.169.254',
  'internal.attacker.dev': '10.0.0.7',
};

/**
 * A member chooses the Mastodon instance Sway calls. An instance whose name resolves to an internal address is
 * refused with a 422 naming the field, at connect time (the name passes every syntactic check), and nothing
 * reaches the listener behind that address.
 */
describe('Mastodon instances chosen by members (SSRF)', () => {
  let masto: FakeMastodon;
  beforeAll(async () => {
    masto = await new FakeMastodon().start();
  });
  afterAll(() => masto.stop());

  describe('in production (no MASTODON_ALLOW_HTTP)', () => {
    let t: TestApp;
    const asked: string[] = [];
    beforeAll(async () => {
      t = await startTestApp({}, { adjust: (c) => (c.connectors.lookup = hosts(TABLE, asked)) });
    });
    afterAll(() => t.close());

    it('refuses instances resolving to 127.0.0.1, 169.254.169.254 and 10.x with a 422', async () => {
      const m = await createMember(t);
      for (const host of Object.keys(TABLE)) {
        const res = await t.http
          .post('/v1/me/social-accounts/mastodon')
          .set(m.auth)
          .send({ account: `@lena@${host}` });
        expectProblem(res, 422);
        expect(res.body.detail).toMatch(/does not resolve to a public internet address/);
        expect(res.body.errors).toEqual([{ field: 'account', message: expect.any(String) }]);
      }
      // Each name was resolved (where the socket connects), and refused there.
      expect(asked).toEqual(expect.arrayContaining(Object.keys(TABLE)));
      // Literal addresses never get that far.
      expectProblem(
        await t.http.post('/v1/me/social-accounts/mastodon').set(m.auth).send({ account: '@lena@127.0.0.1' }),
        400,
      );
      expect(masto.requestCount).toBe(0);
    });
  });

  describe('with MASTODON_ALLOW_HTTP (tests): loopback allowed, nothing else internal', () => {
    let t: TestApp;
    const asked: string[] = [];
    beforeAll(async () => {
      t = await startTestApp(
        { MASTODON_ALLOW_HTTP: 'true' },
        { adjust: (c) => (c.connectors.lookup = hosts(TABLE, asked)) },
      );
    });
    afterAll(() => t.close());

    it('refuses metadata and private addresses on the fake instance port; the fake receives nothing', async () => {
      const m = await createMember(t);
      for (const host of ['metadata.attacker.dev', 'internal.attacker.dev']) {
        const res = await t.http
          .post('/v1/me/social-accounts/mastodon')
          .set(m.auth)
          .send({ account: `@lena@${host}:${masto.port}` });
        expectProblem(res, 422);
      }
      expect(masto.requestCount).toBe(0);
      // The loopback allowance is what lets the fake be reached at all.
      await t.http
        .post('/v1/me/social-accounts/mastodon')
        .set(m.auth)
        .send({ account: `@lena@loopback.attacker.dev:${masto.port}` })
        .expect(201);
      expect(masto.requestCount).toBe(1);
    });
  });
});
