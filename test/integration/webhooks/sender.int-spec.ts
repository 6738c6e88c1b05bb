import type { LookupFunction } from 'node:net';
import { endpointUrlProblem, WebhookSender } from '../../../src/webhooks/webhook-http';
import { reply, WebhookReceiver } from '../../support/webhook-receiver';

/** A hosts file for the test: names resolve to fixed addresses without real DNS. */
function hosts(table: Record<string, string>): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    const address = table[hostname];
    if (!address) return cb(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    const family = address.includes(':') ? 6 : 4;
    if (options?.all) return cb(null, [{ address, family }]);
    return cb(null, address, family);
  }) as unknown as LookupFunction;
}

describe('webhook sender (SSRF filtering, redirects, bounds)', () => {
  const receiver = new WebhookReceiver();
  const lookup = hosts({
    'loopback.test': '127.0.0.1',
    'internal.test': '10.1.2.3',
    'metadata.test': '169.254.169.254',
    'mapped.test': '::ffff:127.0.0.1',
  });
  const strict = new WebhookSender({ allowInsecure: false, timeoutMs: 2_000, lookup });
  const insecure = new WebhookSender({ allowInsecure: true, timeoutMs: 2_000, lookup });

  beforeAll(() => receiver.start());
  afterAll(async () => {
    strict.close();
    insecure.close();
    await receiver.stop();
  });

  it('refuses 127.0.0.1 without the allowance, and a hostname resolving to it at connect time', async () => {
    const literal = await strict.send(`https://127.0.0.1:${receiver.port}/a`, {}, '{}');
    expect(literal.status).toBeNull();
    expect(literal.error).toMatch(/^refused/);
    // The URL check passes a hostname; the agent refuses what it resolves to, in the socket's own lookup.
    expect(endpointUrlProblem(`https://loopback.test:${receiver.port}/a`, false)).toBeNull();
    const named = await strict.send(`https://loopback.test:${receiver.port}/a`, {}, '{}');
    expect(named.error).toMatch(/^refused: DNS lookup 127\.0\.0\.1.*not allowed/);
    const mapped = await strict.send(`https://mapped.test:${receiver.port}/a`, {}, '{}');
    expect(mapped.error).toMatch(/^refused/);
    expect(receiver.at('/a')).toHaveLength(0);
  });

  it('refuses link-local metadata addresses and hostnames resolving to private ones, even with the allowance', async () => {
    for (const sender of [strict, insecure]) {
      const meta = await sender.send('http://169.254.169.254/latest/meta-data/', {}, '{}');
      expect(meta.error).toMatch(/^refused/);
      const metaName = await sender.send('https://metadata.test/latest/meta-data/', {}, '{}');
      expect(metaName.error).toMatch(/^refused: DNS lookup 169\.254\.169\.254/);
      const internal = await sender.send('https://internal.test/hook', {}, '{}');
      expect(internal.error).toMatch(/^refused: DNS lookup 10\.1\.2\.3/);
    }
    expect(endpointUrlProblem('https://10.0.0.7/hook', true)).toMatch(/private/);
    expect(endpointUrlProblem('https://[fd00::1]/hook', true)).toMatch(/private/);
    expect(endpointUrlProblem('http://shop.example/hook', true)).toBe('must use https');
    expect(endpointUrlProblem('http://127.0.0.1/hook', false)).toBe('must use https');
    expect(endpointUrlProblem('https://localhost/hook', false)).toMatch(/loopback/);
    expect(endpointUrlProblem('https://user:pw@shop.example/hook', false)).toMatch(/credentials/);
  });

  it('delivers to loopback with the allowance, without following redirects, reading a bounded body', async () => {
    const ok = await insecure.send(receiver.url('/ok'), { 'webhook-id': 'x' }, '{"a":1}');
    expect(ok).toMatchObject({ status: 200, body: 'ok', error: null });
    expect(receiver.at('/ok')[0]).toMatchObject({ body: '{"a":1}' });
    expect(receiver.at('/ok')[0].headers['content-type']).toBe('application/json');

    receiver.on('/moved', reply(302, { location: receiver.url('/target') }));
    const moved = await insecure.send(receiver.url('/moved'), {}, '{}');
    expect(moved.status).toBe(302);
    expect(receiver.at('/target')).toHaveLength(0);

    receiver.on('/big', (_r, _n, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('x'.repeat(2 * 1024 * 1024));
    });
    const big = await insecure.send(receiver.url('/big'), {}, '{}');
    expect(big.status).toBe(200);
    expect(big.body!.length).toBe(4 * 1024);
  });

  it('gives up after the timeout', async () => {
    receiver.on('/slow', () => undefined);
    const quick = new WebhookSender({ allowInsecure: true, timeoutMs: 300 });
    const r = await quick.send(receiver.url('/slow'), {}, '{}');
    quick.close();
    expect(r.status).toBeNull();
    expect(r.error).toBe('timeout after 300 ms');
    expect(r.durationMs).toBeGreaterThanOrEqual(290);
    expect(r.durationMs).toBeLessThan(3_000);
  });
});
