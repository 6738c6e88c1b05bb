import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { createSwayApp, SwayApp } from '../../src/app.factory';
import { PinoNestLogger } from '../../src/common/logging/logger';
import { loadConfig } from '../../src/config/config';
import { createBrand } from '../factories/brands';
import { REDIS_URL } from '../support/databases';
import { ADMIN_TOKEN, JWT_SECRET, startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { reply, swHeaders, WebhookReceiver } from '../support/webhook-receiver';

const ROOT = join(__dirname, '..', '..');
const WORKER_ENV = {
  WEBHOOKS_ALLOW_INSECURE: 'true',
  WEBHOOKS_RETRY_SCHEDULE: '0,3s,3s',
  WEBHOOKS_TIMEOUT: '2s',
  WEBHOOKS_SWEEP_INTERVAL: '500ms',
  WEBHOOKS_STALE_AFTER: '500ms',
};

interface Worker {
  child: ChildProcess;
  out: () => string;
  exit: Promise<unknown>;
}

/**
 * kill -9 of the worker process while a delivery waits for its retry, then again while an attempt is in flight:
 * the retry timer lives in Redis (BullMQ delayed job) and the delivery's state in Postgres, so a fresh worker
 * finishes the delivery and nothing is lost. The API runs in the test process (ROLE=api); the two workers that
 * are killed run as separate processes, the one that finishes runs in the test process.
 */
describe('webhook deliveries survive a killed worker', () => {
  let t: TestApp;
  const receiver = new WebhookReceiver();
  const workers: Worker[] = [];

  function startWorker(): Worker {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        TS_NODE_TRANSPILE_ONLY: 'true',
        ROLE: 'worker',
        DATABASE_URL: t.config.databaseUrl,
        REDIS_URL,
        QUEUE_PREFIX: t.config.queuePrefix,
        ADMIN_TOKEN,
        JWT_SECRET,
        LOG_LEVEL: 'warn',
        ...WORKER_ENV,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const w = { child, out: () => out, exit: new Promise((r) => child.on('exit', r)) };
    workers.push(w);
    return w;
  }

  async function kill9(w: Worker): Promise<void> {
    w.child.kill('SIGKILL');
    await w.exit;
  }

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp({ ROLE: 'api', WEBHOOKS_ALLOW_INSECURE: 'true' });
  });
  let survivor: SwayApp | null = null;

  /** The last worker runs in the test process: one ts-node start fewer on a busy machine, the same code. */
  async function startInProcessWorker(): Promise<SwayApp> {
    const config = loadConfig({
      DATABASE_URL: t.config.databaseUrl,
      REDIS_URL,
      QUEUE_PREFIX: t.config.queuePrefix,
      ADMIN_TOKEN,
      JWT_SECRET,
      ROLE: 'worker',
      LOG_LEVEL: 'silent',
      ...WORKER_ENV,
    });
    const log = pino({ level: 'silent' });
    survivor = await createSwayApp(config, new PinoNestLogger(log), log);
    return survivor;
  }

  afterAll(async () => {
    await survivor?.close();
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) await kill9(w);
    await t.close();
    await receiver.stop();
  });

  it('finishes the delivery after kill -9 mid-retry and mid-attempt', async () => {
    const brand = await createBrand(t);
    const path = `/hooks/${randomUUID()}`;
    const created = await t.http
      .post('/v1/webhook-endpoints')
      .set(brand.auth)
      .send({ url: receiver.url(path), eventTypes: ['conversion.created'] })
      .expect(201);
    const endpointId = created.body.endpoint.id;
    receiver.on(path, (r, n, res) => {
      if (n === 1) reply(500)(r, n, res);
      else if (n === 2)
        return; // hangs: the worker dies while waiting for this answer
      else reply(200)(r, n, res);
    });
    const delivery = async () =>
      (await t.db.query(`SELECT status, attempts FROM webhooks.deliveries WHERE endpoint_id = $1`, [endpointId]))[0] as
        { status: string; attempts: number } | undefined;

    const a = startWorker();
    await t.http
      .post('/v1/conversions')
      .set(brand.auth)
      .send({ orderId: 'crash-1', amountCents: 999, currency: 'usd' })
      .expect(201);
    await waitFor(async () => (await delivery())?.attempts === 1, 60_000, `first attempt\n${a.out()}`);
    expect(await delivery()).toEqual({ status: 'pending', attempts: 1 });
    await kill9(a); // the retry is a delayed job in Redis, 3 s away

    const b = startWorker();
    await waitFor(async () => receiver.at(path).length === 2, 60_000, `retry by the second worker\n${b.out()}`);
    await kill9(b); // mid-attempt: the attempt's lock in Postgres expires, then the sweeper re-queues it

    await startInProcessWorker();
    await waitFor(async () => (await delivery())?.status === 'succeeded', 60_000, 'success');
    const hits = receiver.at(path);
    expect(hits).toHaveLength(3);
    expect(new Set(hits.map((h) => h.headers['webhook-id'])).size).toBe(1);
    for (const h of hits) new Webhook(created.body.secret).verify(h.body, swHeaders(h));
    const log = await t.http.get(`/v1/webhook-endpoints/${endpointId}/deliveries`).set(brand.auth).expect(200);
    expect(log.body.data).toEqual([expect.objectContaining({ status: 'succeeded', attempt: 2, responseStatus: 200 })]);
  }, 180_000);
});
