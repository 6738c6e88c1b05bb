import { Server, createServer } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { AddressRefused, HttpClient, MemberHostTransport, NetworkError } from '../../../src/connectors/http';

/** A hosts file for the test: names resolve to fixed addresses without real DNS. */
export function hosts(table: Record<string, string>, asked: string[] = []): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    asked.push(hostname);
    const address = table[hostname];
    if (!address) return cb(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    const family = address.includes(':') ? 6 : 4;
    if (options?.all) return cb(null, [{ address, family }]);
    return cb(null, address, family);
  }) as unknown as LookupFunction;
}

describe('connectors: member-chosen hosts are called only at public addresses', () => {
  let server: Server;
  let port: number;
  let connections = 0;
  const paths: string[] = [];
  const lookup = hosts({
    'loopback.attacker.dev': '127.0.0.1',
    'mapped.attacker.dev': '::ffff:127.0.0.1',
    'metadata.attacker.dev': '169.254.169.254',
    'internal.attacker.dev': '10.1.2.3',
    'cgnat.attacker.dev': '100.64.0.9',
  });
  const strict = new MemberHostTransport({ allowLoopback: false, lookup });
  const loose = new MemberHostTransport({ allowLoopback: true, lookup });

  beforeAll(async () => {
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      if (req.url === '/redirect') {
        res.writeHead(302, { location: `http://metadata.attacker.dev/latest/meta-data/` }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-remaining': '299' });
      res.end(JSON.stringify({ ok: true }));
    });
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    strict.close();
    loose.close();
    await new Promise((r) => server.close(r));
  });

  const call = (t: MemberHostTransport, url: string) => new HttpClient(t.send).json<unknown>(url);

  it('refuses loopback (by name or literal) without the allowance, before any connection', async () => {
    for (const url of [
      `http://loopback.attacker.dev:${port}/api/v1/apps`,
      `http://mapped.attacker.dev:${port}/api/v1/apps`,
      `http://127.0.0.1:${port}/api/v1/apps`,
      `http://[::ffff:7f00:1]:${port}/api/v1/apps`,
    ]) {
      await expect(call(strict, url)).rejects.toBeInstanceOf(AddressRefused);
    }
    expect(connections).toBe(0);
    expect(paths).toEqual([]);
  });

  it('refuses private, link-local (metadata) and shared ranges even with the loopback allowance', async () => {
    for (const host of ['metadata.attacker.dev', 'internal.attacker.dev', 'cgnat.attacker.dev', '169.254.169.254']) {
      const err = await call(loose, `http://${host}:${port}/api/v1/instance`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AddressRefused);
      expect((err as NetworkError).permanent).toBe(true);
    }
    expect(connections).toBe(0);
  });

  it('reaches loopback with the allowance, and never follows a redirect', async () => {
    await expect(call(loose, `http://127.0.0.1:${port}/ok`)).resolves.toMatchObject({ body: { ok: true } });
    const err = await call(loose, `http://loopback.attacker.dev:${port}/redirect`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).message).toMatch(/redirects are not followed/);
    expect(paths).toEqual(['/ok', '/redirect']);
  });

  it('turns an unknown name into a network failure, not a crash', async () => {
    const err = await call(strict, 'https://nowhere.attacker.dev/api/v1/apps').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).not.toBeInstanceOf(AddressRefused);
  });
});
