import { ACCOUNT_LIMIT } from '../../src/common/rate-limit/account-limiter';
import { TestMember, createMember } from '../factories/influencers';
import { PrivateRedis } from '../support/private-redis';
import { expectProblem } from '../support/problem';
import { TestApp, startTestApp } from '../support/test-app';

const PASSWORD = 'correct horse battery staple';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function login(t: TestApp, email: string, password: string, ip: string) {
  return t.http.post('/v1/auth/login').set('x-forwarded-for', ip).send({ email, password });
}

describe('login throttling per account', () => {
  let t: TestApp;
  let m: TestMember;
  let ip = 0;
  // Every attempt from another address: only the per-account limit can stop them.
  const nextIp = (): string => `10.77.${Math.floor(++ip / 250)}.${ip % 250}`;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'true' });
    m = await createMember(t);
  });
  afterAll(() => t?.close());

  it('backs off after the free attempts, whatever the address, and a success resets it', async () => {
    for (let i = 0; i < ACCOUNT_LIMIT.freeAttempts + 1; i++) {
      expectProblem(await login(t, m.email, 'wrong password!', nextIp()), 401);
    }
    // Locked for 1 s: even the right password is refused without being checked, in any letter case.
    let res = await login(t, m.email.toUpperCase(), PASSWORD, nextIp());
    expectProblem(res, 429, 'rate_limited');
    expect(res.headers['retry-after']).toBe('1');
    // Another account is not affected.
    const other = await createMember(t);
    await login(t, other.email, PASSWORD, nextIp()).expect(200);

    await sleep(1_200);
    expectProblem(await login(t, m.email, 'wrong password!', nextIp()), 401);
    res = await login(t, m.email, PASSWORD, nextIp());
    expectProblem(res, 429, 'rate_limited');
    expect(res.headers['retry-after']).toBe('2'); // the delay doubles

    await sleep(2_200);
    await login(t, m.email, PASSWORD, nextIp()).expect(200);
    // Forgotten after the success: the free attempts are free again.
    for (let i = 0; i < ACCOUNT_LIMIT.freeAttempts; i++) {
      expectProblem(await login(t, m.email, 'wrong password!', nextIp()), 401);
    }
    await login(t, m.email, PASSWORD, nextIp()).expect(200);
  });

  it('throttles unknown emails alike, so a 429 tells nothing about membership', async () => {
    const email = 'nobody-here@example.com';
    for (let i = 0; i < ACCOUNT_LIMIT.freeAttempts + 1; i++) {
      expectProblem(await login(t, email, 'wrong password!', nextIp()), 401);
    }
    expectProblem(await login(t, email, 'wrong password!', nextIp()), 429, 'rate_limited');
  });

  it('lets only one of many parallel guesses past the free attempts', async () => {
    const target = await createMember(t);
    const results = await Promise.all(
      Array.from({ length: 30 }, () => login(t, target.email, 'wrong password!', nextIp())),
    );
    const checked = results.filter((r) => r.status === 401).length;
    expect(results.filter((r) => r.status === 429)).toHaveLength(30 - checked);
    // The free attempts, then one per lock (1 s, 2 s, …): on a loaded machine the 30 requests may spread over a
    // lock or two, never more. Without the limit all 30 would be checked.
    expect(checked).toBeGreaterThanOrEqual(ACCOUNT_LIMIT.freeAttempts + 1);
    expect(checked).toBeLessThanOrEqual(ACCOUNT_LIMIT.freeAttempts + 3);
  });
});

describe('auth limits while Redis is down', () => {
  let t: TestApp;
  let redis: PrivateRedis;
  let m: TestMember;
  beforeAll(async () => {
    redis = new PrivateRedis(await PrivateRedis.freePort());
    await redis.start();
    t = await startTestApp({
      REDIS_URL: redis.url,
      ROLE: 'api',
      TRUST_PROXY: 'true',
      RATE_LIMIT_AUTH_PER_MINUTE: '8',
    });
    m = await createMember(t);
    await redis.stop();
  });
  afterAll(async () => {
    // Back up first, so the queues close promptly instead of waiting on reconnects.
    await redis?.start();
    await t?.close();
    await redis?.stop();
  });

  it('still limits per IP and per account, in process', async () => {
    // Per IP: unknown emails from one address, 8 a minute.
    for (let i = 0; i < 8; i++) expectProblem(await login(t, `x${i}@example.com`, 'wrong password!', '10.88.0.1'), 401);
    expectProblem(await login(t, 'x9@example.com', 'wrong password!', '10.88.0.1'), 429, 'rate_limited');
    // Per account: one member from many addresses.
    for (let i = 0; i < ACCOUNT_LIMIT.freeAttempts + 1; i++) {
      expectProblem(await login(t, m.email, 'wrong password!', `10.88.1.${i}`), 401);
    }
    expectProblem(await login(t, m.email, PASSWORD, '10.88.2.1'), 429, 'rate_limited');
  });
});
