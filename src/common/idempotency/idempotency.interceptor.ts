import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
  applyDecorators,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { Observable, from, lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { AuthedRequest, Principal } from '../auth/principal';
import { AppException } from '../problem/app.exception';
import { ReplayResponse } from '../problem/problem.filter';

const IDEMPOTENT = 'sway:idempotent';
const TTL_HOURS = 24;

export interface IdempotentOptions {
  /** Top-level or one-level-nested response fields holding secrets: stored as null, replayed as null. */
  secretFields?: string[];
}

/** Marks a creating POST: the Idempotency-Key header is honoured per the contract. */
export function Idempotent(options: IdempotentOptions = {}): MethodDecorator {
  return applyDecorators(
    SetMetadata(IDEMPOTENT, options),
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

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
  ) {}

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
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (scope, key, route, request_hash, expires_at)
       VALUES ($1, $2, $3, $4, now() + interval '${TTL_HOURS} hours')
       ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
      [scope, key, route, hash],
    );
    if (claimed.length === 0) {
      const [row] = (await this.dataSource.query(
        `SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2`,
        [scope, key],
      )) as { request_hash: Buffer; response_status: number | null; response_body: unknown }[];
      if (!row) throw new AppException('idempotency_in_progress', 'Retry this request');
      if (!row.request_hash.equals(hash)) {
        throw new AppException('idempotency_key_reused', 'This Idempotency-Key was used with a different request');
      }
      if (row.response_status === null) {
        throw new AppException(
          'idempotency_in_progress',
          'The first request with this Idempotency-Key is still running',
        );
      }
      const body = options.secretFields?.length
        ? { ...(row.response_body as Record<string, unknown>), idempotentReplay: true }
        : row.response_body;
      throw new ReplayResponse(row.response_status, body);
    }

    try {
      const result = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const reply = ctx.switchToHttp().getResponse<FastifyReply>();
      // Nest sets the route's status (@HttpCode, else 201 for POST) before the handler runs, so whatever the reply
      // carries now is what the client gets — including a handler's own 200 for "already existed".
      const status = reply.statusCode;
      await this.dataSource.query(
        `UPDATE idempotency_keys SET response_status = $3, response_body = $4::jsonb WHERE scope = $1 AND key = $2`,
        [scope, key, status, JSON.stringify(stripSecrets(result ?? null, options.secretFields ?? []))],
      );
      return result;
    } catch (err) {
      // A failed attempt leaves nothing behind, so the client may retry with the same key.
      await this.dataSource.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2`, [scope, key]);
      throw err;
    }
  }
}
