/**
 * What may reach a log line. Applied to every argument of every pino call (see logger.ts), so a new log
 * statement cannot leak by forgetting a redaction path:
 *  - keys that name credentials or personal data are censored at any depth;
 *  - free text (messages, stacks, any string value) has emails, password hashes, API keys, bearer tokens and
 *    JWTs masked;
 *  - database errors are reduced to SQLSTATE, constraint and query name: TypeORM's `parameters`, PostgreSQL's
 *    DETAIL ("Failing row contains (…)") and many of its messages ("invalid input syntax …: \"<input>\"") quote
 *    the data itself;
 *  - other errors keep their type, scrubbed message, code and stack, never their arbitrary own properties.
 */

const CENSOR = '[redacted]';
const MAX_DEPTH = 8;
const MAX_ITEMS = 50;

/** Keys whose values are secrets or personal data, whatever object they sit in. */
const SENSITIVE_KEY =
  /pass(word|phrase)?|secret|token|authori[sz]ation|cookie|api[-_]?key|signature|idempotency|e-?mail|phone|address|street|postal|postcode|zip|birth|^dob$|^(display|first|last|full|legal|user)?_?name$|^ip$|remote_?address|forwarded|^(parameters|params|body|payload|detail|where|hint|internalQuery|headers|query|querystring)$/i;

const TEXT_MASKS: [RegExp, string][] = [
  [/\$argon2[a-z]*\$[^\s"',)]+/gi, '[hash]'],
  [/\b(Bearer|Basic)\s+[^\s"',]+/gi, '$1 [redacted]'],
  [/\b(sk|rk|whsec|pk)_[A-Za-z0-9_]{8,}/g, '[key]'],
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]'],
  [/[^\s@"'<>(),;:=]+@[^\s@"'<>(),;:]+\.[a-z]{2,}/gi, '[email]'],
];

function scrubText(s: string): string {
  let out = s;
  for (const [re, by] of TEXT_MASKS) out = out.replace(re, by);
  return out;
}

interface DbErrorLike {
  name?: string;
  code?: unknown;
  constraint?: unknown;
  query?: unknown;
  driverError?: { code?: unknown; constraint?: unknown };
}

/** A PostgreSQL error (pg's DatabaseError, or TypeORM's QueryFailedError wrapping one). */
function isDbError(e: Error): boolean {
  const d = e as DbErrorLike;
  return (
    d.name === 'QueryFailedError' ||
    (typeof d.code === 'string' && /^[0-9A-Z]{5}$/.test(d.code) && 'severity' in e) ||
    (!!d.driverError && typeof d.driverError.code === 'string')
  );
}

/** "INSERT influencers", "SELECT campaigns": which statement failed, without any of its text or values. */
export function queryName(sql: unknown): string | undefined {
  if (typeof sql !== 'string') return undefined;
  const verb = /\b(SELECT|INSERT|UPDATE|DELETE|WITH|CALL|COPY|CREATE|ALTER|DROP|TRUNCATE|LOCK)\b/i.exec(sql)?.[1];
  if (!verb) return undefined;
  const table = /\b(?:INTO|UPDATE|FROM|TABLE)\s+((?:"?\w+"?\.)?"?\w+"?)/i.exec(sql)?.[1]?.replace(/"/g, '');
  return table ? `${verb.toUpperCase()} ${table}` : verb.toUpperCase();
}

function serializeError(e: Error, depth: number): Record<string, unknown> {
  if (isDbError(e)) {
    const d = e as DbErrorLike;
    const driver = d.driverError ?? d;
    return {
      type: d.name === 'QueryFailedError' ? 'QueryFailedError' : 'DatabaseError',
      sqlstate: typeof driver.code === 'string' ? driver.code : undefined,
      constraint: typeof driver.constraint === 'string' ? driver.constraint : undefined,
      query: queryName(d.query),
    };
  }
  const out: Record<string, unknown> = {
    type: e.name || e.constructor?.name || 'Error',
    message: scrubText(e.message),
  };
  const { code, statusCode, status } = e as { code?: unknown; statusCode?: unknown; status?: unknown };
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  if (typeof statusCode === 'number') out.statusCode = statusCode;
  if (typeof status === 'number') out.status = status;
  if (e.stack) out.stack = scrubText(e.stack);
  if (e.cause !== undefined && depth < MAX_DEPTH) out.cause = walk(e.cause, depth + 1, new WeakSet());
  return out;
}

function walk(v: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof v === 'string') return scrubText(v);
  if (v === null || typeof v !== 'object') return v;
  // Duck-typed too: an Error from another realm (a vm context, a worker) is not `instanceof` this one's.
  if (v instanceof Error || (typeof (v as Error).message === 'string' && typeof (v as Error).stack === 'string'))
    return serializeError(v as Error, depth);
  if (v instanceof Date) return v;
  if (Buffer.isBuffer(v)) return `[${v.length} bytes]`;
  if (seen.has(v)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(v);
  if (Array.isArray(v)) {
    const items = v.slice(0, MAX_ITEMS).map((x) => walk(x, depth + 1, seen));
    if (v.length > MAX_ITEMS) items.push(`[${v.length - MAX_ITEMS} more]`);
    return items;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (SENSITIVE_KEY.test(k)) out[k] = x === undefined || x === null ? x : CENSOR;
    else if (k === 'url' && typeof x === 'string') out[k] = scrubText(x.split('?')[0]);
    else out[k] = walk(x, depth + 1, seen);
  }
  return out;
}

/** The form of `v` that may be logged. Plain values come back unchanged; objects are copied, never mutated. */
export function scrubForLog(v: unknown): unknown {
  return walk(v, 0, new WeakSet());
}
