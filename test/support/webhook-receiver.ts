import { createServer, IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What to answer a request; a handler that never ends the response leaves the sender waiting. */
export type Handler = (req: Received, n: number, res: ServerResponse) => void;

export const reply =
  (status: number, headers: Record<string, string> = {}, body = ''): Handler =>
  (_req, _n, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };

/**
 * A real HTTP receiver in the test process: every request is recorded per path, answered by the handler set
 * for that path (200 by default). Tests verify signatures on what it recorded with an independent library.
 */
export class WebhookReceiver {
  private server: Server | null = null;
  private readonly handlers = new Map<string, Handler>();
  readonly received: Received[] = [];

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r: Received = {
          path: req.url ?? '/',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        };
        this.received.push(r);
        const n = this.received.filter((x) => x.path === r.path).length;
        (this.handlers.get(r.path) ?? reply(200, {}, 'ok'))(r, n, res);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  on(path: string, handler: Handler): void {
    this.handlers.set(path, handler);
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The three Standard Webhooks headers, as the verifier wants them. */
export function swHeaders(r: Received): Record<string, string> {
  return {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  };
}
