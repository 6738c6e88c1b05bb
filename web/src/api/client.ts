import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** The session's CSRF token lives in memory only (never localStorage); the cookie itself is HttpOnly. */
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const csrf: Middleware = {
  onRequest({ request }) {
    if (csrfToken && !SAFE.has(request.method)) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf);

/** A problem+json answer: its `detail` is what the person reads. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors: { field: string; message: string }[] = [],
  ) {
    super(detail);
  }
}

interface Result<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Unwraps an openapi-fetch result, turning any error answer into a ProblemError. */
export async function call<T>(p: Promise<Result<T>>): Promise<T> {
  let r: Result<T>;
  try {
    r = await p;
  } catch {
    throw new ProblemError(0, 'Sway could not be reached. Check your connection and try again.');
  }
  if (r.response.ok) return r.data as T;
  const e = (r.error ?? {}) as { detail?: string; title?: string; errors?: { field: string; message: string }[] };
  throw new ProblemError(r.response.status, e.detail ?? e.title ?? `Request failed (${r.response.status})`, e.errors);
}

/**
 * For the wave-2 console routes (teams, invitations, audit log, brand sessions) while the generated schema does
 * not list them yet: the same CSRF header and the same ProblemError as the typed client.
 */
export async function rawCall<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (csrfToken && !SAFE.has(method)) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ProblemError(0, 'Sway could not be reached. Check your connection and try again.');
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (res.ok) return json as T;
  const e = (json ?? {}) as { detail?: string; title?: string; errors?: { field: string; message: string }[] };
  throw new ProblemError(res.status, e.detail ?? e.title ?? `Request failed (${res.status})`, e.errors);
}
