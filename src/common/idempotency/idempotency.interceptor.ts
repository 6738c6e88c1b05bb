import {
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
  applyDecorators,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { Observable, from, lastValueFrom } from 'rxjs';
import { DataSource, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { AuthedRequest, Principal } from '../auth/principal';
import { AppException } from '../problem/app.exception';
import { ReplayResponse } from '../problem/problem.filter';

const IDEMPOTENT = 'sway:idempotent';
const TTL_HOURS = 24;

export interface IdempotentOptions {
  /** Top-level or one-level-nested response fields holding secrets: stored as null, replayed as null. */
  secretFields?: string[];
}

/**
 * Marks a creating POST: the Idempotency-Key header is honoured per the contract. The interceptor is bound here,
 * not globally: an interceptor on every route costs each request an rxjs pipeline and an AsyncResource (measured
 * in bench/README.md), and only these routes need it.
 */
export function Idempotent(options: IdempotentOptions = {}): MethodDecorator {
  return applyDecorators(
    SetMetadata(IDEMPOTENT, options),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Any string ≤ 255 chars. Same key + same body within 24 h replays the first response; a different body is a 409; a concurrent duplicate is a 409.',
    }),
  );
}

function scopeOf(p: Principal | undefined, req: FastifyRequest): string {
  if (!p) return `public:${req.ip}`;
  if (p.kind === 'brand') return `brand:${p.brandId}`;
  if (p.kind === 'influencer') return `influencer:${p.influencerId}`;
  return 'admin';
}

function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function stripSecrets(body: unknown, fields: string[]): unknown {
  if (!fields.length || !body || typeof body !== 'object') return body;
  const copy = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
  for (const f of fields) {
    if (f in copy) copy[f] = null;
    for (const v of Object.values(copy)) {
      if (v && typeof v === 'object' && !Array.isArray(v) && f in v) (v as Record<string, unknown>)[f] = null;
    }
  }
  return copy;
}

/** The key a request holds while its handler runs, visible to its transactions through AsyncLocalStorage. */
interface HeldKey {
  scope: string;
  key: string;
  attempt: number;
  /** False once the request is over: a timer or callback created during it keeps the store but is not part of it. */
  live: boolean;
}

const held = new AsyncLocalStorage<HeldKey>();

/**
 * Marks the key "effect committed" inside every transaction the handler commits, so the mark exists exactly when
 * the business change does. The update is fenced by `attempt`: if a retry took the key over (this attempt's lease
 * ran out), the mark matches no row and the business transaction is rolled back instead of running twice.
 */
class EffectMarker implements EntitySubscriberInterface {
  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const h = held.getStore();
    if (!h?.live) return;
    // TypeORM answers an UPDATE with [rows, affected].
    const [, affected] = (await event.queryRunner.query(
      `UPDATE idempotency_keys SET effect_committed_at = now() WHERE scope = $1 AND key = $2 AND attempt = $3`,
      [h.scope, h.key, h.attempt],
    )) as [unknown[], number];
    if (affected === 0) {
      throw new AppException('idempotency_in_progress', 'A retry with this Idempotency-Key took over this request');
    }
  }
}

interface KeyRow {
  request_hash: Buffer;
  response_status: number | null;
  response_body: unknown;
  attempt: number;
  effect_committed: boolean;
  lease_live: boolean;
}

/**
 * Idempotency-Key (api.md). The key is claimed with a short lease before the handler runs (a concurrent duplicate
 * gets a 409); the handler's own transactions mark the key when the business change commits (EffectMarker), and
 * the response is stored right after. A crash therefore leaves one of two states, both recoverable by a retry:
 * nothing committed (once the lease has run out the retry takes the key over and runs the request), or the
 * effect committed (the request is never run twice; the stored response is replayed, or — if the crash came
 * between the business commit and storing the response — a 409 `idempotency_response_lost` says it took effect).
 */
@Injectable()
class IdempotencyInterceptor implements NestInterceptor {
  private readonly leaseMs: number;

  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.leaseMs = config.idempotencyLeaseMs;
    if (!this.dataSource.subscribers.some((s) => s instanceof EffectMarker)) {
      this.dataSource.subscribers.push(new EffectMarker());
    }
  }

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<IdempotentOptions | undefined>(IDEMPOTENT, ctx.getHandler());
    const req = ctx.switchToHttp().getRequest<FastifyRequest & AuthedRequest>();
    const raw = req.headers['idempotency-key'];
    if (!options || raw === undefined) return next.handle();
    return from(this.run(ctx, next, options, req, Array.isArray(raw) ? raw[0] : raw));
  }

  private async run(
    ctx: ExecutionContext,
    next: CallHandler,
    options: IdempotentOptions,
    req: FastifyRequest & AuthedRequest,
    key: string,
  ): Promise<unknown> {
    if (key.length < 1 || key.length > 255) {
      throw new AppException('validation_failed', 'Idempotency-Key must be 1 to 255 characters', [
        { field: 'Idempotency-Key', message: 'must be 1 to 255 characters' },
      ]);
    }
    const scope = scopeOf(req.principal, req);
    const route = `${req.method} ${req.routeOptions.url ?? req.url}`;
    const hash = createHash('sha256')
      .update(route)
      .update('\n')
      .update(stableStringify(req.body ?? null))
      .digest();

    // Expired keys are reusable: drop a stale row before claiming the key.
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND expires_at < now()`, [
      scope,
      key,
    ]);
    const claimed = await this.dataSource.query<{ attempt: number }[]>(
      `INSERT INTO idempotency_keys (scope, key, route, request_hash, expires_at, lease_until)
       VALUES ($1, $2, $3, $4, now() + interval '${TTL_HOURS} hours', now() + $5 * interval '1 millisecond')
       ON CONFLICT (scope, key) DO NOTHING RETURNING attempt`,
      [scope, key, route, hash, this.leaseMs],
    );
    const attempt = claimed[0]?.attempt ?? (await this.takeOver(scope, key, hash, options));

    const store: HeldKey = { scope, key, attempt, live: true };
    try {
      const result = await held
        .run(store, () => lastValueFrom(next.handle(), { defaultValue: undefined }))
        .finally(() => (store.live = false));
      const reply = ctx.switchToHttp().getResponse<FastifyReply>();
      // Nest sets the route's status (@HttpCode, else 201 for POST) before the handler runs, so whatever the reply
      // carries now is what the client gets — including a handler's own 200 for "already existed".
      const status = reply.statusCode;
      await this.dataSource.query(
        `UPDATE idempotency_keys SET response_status = $4, response_body = $5::jsonb
         WHERE scope = $1 AND key = $2 AND attempt = $3`,
        [scope, key, attempt, status, JSON.stringify(stripSecrets(result ?? null, options.secretFields ?? []))],
      );
      return result;
    } catch (err) {
      // A failed attempt that changed nothing leaves nothing behind, so the client may retry with the same key.
      // One whose effect committed keeps the key: running it again would do it twice.
      await this.dataSource.query(
        `DELETE FROM idempotency_keys
         WHERE scope = $1 AND key = $2 AND attempt = $3 AND effect_committed_at IS NULL`,
        [scope, key, attempt],
      );
      throw err;
    }
  }

  /**
   * The key exists: replay its response, refuse (different request, still running, effect committed without a
   * stored response), or — when its holder's lease ran out and nothing of it committed — take it over.
   * Returns the new attempt number.
   */
  private async takeOver(scope: string, key: string, hash: Buffer, options: IdempotentOptions): Promise<number> {
    const [row] = await this.dataSource.query<KeyRow[]>(
      `SELECT request_hash, response_status, response_body, attempt,
              effect_committed_at IS NOT NULL AS effect_committed, lease_until > now() AS lease_live
       FROM idempotency_keys WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    if (!row) throw new AppException('idempotency_in_progress', 'Retry this request');
    if (!row.request_hash.equals(hash)) {
      throw new AppException('idempotency_key_reused', 'This Idempotency-Key was used with a different request');
    }
    if (row.response_status !== null) {
      const body = options.secretFields?.length
        ? { ...(row.response_body as Record<string, unknown>), idempotentReplay: true }
        : row.response_body;
      throw new ReplayResponse(row.response_status, body);
    }
    if (row.lease_live) {
      throw new AppException('idempotency_in_progress', 'The first request with this Idempotency-Key is still running');
    }
    if (row.effect_committed) {
      throw new AppException(
        'idempotency_response_lost',
        'The first request with this Idempotency-Key took effect, but its response was lost in a crash; read the ' +
          'resource instead of retrying',
      );
    }
    // Compare-and-set on the attempt seen: of several retries racing for an abandoned key, one wins.
    const taken = await this.dataSource.query<[{ attempt: number }[], number]>(
      `UPDATE idempotency_keys SET attempt = attempt + 1, lease_until = now() + $4 * interval '1 millisecond'
       WHERE scope = $1 AND key = $2 AND attempt = $3 AND response_status IS NULL
         AND effect_committed_at IS NULL AND lease_until <= now()
       RETURNING attempt`,
      [scope, key, row.attempt, this.leaseMs],
    );
    const won = taken[0][0];
    if (!won) throw new AppException('idempotency_in_progress', 'Another retry with this Idempotency-Key took it over');
    return won.attempt;
  }
}
