import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { DeliveryOrigin, DeliveryStatus } from './entities/delivery.entity';
import type { DisabledReason, EndpointStatus } from './entities/endpoint.entity';

export interface EndpointRow {
  id: string;
  brandId: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  status: EndpointStatus;
  disabledReason: DisabledReason | null;
  disabledAt: Date | null;
  failureStreak: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface DeliveryRow {
  id: string;
  eventId: string;
  eventType: string;
  origin: DeliveryOrigin;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastResponseStatus: number | null;
  lastDurationMs: number | null;
  createdAt: Date;
  cursorUs: string;
}

export interface AttemptRow {
  attempt: number;
  at: Date;
  responseStatus: number | null;
  durationMs: number;
  responseBody: string | null;
  error: string | null;
}

/** What one attempt needs, read while taking the attempt's lock. */
export interface ClaimedDelivery {
  attempts: number;
  origin: DeliveryOrigin;
  endpointId: string;
  brandId: string;
  url: string;
  endpointStatus: EndpointStatus;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  eventCreatedAt: Date;
}

export interface Scheduled {
  id: string;
  lease: number;
  nextAttemptAt: Date;
}

const ENDPOINT_COLS = `id, brand_id AS "brandId", url, description, event_types AS "eventTypes", status,
  disabled_reason AS "disabledReason", disabled_at AS "disabledAt", failure_streak AS "failureStreak",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

const DELIVERY_COLS = `d.id, d.event_id AS "eventId", ev.type AS "eventType", d.origin, d.status, d.attempts,
  d.next_attempt_at AS "nextAttemptAt", d.last_attempt_at AS "lastAttemptAt",
  d.last_response_status AS "lastResponseStatus", d.last_duration_ms AS "lastDurationMs", d.created_at AS "createdAt",
  (extract(epoch FROM d.created_at) * 1000000)::bigint::text AS "cursorUs"`;

/** Every statement touches the webhooks schema only; brand scope is in each WHERE that reads brand-owned rows. */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ---- events ----

  /** Inserts the events; `wanted` tells which have an enabled endpoint subscribed now (only those fan out). */
  async insertEvents(
    m: EntityManager,
    events: { brandId: string; type: string; data: unknown }[],
  ): Promise<{ id: string; wanted: boolean }[]> {
    return m.query(
      `INSERT INTO webhooks.events (brand_id, type, data)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[])
       RETURNING id, EXISTS (
         SELECT 1 FROM webhooks.endpoints e
         WHERE e.brand_id = events.brand_id AND e.status = 'enabled' AND events.type = ANY (e.event_types)
       ) AS wanted`,
      [events.map((e) => e.brandId), events.map((e) => e.type), events.map((e) => JSON.stringify(e.data))],
    );
  }

  // ---- endpoints ----

  async countEndpoints(brandId: string): Promise<number> {
    const [r] = await this.dataSource.query(`SELECT count(*)::int AS n FROM webhooks.endpoints WHERE brand_id = $1`, [
      brandId,
    ]);
    return r.n;
  }

  async insertEndpoint(
    m: EntityManager,
    brandId: string,
    v: { url: string; description: string | null; eventTypes: string[] },
    secret: string,
  ): Promise<EndpointRow> {
    const [row] = await m.query(
      `INSERT INTO webhooks.endpoints (brand_id, url, description, event_types) VALUES ($1, $2, $3, $4)
       RETURNING ${ENDPOINT_COLS}`,
      [brandId, v.url, v.description, v.eventTypes],
    );
    await m.query(`INSERT INTO webhooks.secrets (endpoint_id, secret) VALUES ($1, $2)`, [row.id, secret]);
    return row;
  }

  listEndpoints(brandId: string): Promise<EndpointRow[]> {
    return this.dataSource.query(
      `SELECT ${ENDPOINT_COLS} FROM webhooks.endpoints WHERE brand_id = $1 ORDER BY created_at, id`,
      [brandId],
    );
  }

  async findEndpoint(
    brandId: string,
    id: string,
    m: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<EndpointRow | null> {
    const sql = `SELECT ${ENDPOINT_COLS} FROM webhooks.endpoints WHERE brand_id = $1 AND id = $2`;
    const [row] = await m.query(lock ? `${sql} FOR UPDATE` : sql, [brandId, id]);
    return row ?? null;
  }

  async updateEndpoint(
    m: EntityManager,
    id: string,
    v: { url: string; description: string | null; eventTypes: string[]; status: EndpointStatus },
  ): Promise<void> {
    // Re-enabling starts a fresh failure streak; disabling by hand records why.
    await m.query(
      `UPDATE webhooks.endpoints SET url = $2, description = $3, event_types = $4, updated_at = now(),
         disabled_reason = CASE WHEN $5 = 'enabled' THEN NULL WHEN status = 'enabled' THEN 'manual' ELSE disabled_reason END,
         disabled_at = CASE WHEN $5 = 'enabled' THEN NULL WHEN status = 'enabled' THEN now() ELSE disabled_at END,
         failure_streak = CASE WHEN $5 = 'enabled' AND status = 'disabled' THEN 0 ELSE failure_streak END,
         failing_since = CASE WHEN $5 = 'enabled' AND status = 'disabled' THEN NULL ELSE failing_since END,
         status = $5
       WHERE id = $1`,
      [id, v.url, v.description, v.eventTypes, v.status],
    );
  }

  async deleteEndpoint(brandId: string, id: string, m?: EntityManager): Promise<boolean> {
    const [, n] = await (m ?? this.dataSource).query<[unknown, number]>(
      `DELETE FROM webhooks.endpoints WHERE brand_id = $1 AND id = $2`,
      [brandId, id],
    );
    return n === 1;
  }

  /** Live secrets stop at the end of the overlap (or now, if they were due sooner); the new one signs from now. */
  async rotateSecret(m: EntityManager, endpointId: string, secret: string, overlapHours: number): Promise<Date> {
    const [row] = await m.query(`SELECT now() + make_interval(hours => $1) AS until`, [overlapHours]);
    await m.query(
      `UPDATE webhooks.secrets SET expires_at = LEAST(COALESCE(expires_at, $2), $2)
       WHERE endpoint_id = $1 AND (expires_at IS NULL OR expires_at > now())`,
      [endpointId, row.until],
    );
    await m.query(`INSERT INTO webhooks.secrets (endpoint_id, secret) VALUES ($1, $2)`, [endpointId, secret]);
    return row.until;
  }

  /** Newest first, so a receiver that checks only the first signature checks the current secret. */
  async liveSecrets(endpointId: string): Promise<string[]> {
    const rows: { secret: string }[] = await this.dataSource.query(
      `SELECT secret FROM webhooks.secrets WHERE endpoint_id = $1 AND (expires_at IS NULL OR expires_at > now())
       ORDER BY created_at DESC, id`,
      [endpointId],
    );
    return rows.map((r) => r.secret);
  }

  // ---- deliveries ----

  /** Creates the deliveries of one event (once per endpoint, however often it runs); returns those not yet tried. */
  async fanOut(eventId: string): Promise<Scheduled[]> {
    await this.dataSource.query(
      `INSERT INTO webhooks.deliveries (event_id, endpoint_id, origin, next_attempt_at, lease)
       SELECT ev.id, e.id, 'event', now(), 1
       FROM webhooks.events ev
       JOIN webhooks.endpoints e ON e.brand_id = ev.brand_id AND e.status = 'enabled' AND ev.type = ANY (e.event_types)
       WHERE ev.id = $1
       ON CONFLICT (event_id, endpoint_id) WHERE origin = 'event' DO NOTHING`,
      [eventId],
    );
    return this.dataSource.query(
      `SELECT id, lease, next_attempt_at AS "nextAttemptAt" FROM webhooks.deliveries
       WHERE event_id = $1 AND origin = 'event' AND status = 'pending' AND attempts = 0`,
      [eventId],
    );
  }

  /** New deliveries of existing events to one endpoint (resend, replay, test), due now. */
  async insertDeliveries(
    m: EntityManager,
    endpointId: string,
    origin: Exclude<DeliveryOrigin, 'event'>,
    eventIds: string[],
  ): Promise<Scheduled[]> {
    return m.query(
      `INSERT INTO webhooks.deliveries (event_id, endpoint_id, origin, next_attempt_at, lease)
       SELECT unnest($2::uuid[]), $1, $3, now(), 1
       RETURNING id, lease, next_attempt_at AS "nextAttemptAt"`,
      [endpointId, eventIds, origin],
    );
  }

  async insertEvent(m: EntityManager, brandId: string, type: string, data: unknown): Promise<string> {
    const [row] = await m.query(`INSERT INTO webhooks.events (brand_id, type, data) VALUES ($1, $2, $3) RETURNING id`, [
      brandId,
      type,
      JSON.stringify(data),
    ]);
    return row.id;
  }

  /** The brand's events of the endpoint's types in [from, to), oldest first, at most `limit`. */
  eventsInWindow(
    brandId: string,
    types: string[],
    from: Date,
    to: Date,
    limit: number,
  ): Promise<{ id: string; createdAt: Date }[]> {
    return this.dataSource.query(
      `SELECT id, created_at AS "createdAt" FROM webhooks.events
       WHERE brand_id = $1 AND type = ANY ($2::text[]) AND created_at >= $3 AND created_at < $4
       ORDER BY created_at, id LIMIT $5`,
      [brandId, types, from, to, limit],
    );
  }

  async findDelivery(endpointId: string, id: string): Promise<DeliveryRow | null> {
    const [row] = await this.dataSource.query(
      `SELECT ${DELIVERY_COLS} FROM webhooks.deliveries d JOIN webhooks.events ev ON ev.id = d.event_id
       WHERE d.endpoint_id = $1 AND d.id = $2`,
      [endpointId, id],
    );
    return row ?? null;
  }

  listDeliveries(endpointId: string, after: [string, string] | null, limit: number): Promise<DeliveryRow[]> {
    return this.dataSource.query(
      `SELECT ${DELIVERY_COLS} FROM webhooks.deliveries d JOIN webhooks.events ev ON ev.id = d.event_id
       WHERE d.endpoint_id = $1
         AND ($2::bigint IS NULL OR ((extract(epoch FROM d.created_at) * 1000000)::bigint, d.id) < ($2::bigint, $3::uuid))
       ORDER BY d.created_at DESC, d.id DESC LIMIT $4`,
      [endpointId, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }

  attemptsOf(deliveryId: string): Promise<AttemptRow[]> {
    return this.dataSource.query(
      `SELECT attempt, at, response_status AS "responseStatus", duration_ms AS "durationMs",
              response_body AS "responseBody", error
       FROM webhooks.attempts WHERE delivery_id = $1 ORDER BY attempt, id`,
      [deliveryId],
    );
  }

  /**
   * Takes the right to make the next attempt: only the job holding the current lease, only while no other attempt
   * is in flight. The lock outlives the request's timeout, so a killed worker's attempt is retried after it.
   */
  async claimAttempt(deliveryId: string, lease: number, lockMs: number): Promise<ClaimedDelivery | null> {
    const [rows] = await this.dataSource.query<[ClaimedDelivery[], number]>(
      `UPDATE webhooks.deliveries d SET locked_until = now() + $3 * interval '1 millisecond'
       FROM webhooks.endpoints e, webhooks.events ev
       WHERE d.id = $1 AND d.lease = $2 AND d.status = 'pending' AND (d.locked_until IS NULL OR d.locked_until < now())
         AND e.id = d.endpoint_id AND ev.id = d.event_id
       RETURNING d.attempts, d.origin, e.id AS "endpointId", e.brand_id AS "brandId", e.url, e.status AS "endpointStatus", ev.id AS "eventId",
                 ev.type, ev.data, ev.created_at AS "eventCreatedAt"`,
      [deliveryId, lease, lockMs],
    );
    return rows[0] ?? null;
  }

  /** Records one attempt and the delivery's next state; false when a newer lease took over meanwhile. */
  async recordAttempt(
    m: EntityManager,
    deliveryId: string,
    lease: number,
    a: Omit<AttemptRow, 'at'> & { at: Date },
    next: { status: DeliveryStatus; nextAttemptAt: Date | null },
  ): Promise<boolean> {
    const [, n] = await m.query<[unknown, number]>(
      `UPDATE webhooks.deliveries SET attempts = $3, status = $4, next_attempt_at = $5, locked_until = NULL,
         lease = lease + CASE WHEN $4 = 'pending' THEN 1 ELSE 0 END, last_attempt_at = $6, last_response_status = $7,
         last_duration_ms = $8, updated_at = now()
       WHERE id = $1 AND lease = $2 AND status = 'pending'`,
      [deliveryId, lease, a.attempt, next.status, next.nextAttemptAt, a.at, a.responseStatus, a.durationMs],
    );
    if (n !== 1) return false;
    await m.query(
      `INSERT INTO webhooks.attempts (delivery_id, attempt, at, response_status, duration_ms, response_body, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [deliveryId, a.attempt, a.at, a.responseStatus, a.durationMs, a.responseBody, a.error],
    );
    return true;
  }

  /** A delivery whose endpoint was disabled or changed its mind: no attempt is made. */
  async abandon(deliveryId: string, lease: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhooks.deliveries SET status = 'failed', next_attempt_at = NULL, locked_until = NULL, updated_at = now()
       WHERE id = $1 AND lease = $2 AND status = 'pending'`,
      [deliveryId, lease],
    );
  }

  /** Success ends the streak. */
  async endpointSucceeded(m: EntityManager, endpointId: string): Promise<void> {
    await m.query(
      `UPDATE webhooks.endpoints SET failure_streak = 0, failing_since = NULL
       WHERE id = $1 AND (failure_streak > 0 OR failing_since IS NOT NULL)`,
      [endpointId],
    );
  }

  /**
   * One more failed attempt; disables the endpoint when the receiver said 410 or the streak is long and old
   * enough. Returns the reason when this call disabled it.
   */
  async endpointFailed(
    m: EntityManager,
    endpointId: string,
    gone: boolean,
    rule: { failures: number; afterMs: number },
  ): Promise<DisabledReason | null> {
    // The row lock serialises concurrent attempts to one endpoint, so the streak counts each exactly once.
    const [cur] = await m.query<{ status: EndpointStatus; streak: number; oldEnough: boolean }[]>(
      `SELECT status, failure_streak AS streak,
              COALESCE(failing_since, now()) <= now() - $2 * interval '1 millisecond' AS "oldEnough"
       FROM webhooks.endpoints WHERE id = $1 FOR UPDATE`,
      [endpointId, rule.afterMs],
    );
    if (!cur) return null;
    const streak = cur.streak + 1;
    let reason: DisabledReason | null = null;
    if (cur.status === 'enabled') {
      if (gone) reason = 'gone';
      else if (streak >= rule.failures && cur.oldEnough) reason = 'failing';
    }
    await m.query(
      `UPDATE webhooks.endpoints SET failure_streak = $2, failing_since = COALESCE(failing_since, now()),
         status = CASE WHEN $3::text IS NULL THEN status ELSE 'disabled' END,
         disabled_reason = COALESCE($3::text, disabled_reason),
         disabled_at = CASE WHEN $3::text IS NULL THEN disabled_at ELSE now() END,
         updated_at = CASE WHEN $3::text IS NULL THEN updated_at ELSE now() END
       WHERE id = $1`,
      [endpointId, streak, reason],
    );
    return reason;
  }

  /** Pending deliveries overdue by `staleAfterMs` with no attempt in flight: their job may have been lost. */
  staleCandidates(staleAfterMs: number, after: string | null, limit: number): Promise<{ id: string; lease: number }[]> {
    return this.dataSource.query(
      `SELECT id, lease FROM webhooks.deliveries
       WHERE status = 'pending' AND next_attempt_at < now() - $1 * interval '1 millisecond'
         AND (locked_until IS NULL OR locked_until < now()) AND ($2::uuid IS NULL OR id > $2)
       ORDER BY id LIMIT $3`,
      [staleAfterMs, after, limit],
    );
  }

  /**
   * A new lease for deliveries whose job is gone (Redis flushed or failed over, a worker killed between commit and
   * enqueue, or killed mid-attempt): any late original then finds an old lease and does nothing.
   */
  async renewLeases(deliveries: { id: string; lease: number }[]): Promise<Scheduled[]> {
    if (!deliveries.length) return [];
    const [rows] = await this.dataSource.query<[Scheduled[], number]>(
      `UPDATE webhooks.deliveries d SET lease = d.lease + 1, next_attempt_at = GREATEST(d.next_attempt_at, now()),
         updated_at = now()
       FROM unnest($1::uuid[], $2::int[]) AS x(id, lease)
       WHERE d.id = x.id AND d.lease = x.lease AND d.status = 'pending'
         AND (d.locked_until IS NULL OR d.locked_until < now())
       RETURNING d.id, d.lease, d.next_attempt_at AS "nextAttemptAt"`,
      [deliveries.map((d) => d.id), deliveries.map((d) => d.lease)],
    );
    return rows;
  }

  /** Retention: events (with their deliveries and attempts) older than the replay window; expired secrets. */
  async purge(days: number): Promise<number> {
    await this.dataSource.query(`DELETE FROM webhooks.secrets WHERE expires_at < now() - interval '1 day'`);
    const [, n] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM webhooks.events WHERE id IN (
         SELECT id FROM webhooks.events WHERE created_at < now() - make_interval(days => $1) LIMIT 10000)`,
      [days],
    );
    return n;
  }

  /** Seconds the oldest due delivery has waited past its time (the queue's lag), 0 when none. */
  async lagSeconds(): Promise<number> {
    const [r] = await this.dataSource.query(
      `SELECT COALESCE(extract(epoch FROM now() - min(next_attempt_at)), 0)::float8 AS lag
       FROM webhooks.deliveries WHERE status = 'pending' AND next_attempt_at <= now()`,
    );
    return Math.max(0, r.lag);
  }
}
