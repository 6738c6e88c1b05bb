import fc from 'fast-check';
import { createBrand } from '../factories/brands';
import { createCampaign } from '../factories/campaigns';
import { createMember } from '../factories/influencers';
import { FakeStripe } from '../support/fake-stripe';
import { TestApp, admin, startTestApp } from '../support/test-app';

/**
 * Issue #12 (2): no client input yields a 5xx. Property-based: every operation of Sway's own OpenAPI document
 * (read from the running app, so routes added later are walked too) gets schema-shaped and hostile requests —
 * NUL, lone surrogates, huge and negative numbers, impossible dates, deep nesting, wrong types, forged
 * cursors, odd content types, JSON `null` — with each kind of credential. Every answer must be < 500; an error
 * must be problem+json and change nothing in the database; /health must still answer.
 *
 * Seeded and bounded: FUZZ_SEED (default fixed, so CI is reproducible) and FUZZ_RUNS (total cases, split
 * evenly over the operations). A failure prints the seed, the operation and the shrunk request.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const TIME_BUDGET_MS = Number(process.env.FUZZ_TIME_MS ?? 60_000);

type Schema = Record<string, unknown>;
interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: string; required?: boolean; schema?: Schema }[];
  body?: Schema;
}
interface FuzzRequest {
  auth: string;
  path: string;
  query: Record<string, unknown>;
  contentType: string | null;
  body: { raw: string } | { json: unknown } | { deep: number } | null;
}

const b64 = (v: unknown): string => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

const hostileStrings: string[] = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '',
  ' ',
  'x'.repeat(3000),
  "' OR 1=1 --",
  '../../etc/passwd',
  '%00',
  '💩🇺🇳',
  'ﬀ\u202e',
  '2025-02-30T00:00:00Z',
  '2025-13-45',
  '2025-01-01T24:00:00Z',
  '9999-12-31T23:59:59-14:00',
  '0000-00-00',
  '-1',
  '1e309',
  'NaN',
  'null',
  'https://例え.テスト/パス?q=日本',
  'javascript:alert(1)',
  b64([1e308, 'x']),
  b64(['abc', 'not-a-uuid']),
  b64([{ a: 1 }, []]),
  b64(['9'.repeat(25), '00000000-0000-0000-0000-000000000000']),
  b64(['-1', '00000000-0000-0000-0000-000000000000']),
  b64([2147483648, 'x']),
  b64('not json'),
  b64(['\u0000', '\u0000']),
];
const hostileNumbers: unknown[] = [
  -1,
  0,
  1.5,
  2 ** 53,
  -(2 ** 63),
  1e308,
  -1e308,
  2 ** 31,
  Number.MAX_SAFE_INTEGER + 2,
];
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Percent-encodes like a client would; a lone surrogate (no UTF-8 form) goes as the CESU-8 bytes of U+D800. */
const enc = (s: string): string =>
  encodeURIComponent(s.replace(LONE, '\uFFFFlone')).replace(/%EF%BF%BFlone/g, '%ED%A0%80');
const deepJson = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const forgedCursors = hostileStrings.filter((x) => /^[A-Za-z0-9_-]{6,}$/.test(x) && x !== 'javascript:alert(1)');

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.constantFrom(...hostileNumbers),
  fc.constantFrom(null, true, false, [], {}, [null], { '\u0000': 1 }, ['\ud800']),
  fc.string({ maxLength: 20, unit: 'binary' }),
);

describe('fuzz: every OpenAPI operation', () => {
  let t: TestApp;
  let fake: FakeStripe;
  const ops: Operation[] = [];
  let components: Record<string, Schema> = {};
  let auths: Record<string, Record<string, string>> = {};
  let ids: string[] = [];
  let fingerprintSql = '';

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    // API only: no worker may change the database behind a request's back while its fingerprint is compared.
    t = await startTestApp({ ...fake.env, ROLE: 'api' });
    const brand = await createBrand(t);
    const member = await createMember(t);
    const campaign = await createCampaign(t, brand);
    auths = {
      none: {},
      admin,
      brand: brand.auth,
      member: member.auth,
      garbage: { authorization: 'Bearer \u00ff\u00fe' },
    };
    ids = [brand.id, member.id, campaign.id, 'coffee', 'K7QH-3MZP', '00000000-0000-0000-0000-000000000000'];

    const doc = (await t.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Schema>>;
      components?: { schemas?: Record<string, Schema> };
    };
    components = doc.components?.schemas ?? {};
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const content = (op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content;
        ops.push({
          method,
          path,
          parameters: ((op.parameters as Operation['parameters']) ?? []).filter((p) => p.in !== 'header'),
          body: content?.['application/json']?.schema ?? (content ? {} : undefined),
        });
      }
    }

    const { rows } = await t.db
      .query(
        `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS t FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
          AND table_name <> 'migrations' ORDER BY 1`,
      )
      .then((r: { t: string }[]) => ({ rows: r }));
    // Row count and an order-independent sum of row hashes per table: cheap, and any insert, update or delete shows.
    fingerprintSql = `SELECT ${rows
      .map((r, i) => `(SELECT count(*) || ':' || coalesce(sum(hashtext(x::text)::bigint), 0) FROM ${r.t} x) AS t${i}`)
      .join(', ')}`;
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  const fingerprint = async (): Promise<string> => JSON.stringify(await t.db.query(fingerprintSql));

  function resolve(s: Schema | undefined): Schema {
    let cur = s ?? {};
    for (let i = 0; i < 10 && typeof cur.$ref === 'string'; i++) {
      cur = components[cur.$ref.split('/').pop()!] ?? {};
    }
    return cur;
  }

  function shaped(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
    const s = resolve(schema);
    if (depth > 4) return fc.constant(null);
    const alts = (s.allOf ?? s.oneOf ?? s.anyOf) as Schema[] | undefined;
    if (alts?.length) return fc.oneof(...alts.map((a) => shaped(a, depth + 1)));
    if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
    if (s.example !== undefined && s.type !== 'object')
      return fc.oneof({ weight: 3, arbitrary: fc.constant(s.example) }, shapedBare(s, depth));
    return shapedBare(s, depth);
  }

  function shapedBare(s: Schema, depth: number): fc.Arbitrary<unknown> {
    switch (s.type) {
      case 'string':
        if (s.format === 'uuid') return fc.oneof(fc.uuid(), fc.constantFrom(...ids));
        if (s.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
        if (s.format === 'date') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
        if (s.format === 'email') return fc.emailAddress();
        return fc.oneof(
          fc.string({ maxLength: 30 }),
          fc.webUrl(),
          s.example !== undefined ? fc.constant(s.example) : fc.constantFrom(...ids),
        );
      case 'integer':
        return fc.integer({ min: Number(s.minimum ?? -10), max: Number(s.maximum ?? 100_000) });
      case 'number':
        return fc.double({ noNaN: true, min: -1e6, max: 1e9 });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(shaped(s.items as Schema, depth + 1), { minLength: 1, maxLength: 3 });
      default: {
        const props = (s.properties ?? {}) as Record<string, Schema>;
        const keys = Object.keys(props);
        if (!keys.length) return fc.oneof(fc.constant({}), fc.dictionary(fc.string({ maxLength: 8 }), hostileValue));
        return fc.record(Object.fromEntries(keys.map((k) => [k, shaped(props[k], depth + 1)])), {
          requiredKeys: ((s.required as string[]) ?? []).filter((k) => keys.includes(k)),
        });
      }
    }
  }

  /**
   * What the schema says, then (most of the time) exactly one place — a value or a key — replaced by something
   * hostile: the rest stays valid, so the hostile value gets past validation of its neighbours to the code
   * (and the SQL) behind it.
   */
  const value = (schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> =>
    fc
      .tuple(shaped(schema, depth), fc.nat(), hostileValue, fc.integer({ min: 0, max: 9 }))
      .map(([base, at, bad, dice]) => (dice < 7 ? replaceOne(base, at, bad, dice === 0) : base));

  /** Replaces the `at`-th place (depth-first) of `v` by `bad`; `asKey`: the place's key becomes a hostile one. */
  function replaceOne(v: unknown, at: number, bad: unknown, asKey: boolean): unknown {
    const places: (string | number)[][] = [[]];
    const visit = (x: unknown, p: (string | number)[]): void => {
      if (x && typeof x === 'object') {
        for (const [k, y] of Object.entries(x)) {
          const q = [...p, Array.isArray(x) ? Number(k) : k];
          places.push(q);
          visit(y, q);
        }
      }
    };
    visit(v, []);
    const path = places[at % places.length];
    if (!path.length) return bad;
    const copy = structuredClone(v) as Record<string | number, unknown>;
    let parent = copy;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
    const last = path[path.length - 1];
    if (asKey && !Array.isArray(parent)) {
      parent[typeof bad === 'string' ? bad : 'x\u0000'] = parent[last];
      delete parent[last];
    } else parent[last] = bad;
    return copy;
  }

  const pathSegment = (): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...ids) },
      { weight: 1, arbitrary: fc.uuid() },
      { weight: 2, arbitrary: fc.constantFrom(...hostileStrings) },
      { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) },
    );

  function requestFor(op: Operation): fc.Arbitrary<FuzzRequest> {
    const pathParams = op.parameters.filter((p) => p.in === 'path');
    const queryParams = op.parameters.filter((p) => p.in === 'query');
    const path = fc
      .tuple(...pathParams.map(() => pathSegment()))
      .map((vals) => pathParams.reduce((p, param, i) => p.replace(`{${param.name}}`, enc(vals[i])), op.path));
    const queryShape: Schema = {
      type: 'object',
      properties: Object.fromEntries(queryParams.map((p) => [p.name, p.schema ?? { type: 'string' }])),
    };
    const cursorParam = queryParams.some((p) => p.name === 'cursor');
    const query = fc
      .tuple(value(queryShape), fc.constantFrom(...forgedCursors), fc.boolean())
      .map(([q, c, forge]) => ({ ...(q as object), ...(cursorParam && forge ? { cursor: c } : {}) }));
    const json = op.body === undefined ? fc.constant(null) : value(op.body);
    const body: fc.Arbitrary<FuzzRequest['body']> = fc.oneof(
      { weight: 6, arbitrary: json.map((j) => ({ json: j })) },
      { weight: 1, arbitrary: fc.constant({ raw: 'null' }) },
      { weight: 1, arbitrary: fc.constantFrom({ deep: 40 }, { deep: 20_000 }) },
      { weight: 1, arbitrary: fc.constantFrom({ raw: '{"a":' }, { raw: '\u0000' }, { raw: '{"x":"\\u0000"}' }) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
    const contentType = fc.oneof(
      { weight: 8, arbitrary: fc.constant('application/json') },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          null,
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/xml',
          'multipart/form-data; boundary=x',
          'application/json; charset=utf-16',
          'application/octet-stream',
        ),
      },
    );
    return fc.record({
      auth: fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom('admin', 'brand', 'member') },
        { weight: 1, arbitrary: fc.constantFrom('none', 'garbage') },
      ),
      path,
      query,
      contentType,
      body: op.method === 'get' ? fc.constant(null) : body,
    });
  }

  async function send(op: Operation, r: FuzzRequest) {
    const qs = Object.entries(r.query)
      .filter(([, v]) => v !== undefined)
      .map(
        ([k, v]) =>
          `${enc(k)}=${enc(typeof v === 'object' ? JSON.stringify(v) : String(v as string | number | boolean))}`,
      )
      .join('&');
    const url = qs ? `${r.path}?${qs}` : r.path;
    const req = (t.http as unknown as Record<string, (u: string) => import('supertest').Test>)
      [op.method](url)
      .set(auths[r.auth])
      .redirects(0)
      .timeout({ response: 10_000 });
    if (r.contentType) void req.set('content-type', r.contentType);
    if (r.body) {
      const b = r.body;
      return req.send('raw' in b ? b.raw : 'deep' in b ? deepJson(b.deep) : JSON.stringify(b.json));
    }
    return req;
  }

  it('answers every operation below 500, as problem+json, changing nothing on a 4xx', async () => {
    expect(ops.length).toBeGreaterThan(20);
    const runsPerOp = Math.max(3, Math.ceil(TOTAL_RUNS / ops.length));
    const deadline = Date.now() + TIME_BUDGET_MS;
    let cases = 0;
    for (const [i, op] of ops.entries()) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      await fc.assert(
        fc.asyncProperty(requestFor(op), async (r) => {
          cases++;
          const before = await fingerprint();
          const res = await send(op, r);
          const where = `${op.method.toUpperCase()} ${op.path} (seed ${SEED + i}) → ${res.status}`;
          expect({ where, status: res.status < 500 }).toEqual({ where, status: true });
          if (res.status >= 400) {
            expect({ where, type: res.headers['content-type'] }).toEqual({
              where,
              type: expect.stringMatching(/^application\/problem\+json/),
            });
            expect({ where, changed: (await fingerprint()) !== before }).toEqual({ where, changed: false });
          }
          expect((await t.http.get('/health')).status).toBe(200);
        }),
        { seed: SEED + i, numRuns: runsPerOp, interruptAfterTimeLimit: remaining, markInterruptAsFailure: false },
      );
    }
    if (process.env.FUZZ_VERBOSE) console.log(`fuzz: ${ops.length} operations, ${cases} cases, seed ${SEED}`);
    // Enough of the walk ran to mean something even on a slow machine.
    expect(cases).toBeGreaterThanOrEqual(Math.min(TOTAL_RUNS, ops.length * 3) / 2);
  }, 120_000);
});
