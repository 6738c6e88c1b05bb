import { captureLog } from '../support/log-capture';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * Issue #12 (3): whatever fails, the log holds no personal data or secrets. The app logs through its real
 * pino instance into a buffer; the database is made to refuse the rows (a CHECK constraint added for the test),
 * so PostgreSQL's own error (whose DETAIL quotes the failing row) and TypeORM's (which carries the parameters)
 * are what the app has to log.
 */
describe('log privacy', () => {
  let t: TestApp;
  const { stream: sink, lines } = captureLog();

  const PERSONAL = {
    email: 'ada.lovelace.private@example.org',
    displayName: 'Ada Byron Lovelace',
    password: 'tr0ub4dor & 3 personal secret',
    dateOfBirth: '1985-12-10',
    brandEmail: 'charles.babbage.private@example.org',
    brandName: 'Babbage Engines Personal',
  };

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info' }, { logStream: sink });
    // Make every insert fail inside PostgreSQL, after the app has hashed the password and built the rows.
    await t.db.query(`ALTER TABLE influencers ADD CONSTRAINT test_refuse_all CHECK (false) NOT VALID`);
    await t.db.query(`ALTER TABLE brands ADD CONSTRAINT test_refuse_brands CHECK (false) NOT VALID`);
  });
  afterAll(() => t.close());

  it('logs failing queries by SQLSTATE, constraint and query name, and nothing personal', async () => {
    lines.length = 0;
    const member = await t.http.post('/v1/influencers').send({
      email: PERSONAL.email,
      password: PERSONAL.password,
      displayName: PERSONAL.displayName,
      dateOfBirth: PERSONAL.dateOfBirth,
      country: 'GB',
      consents: { matching: true, shareStatsWithBrands: false },
    });
    expect(member.status).toBe(500);
    const brand = await t.http
      .post('/v1/brands')
      .set('authorization', 'Bearer sk_live_personal_secret_0123456789')
      .send({ name: PERSONAL.brandName, email: PERSONAL.brandEmail });
    expect(brand.status).toBe(500);
    // A failing login carries a password and an email too.
    await t.http.post('/v1/auth/login').send({ email: PERSONAL.email, password: PERSONAL.password });
    await new Promise((r) => setTimeout(r, 100));

    const log = lines.join('\n');
    const errors = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 50);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    // What an operator needs is there…
    expect(log).toContain('23514');
    expect(log).toContain('test_refuse_all');
    expect(log).toContain('INSERT');
    // …and nothing that identifies a person or opens an account.
    for (const v of Object.values(PERSONAL)) expect(log).not.toContain(v);
    expect(log).not.toMatch(/\$argon2/);
    expect(log).not.toContain('sk_live_personal_secret');
    expect(log).not.toMatch(/Failing row contains/);
    expect(log.toLowerCase()).not.toContain('lovelace');
  });
});
