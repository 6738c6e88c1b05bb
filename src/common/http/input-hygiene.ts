import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppException } from '../problem/app.exception';

/**
 * One gate for every string a client sends (body, query, path parameters), before any route sees it:
 * PostgreSQL cannot store NUL (text and jsonb refuse it: a 500 on every route that stored or looked up such a
 * string), and an unpaired UTF-16 surrogate has no UTF-8 form (pg would silently store U+FFFD instead of what
 * was sent, or jsonb refuses the `\ud800` escape). Both are a 400 naming the field, never a 500.
 * A route that must accept bytes as sent (the Stripe webhook verifies a signature over them) opts out with
 * `@RouteConfig({ [RAW_INPUT]: true })` and makes what it stores safe itself.
 */
export const RAW_INPUT = 'rawInput';

// eslint-disable-next-line no-control-regex
const ILL_FORMED = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_WALK_DEPTH = 64;

export const isIllFormed = (s: string): boolean => ILL_FORMED.test(s);

/** The path of the first ill-formed string (a value or a key) in `v`, or null. */
function findIllFormed(v: unknown, path: string, depth = 0): string | null {
  if (typeof v === 'string') return isIllFormed(v) ? path : null;
  if (v === null || typeof v !== 'object' || depth > MAX_WALK_DEPTH) return null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const hit = findIllFormed(v[i], `${path}[${i}]`, depth + 1);
      if (hit !== null) return hit;
    }
    return null;
  }
  for (const k of Object.keys(v)) {
    const at = path ? `${path}.${k}` : k;
    if (isIllFormed(k)) return path ? `${path}.<key>` : '<key>';
    const hit = findIllFormed((v as Record<string, unknown>)[k], at, depth + 1);
    if (hit !== null) return hit;
  }
  return null;
}

/** The field as it may be shown: ill-formed keys are not echoed. */
function illFormed(field: string): AppException {
  return new AppException('validation_failed', 'A value contains a NUL character or an unpaired surrogate', [
    { field, message: 'must not contain NUL characters or unpaired UTF-16 surrogates' },
  ]);
}

/** Fastify preValidation hook (callback style: it runs on the redirect's hot path too). */
export function inputHygieneHook(req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void {
  if ((req.routeOptions?.config as unknown as Record<string, unknown> | undefined)?.[RAW_INPUT] === true) return done();
  const hit =
    findIllFormed(req.params, '') ??
    findIllFormed(req.query, '') ??
    (req.body !== undefined ? findIllFormed(req.body, '') : null);
  done(hit === null ? undefined : illFormed(hit === '' ? 'body' : hit));
}

// eslint-disable-next-line no-control-regex
const ILL_FORMED_ALL = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const wellFormed = (s: string): string => s.replace(ILL_FORMED_ALL, '\uFFFD');

/**
 * JSON text PostgreSQL's jsonb can store: NUL and unpaired surrogates (in keys or values) become U+FFFD. For
 * input that must be kept rather than refused — a signed Stripe event is acknowledged, or Stripe retries it
 * for days; its signature was checked over the raw bytes, so the stored copy may differ in those characters.
 */
export function storableJson(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, _k: string, v: unknown) {
    if (typeof v === 'string') return wellFormed(v);
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).some(isIllFormed)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [wellFormed(k), x]));
    }
    return v;
  });
}
