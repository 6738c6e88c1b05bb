import http from 'node:http';

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  status: Record<string, number>;
  p50: number;
  p95: number;
  p99: number;
}

/**
 * A closed-loop load generator: `concurrency` keep-alive connections, each sending the next request as soon as
 * its previous one is answered, until the list is used up or `maxSeconds` pass. Every request is distinct
 * (member token + offer), which wrk cannot do without a Lua script per run.
 */
export async function runLoad(
  port: number,
  items: { path: string; headers: Record<string, string> }[],
  concurrency: number,
  maxSeconds: number,
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const status: Record<string, number> = {};
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  const deadline = t0 + maxSeconds * 1000;
  const one = (item: (typeof items)[number]): Promise<void> =>
    new Promise((resolve, reject) => {
      const s = performance.now();
      const req = http.request(
        { host: '127.0.0.1', port, method: 'POST', path: item.path, headers: item.headers, agent },
        (res) => {
          res.resume();
          res.on('end', () => {
            lat.push(performance.now() - s);
            status[res.statusCode ?? 0] = (status[res.statusCode ?? 0] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length && performance.now() < deadline) await one(items[next++]);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  lat.sort((a, b) => a - b);
  const q = (p: number): number => Math.round(lat[Math.min(lat.length - 1, Math.ceil(p * lat.length) - 1)] * 10) / 10;
  return {
    requests: lat.length,
    seconds: Math.round(seconds * 100) / 100,
    rps: Math.round(lat.length / seconds),
    status,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
  };
}
