import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { QueueRegistry } from '../../src/common/queue/queue.registry';
import { ConversionsService } from '../../src/tracking/conversions.service';
import { WEBHOOK_EVENT_TYPES } from '../../src/webhooks/webhook-event-types';
import { deliverJobId } from '../../src/webhooks/webhooks.queue';
import { createBrand, TestBrand } from '../factories/brands';
import { activeCampaign, claimFor } from '../factories/claims';
import { expectProblem } from '../support/problem';
import { admin, startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { reply, Received, swHeaders, WebhookReceiver } from '../support/webhook-receiver';

const ENV = {
  WEBHOOKS_ALLOW_INSECURE: 'true',
  // The schedule in milliseconds instead of hours, so retries happen within a test.
  WEBHOOKS_RETRY_SCHEDULE: '0,400ms,400ms,400ms',
  WEBHOOKS_TIMEOUT: '1s',
  WEBHOOKS_SWEEP_INTERVAL: '500ms',
  WEBHOOKS_STALE_AFTER: '1s',
  WEBHOOKS_DISABLE_AFTER_FAILURES: '6',
  WEBHOOKS_DISABLE_AFTER: '0',
};

interface Endpoint {
  id: string;
  secret: string;
  path: string;
}

describe('outgoing webhooks', () => {
  let t: TestApp;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp(ENV);
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  async function endpoint(brand: TestBrand, types: readonly string[] = WEBHOOK_EVENT_TYPES): Promise<Endpoint> {
    const path = `/hooks/${randomUUID()}`;
    const res = await t.http
      .post('/v1/webhook-endpoints')
      .set(brand.auth)
      .send({ url: receiver.url(path), eventTypes: types, description: 'shop' })
      .expect(201);
    return { id: res.body.endpoint.id, secret: res.body.secret, path };
  }

  /** The receiver's side: Standard Webhooks' own library checks the signature (throws if wrong). */
  function verify(secret: string, r: Received): { type: string; timestamp: string; data: Record<string, unknown> } {
    return new Webhook(secret).verify(r.body, swHeaders(r)) as never;
  }

  const conversion = (brand: TestBrand, body: Record<string, unknown> = {}) =>
    t.http
      .post('/v1/conversions')
      .set(brand.auth)
      .send({ orderId: `o-${randomUUID()}`, amountCents: 1234, currency: 'usd', ...body })
      .expect(201);

  const deliveries = async (brand: TestBrand, ep: Endpoint) =>
    (await t.http.get(`/v1/webhook-endpoints/${ep.id}/deliveries`).set(brand.auth).expect(200)).body.data;

  /** The endpoint as the API shows it, once something disabled it. */
  const disabled = (brand: TestBrand, ep: Endpoint) =>
    waitFor(
      async () => {
        const e = (await t.http.get(`/v1/webhook-endpoints/${ep.id}`).set(brand.auth)).body;
        return e.status === 'disabled' ? e : null;
      },
      15_000,
      'the endpoint disabled',
    );

  const detail = async (brand: TestBrand, ep: Endpoint, id: string) =>
    (await t.http.get(`/v1/webhook-endpoints/${ep.id}/deliveries/${id}`).set(brand.auth).expect(200)).body;

  it('manages endpoints: secret shown once, URLs and types validated, tenants isolated', async () => {
    const brand = await createBrand(t);
    const other = await createBrand(t);
    const created = await t.http
      .post('/v1/webhook-endpoints')
      .set(brand.auth)
      .send({ url: receiver.url('/crud'), eventTypes: ['claim.created'] })
      .expect(201);
    expect(created.body).toEqual({
      endpoint: expect.objectContaining({
        id: expect.any(String),
        url: receiver.url('/crud'),
        eventTypes: ['claim.created'],
        status: 'enabled',
        createdAt: expect.any(String),
      }),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    expect(Buffer.from(created.body.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    const id = created.body.endpoint.id;

    for (const body of [
      { url: 'https://10.0.0.8/hook', eventTypes: ['claim.created'] },
      { url: 'https://169.254.169.254/latest', eventTypes: ['claim.created'] },
      { url: 'http://shop.example/hook', eventTypes: ['claim.created'] },
      { url: 'not a url', eventTypes: ['claim.created'] },
      { url: 'https://shop.example/hook', eventTypes: ['claim.exploded'] },
      { url: 'https://shop.example/hook', eventTypes: [] },
      { url: 'https://shop.example/hook', eventTypes: ['claim.created'], secret: 'mine' },
    ]) {
      expectProblem(await t.http.post('/v1/webhook-endpoints').set(brand.auth).send(body), 400);
    }

    const list = await t.http.get('/v1/webhook-endpoints').set(brand.auth).expect(200);
    expect(list.body).toEqual({ data: [expect.objectContaining({ id })], nextCursor: null });
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    expectProblem(await t.http.get(`/v1/webhook-endpoints/${id}`).set(other.auth), 404);
    expectProblem(await t.http.patch(`/v1/webhook-endpoints/${id}`).set(other.auth).send({ status: 'disabled' }), 404);
    expectProblem(await t.http.delete(`/v1/webhook-endpoints/${id}`).set(other.auth), 404);
    expect((await t.http.get('/v1/webhook-endpoints').set(other.auth).expect(200)).body.data).toEqual([]);

    const patched = await t.http
      .patch(`/v1/webhook-endpoints/${id}`)
      .set(brand.auth)
      .send({ status: 'disabled', eventTypes: ['claim.created', 'claim.fulfilled'] })
      .expect(200);
    expect(patched.body).toMatchObject({
      status: 'disabled',
      disabledReason: 'manual',
      disabledAt: expect.any(String),
    });
    const enabled = await t.http
      .patch(`/v1/webhook-endpoints/${id}`)
      .set(brand.auth)
      .send({ status: 'enabled' })
      .expect(200);
    expect(enabled.body).toMatchObject({ status: 'enabled', disabledReason: null, disabledAt: null });
    // null clears the description only; a null URL or event list is refused and changes nothing.
    for (const bad of [{ url: null }, { eventTypes: null }, { eventTypes: [] }])
      expectProblem(await t.http.patch(`/v1/webhook-endpoints/${id}`).set(brand.auth).send(bad), 400);
    const cleared = await t.http
      .patch(`/v1/webhook-endpoints/${id}`)
      .set(brand.auth)
      .send({ description: null })
      .expect(200);
    expect(cleared.body).toMatchObject({ description: null, eventTypes: ['claim.created', 'claim.fulfilled'] });
    await t.http.delete(`/v1/webhook-endpoints/${id}`).set(brand.auth).expect(204);
    expectProblem(await t.http.get(`/v1/webhook-endpoints/${id}`).set(brand.auth), 404);
  });

  it('delivers every event of the flow, each verified by standardwebhooks, written with its fact', async () => {
    const brand = await createBrand(t);
    const ep = await endpoint(brand);
    const campaignId = await activeCampaign(t, brand, { inventory: 2 });
    const claim = await claimFor(t, campaignId);
    await t.http
      .patch(`/v1/campaigns/${campaignId}/claims/${claim.id}`)
      .set(brand.auth)
      .send({ status: 'fulfilled', trackingNumber: '1Z999' })
      .expect(200);
    // Fulfilling again (a corrected tracking number) is not a second event.
    await t.http
      .patch(`/v1/campaigns/${campaignId}/claims/${claim.id}`)
      .set(brand.auth)
      .send({ status: 'fulfilled', trackingNumber: '1Z998' })
      .expect(200);
    await t.http
      .post(`/v1/me/claims/${claim.id}/shares`)
      .set(claim.member.auth)
      .send({ url: 'https://www.instagram.com/p/Wh1', network: 'instagram', text: 'Lovely. #ad' })
      .expect(201);
    const conv = await conversion(brand, { code: claim.code });
    // A Stripe sale and its refund take the connected-account path (the same services, inside its transaction).
    const pi = `pi_${randomUUID().replace(/-/g, '')}`;
    const svc = t.app.get(ConversionsService);
    const [sale] = await svc.ingest(
      brand.id,
      [
        {
          orderId: `cs_${randomUUID()}`,
          amountCents: 5000,
          currency: 'usd',
          occurredAt: new Date(),
          code: null,
          clickId: null,
          clickAt: null,
          paymentIntentId: pi,
        },
      ],
      'stripe',
    );
    await t.db.transaction((m) => svc.refund(m, brand.id, pi, 1500));
    await claimFor(t, campaignId); // the last unit: sold out
    await t.http.post(`/v1/campaigns/${campaignId}/close`).set(brand.auth).expect(200);

    const expected = [
      'funding.succeeded',
      'campaign.activated',
      'claim.created',
      'claim.fulfilled',
      'share.created',
      'conversion.created',
      'conversion.created',
      'conversion.refunded',
      'claim.created',
      'campaign.sold_out',
      'campaign.completed',
    ];
    await waitFor(async () => receiver.at(ep.path).length >= expected.length, 20_000, 'all events');
    const got = receiver.at(ep.path).map((r) => ({ r, body: verify(ep.secret, r) }));
    expect(got.map((g) => g.body.type).sort()).toEqual([...expected].sort());
    for (const { r, body } of got) {
      expect(Object.keys(body).sort()).toEqual(['data', 'timestamp', 'type']);
      expect(r.headers['webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(Math.abs(Number(r.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
      // Ids and the brand's own figures only: nothing that identifies the member.
      expect(JSON.stringify(body)).not.toMatch(/@|displayName|email|shippingAddress|Member /);
    }
    const byType = (type: string) => got.filter((g) => g.body.type === type).map((g) => g.body.data);
    expect(byType('claim.fulfilled')).toEqual([{ claimId: claim.id, campaignId, trackingNumber: '1Z999' }]);
    expect(byType('share.created')[0]).toMatchObject({ claimId: claim.id, campaignId, disclosed: true });
    expect(byType('conversion.created')).toContainEqual(
      expect.objectContaining({ conversionId: conv.body.conversion.id, claimId: claim.id, attributedBy: 'code' }),
    );
    expect(byType('conversion.refunded')).toEqual([
      { conversionId: sale.row.id, refundedCents: 1500, deltaCents: 1500 },
    ]);
    expect(byType('campaign.completed')).toEqual([{ campaignId, reason: 'closed' }]);
    expect(byType('campaign.activated')).toEqual([{ campaignId, via: 'offline', fundedCents: expect.any(Number) }]);
    const log = await deliveries(brand, ep);
    expect(log).toHaveLength(expected.length);
    expect(log.every((d: { status: string; attempt: number }) => d.status === 'succeeded' && d.attempt === 1)).toBe(
      true,
    );
  });

  it('sends no event for a rolled-back fact', async () => {
    const brand = await createBrand(t);
    const ep = await endpoint(brand, ['conversion.created']);
    const { WebhookEventsService } = await import('../../src/webhooks/webhook-events.service');
    const events = t.app.get(WebhookEventsService);
    await expect(
      t.db.transaction(async (m) => {
        await events.record(m, brand.id, 'conversion.created', {
          conversionId: randomUUID(),
          orderId: 'rolled-back',
          amountCents: 1,
          currency: 'usd',
          campaignId: null,
          claimId: null,
          attributedBy: null,
          possibleCodeLeak: false,
          source: 'api',
        });
        throw new Error('the fact failed');
      }),
    ).rejects.toThrow('the fact failed');
    await conversion(brand, { orderId: 'committed' });
    await waitFor(async () => receiver.at(ep.path).length === 1, 10_000, 'the committed event');
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.at(ep.path).map((r) => verify(ep.secret, r).data.orderId)).toEqual(['committed']);
  });

  it('retries after 500s and a timeout with the same webhook-id, logging every attempt', async () => {
    const brand = await createBrand(t);
    const ep = await endpoint(brand, ['conversion.created']);
    receiver.on(ep.path, (_r, n, res) => {
      if (n === 1) return reply(500, {}, 'boom')(_r, n, res);
      if (n === 2) return; // never answers: the 1 s timeout
      reply(204)(_r, n, res);
    });
    await conversion(brand);
    await waitFor(async () => (await deliveries(brand, ep))[0]?.status === 'succeeded', 15_000, 'success');
    const hits = receiver.at(ep.path);
    expect(hits).toHaveLength(3);
    expect(new Set(hits.map((h) => h.headers['webhook-id'])).size).toBe(1);
    for (const h of hits) verify(ep.secret, h);
    const [d] = await deliveries(brand, ep);
    expect(d).toMatchObject({ attempt: 3, status: 'succeeded', responseStatus: 204, eventType: 'conversion.created' });
    const full = await detail(brand, ep, d.id);
    expect(full.attempts).toEqual([
      expect.objectContaining({ attempt: 1, responseStatus: 500, responseBody: 'boom', error: null }),
      expect.objectContaining({ attempt: 2, responseStatus: null, error: 'timeout after 1000 ms' }),
      expect.objectContaining({ attempt: 3, responseStatus: 204 }),
    ]);
    expect(full.attempts[1].durationMs).toBeGreaterThanOrEqual(950);
    expect((await t.http.get(`/v1/webhook-endpoints/${ep.id}`).set(brand.auth)).body.failureStreak).toBe(0);
  });

  it('honours Retry-After on 503 and 429', async () => {
    const brand = await createBrand(t);
    const ep = await endpoint(brand, ['conversion.created']);
    receiver.on(ep.path, (r, n, res) =>
      n === 1
        ? reply(503, { 'retry-after': '2' })(r, n, res)
        : n === 2
          ? reply(429, { 'retry-after': '1' })(r, n, res)
          : reply(200)(r, n, res),
    );
    await conversion(brand);
    await waitFor(async () => receiver.at(ep.path).length >= 3, 15_000, 'third attempt');
    const [a, b, c] = receiver.at(ep.path).map((h) => h.at);
    // The schedule says 400 ms; the receiver asked for 2 s, then 1 s.
    expect(b - a).toBeGreaterThanOrEqual(1_900);
    expect(c - b).toBeGreaterThanOrEqual(900);
  });

  it('disables the endpoint on 410 and sends it nothing more', async () => {
    const brand = await createBrand(t);
    const ep = await endpoint(brand, ['conversion.created']);
    receiver.on(ep.path, reply(410));
    await conversion(brand);
    const gone = await disabled(brand, ep);
    expect(gone).toMatchObject({ disabledReason: 'gone', disabledAt: expect.any(String) });
    expect((await deliveries(brand, ep))[0]).toMatchObject({ status: 'failed', attempt: 1, responseStatus: 410 });
    await conversion(brand);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(receiver.at(ep.path)).toHaveLength(1);
    expectProblem(
      await t.http
        .post(`/v1/webhook-endpoints/${ep.id}/replay`)
        .set(brand.auth)
        .send({
          from: new Date(Date.now() - 60_000).toISOString(),
          to: new Date().toISOString(),
        }),
      409,
    );
  });

  it('disables an endpoint after a long failure streak and records why', async () => {
    const brand = await createBrand(t);
    const ep = await endpoint(brand, ['conversion.created']);
    receiver.on(ep.path, reply(500));
    await conversion(brand);
    await conversion(brand);
    const e = await disabled(brand, ep);
    expect(e).toMatchObject({ disabledReason: 'failing', failureStreak: 6 });
    await waitFor(
      async () => (await deliveries(brand, ep)).every((d: { status: string }) => d.status === 'failed'),
      10_000,
      'deliveries ended',
    );
    const hits = receiver.at(ep.path).length;
    expect(hits).toBeGreaterThanOrEqual(6);
    expect(hits).toBeLessThanOrEqual(8);
  });

  it('signs with both secrets during a rotation overlap, and only the new one after', async () => {
    const brand = await createBrand(t);
    const ep = await endpoint(brand, ['conversion.created']);
    const rotated = await t.http
      .post(`/v1/webhook-endpoints/${ep.id}/rotate-secret`)
      .set(brand.auth)
      .send({ overlapHours: 2 })
      .expect(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(Date.parse(rotated.body.previousExpiresAt) - Date.now()).toBeGreaterThan(7_000_000);
    await conversion(brand);
    const [during] = await waitFor(async () => (receiver.at(ep.path).length ? receiver.at(ep.path) : null));
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    verify(ep.secret, during);
    verify(rotated.body.secret, during);

    const again = await t.http
      .post(`/v1/webhook-endpoints/${ep.id}/rotate-secret`)
      .set(brand.auth)
      .send({ overlapHours: 0 })
      .expect(200);
    await conversion(brand);
    await waitFor(async () => receiver.at(ep.path).length === 2);
    const after = receiver.at(ep.path)[1];
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    verify(again.body.secret, after);
    expect(() => verify(ep.secret, after)).toThrow();
    expect(() => verify(rotated.body.secret, after)).toThrow();
  });

  it('resends one delivery, replays a window and sends a test event', async () => {
    const brand = await createBrand(t);
    const ep = await endpoint(brand, ['conversion.created']);
    const from = new Date(Date.now() - 1_000).toISOString();
    await conversion(brand);
    await conversion(brand);
    await waitFor(async () => receiver.at(ep.path).length === 2);
    const ids = receiver.at(ep.path).map((r) => r.headers['webhook-id']);
    const [latest] = await deliveries(brand, ep);

    const resent = await t.http
      .post(`/v1/webhook-endpoints/${ep.id}/deliveries/${latest.id}/resend`)
      .set(brand.auth)
      .expect(202);
    expect(resent.body.deliveryId).not.toBe(latest.id);
    await waitFor(async () => receiver.at(ep.path).length === 3);
    expect(receiver.at(ep.path)[2].headers['webhook-id']).toBe(latest.eventId);

    const replay = await t.http
      .post(`/v1/webhook-endpoints/${ep.id}/replay`)
      .set(brand.auth)
      .send({ from, to: new Date(Date.now() + 1_000).toISOString() })
      .expect(202);
    expect(replay.body).toEqual({ events: 2, continueFrom: null });
    await waitFor(async () => receiver.at(ep.path).length === 5);
    expect(
      receiver
        .at(ep.path)
        .slice(3)
        .map((r) => r.headers['webhook-id'])
        .sort(),
    ).toEqual([...ids].sort());
    for (const r of receiver.at(ep.path)) verify(ep.secret, r);

    await t.http.post(`/v1/webhook-endpoints/${ep.id}/test`).set(brand.auth).expect(202);
    await waitFor(async () => receiver.at(ep.path).length === 6);
    expect(verify(ep.secret, receiver.at(ep.path)[5])).toMatchObject({
      type: 'webhook.test',
      data: { endpointId: ep.id },
    });
    const origins = (await deliveries(brand, ep)).map((d: { origin: string }) => d.origin).sort();
    expect(origins).toEqual(['event', 'event', 'replay', 'replay', 'resend', 'test']);

    expectProblem(
      await t.http
        .post(`/v1/webhook-endpoints/${ep.id}/replay`)
        .set(brand.auth)
        .send({ from: new Date().toISOString(), to: from }),
      422,
    );
    expectProblem(
      await t.http.post(`/v1/webhook-endpoints/${ep.id}/deliveries/${randomUUID()}/resend`).set(brand.auth),
      404,
    );
  });

  it('re-queues a retry whose BullMQ job Redis lost, from the state in Postgres', async () => {
    const brand = await createBrand(t);
    const ep = await endpoint(brand, ['conversion.created']);
    // Retry-After keeps the retry waiting long enough for the test to lose its job first.
    receiver.on(ep.path, (r, n, res) =>
      n === 1 ? reply(503, { 'retry-after': '3' })(r, n, res) : reply(200)(r, n, res),
    );
    await conversion(brand);
    const pending = await waitFor(async () => {
      const [row] = await t.db.query(
        `SELECT id, lease FROM webhooks.deliveries WHERE endpoint_id = $1 AND attempts = 1 AND status = 'pending'`,
        [ep.id],
      );
      return row;
    });
    const queue = t.app.get(QueueRegistry).get('webhooks');
    const job = await queue.getJob(deliverJobId(pending.id, pending.lease));
    expect(await job!.getState()).toBe('delayed');
    await job!.remove();
    await waitFor(async () => (await deliveries(brand, ep))[0]?.status === 'succeeded', 15_000, 'recovered');
    expect(receiver.at(ep.path)).toHaveLength(2);
  });

  it('replays an idempotent create without the secret', async () => {
    const brand = await createBrand(t);
    const body = { url: receiver.url('/idem'), eventTypes: ['claim.created'] };
    const key = randomUUID();
    const first = await t.http.post('/v1/webhook-endpoints').set(brand.auth).set('idempotency-key', key).send(body);
    expect(first.status).toBe(201);
    const again = await t.http.post('/v1/webhook-endpoints').set(brand.auth).set('idempotency-key', key).send(body);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({
      endpoint: { id: first.body.endpoint.id },
      secret: null,
      idempotentReplay: true,
    });
    expect((await t.http.get('/v1/webhook-endpoints').set(brand.auth)).body.data).toHaveLength(1);
  });

  it('documents every endpoint in OpenAPI', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    for (const [path, method] of [
      ['/v1/webhook-endpoints', 'post'],
      ['/v1/webhook-endpoints', 'get'],
      ['/v1/webhook-endpoints/{id}', 'get'],
      ['/v1/webhook-endpoints/{id}', 'patch'],
      ['/v1/webhook-endpoints/{id}', 'delete'],
      ['/v1/webhook-endpoints/{id}/rotate-secret', 'post'],
      ['/v1/webhook-endpoints/{id}/deliveries', 'get'],
      ['/v1/webhook-endpoints/{id}/deliveries/{deliveryId}', 'get'],
      ['/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/resend', 'post'],
      ['/v1/webhook-endpoints/{id}/replay', 'post'],
      ['/v1/webhook-endpoints/{id}/test', 'post'],
    ]) {
      expect(doc.paths[path]?.[method]).toBeDefined();
    }
    expect(doc.paths['/v1/webhook-endpoints'].post.responses['201']).toBeDefined();
    expect(doc.components.schemas.WebhookDeliveryDto).toBeDefined();
  });

  it('exposes delivery metrics', async () => {
    const res = await t.http.get('/metrics').set(admin).expect(200);
    expect(res.text).toMatch(/webhook_attempts_total\{outcome="succeeded"\} [1-9]/);
    expect(res.text).toMatch(/webhook_attempts_total\{outcome="http_error"\} [1-9]/);
    expect(res.text).toMatch(/webhook_attempts_total\{outcome="timeout"\} [1-9]/);
    expect(res.text).toMatch(/webhook_endpoints_disabled_total\{reason="gone"\} 1/);
    expect(res.text).toMatch(/webhook_delivery_lag_seconds \d/);
  });
});
