/* The whole story in one command: `npm run demo [-- --members 20000 --seed 7 --port 3000]`.
 *
 * On an empty database: migrate; start Sway (API and workers, ROLE=all) in this process; generate a synthetic
 * population with the scoring generator and score it; three brands create campaigns on real ontology topics and are
 * funded offline; the real workers match; then 30 simulated days of claims, declines, shares (most disclosed),
 * clicks (some bots, link previews and HEAD requests), conversions (by code, by click, from a linked Stripe account)
 * and a few refunds — every action through the HTTP API and the queues, as clients would do it. It prints each
 * campaign's funnel and ROI, the dashboard URL and a brand key, and keeps serving. Re-running it is safe: a seeded
 * database is detected and only the summary and fresh keys are printed.
 *
 * Members cannot type passwords here, so their access tokens are minted by the product's own token service (the
 * same code path login ends in). Timestamps are real: the 30 simulated days happen within the run.
 */
import 'reflect-metadata';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import * as argon2 from 'argon2';
import { Client } from 'pg';
import pino from 'pino';
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { generateActivity, generateMembers, SynthParams, DAY } from '../bench/synth/generator';
import { DbWriter } from '../bench/synth/writer';
import { createSwayApp } from '../src/app.factory';
import { BrandsService } from '../src/brands/brands.service';
import { TeamsService } from '../src/teams/teams.service';
import { PinoNestLogger } from '../src/common/logging/logger';
import { loadConfig } from '../src/config/config';
import { searchPath } from '../src/database/contexts';
import { typeOrmOptions } from '../src/database/typeorm.options';
import { InfluencerTokens } from '../src/influencers/influencer-tokens.service';

// ---------- settings ----------

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

const MEMBERS = Number(arg('members', process.env.DEMO_MEMBERS ?? '20000'));
const SEED = Number(arg('seed', process.env.DEMO_SEED ?? '7'));
const PORT = Number(arg('port', process.env.PORT ?? '3000'));
const DAYS = 30;
const WEBHOOK_SECRET = process.env.STRIPE_WEBHOOK_SECRET ?? 'whsec_sway_demo_only_not_a_real_secret';
const env: Record<string, string> = {
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/sway_demo',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  ADMIN_TOKEN: process.env.ADMIN_TOKEN ?? 'demo-admin-token-change-me',
  JWT_SECRET: process.env.JWT_SECRET ?? 'demo-jwt-secret-change-me-0123456789abcdef',
  PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? `http://localhost:${PORT}`,
  PORT: String(PORT),
  ROLE: 'all',
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  QUEUE_PREFIX: process.env.QUEUE_PREFIX ?? '{sway-demo}',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  // Thousands of simulated visitors arrive from one machine: they carry their own X-Forwarded-For.
  TRUST_PROXY: 'true',
  RATE_LIMIT_PER_MINUTE: process.env.RATE_LIMIT_PER_MINUTE ?? '1000000',
  ...(process.env.STRIPE_SECRET_KEY ? { STRIPE_SECRET_KEY: process.env.STRIPE_SECRET_KEY } : {}),
};

/** Topics the synthetic members care about: real ontology slugs around the three brands' markets, plus neighbours. */
const INTEREST_TOPICS = [
  'coffee',
  'espresso',
  'starbucks',
  'nespresso',
  'coffee-makers',
  'cafes',
  'tea',
  'baking',
  'wine',
  'running',
  'running-shoes',
  'sneakers',
  'nike',
  'adidas',
  'fitness',
  'yoga',
  'hiking',
  'travel',
  'cars',
  'audi',
  'bmw',
  'porsche',
  'volkswagen',
  'mercedes-benz',
  'toyota',
  'tesla-motors',
  'luxury-cars',
  'suvs',
  'photography',
];

interface DemoCampaign {
  name: string;
  perk: {
    title: string;
    description: string;
    kind: 'product' | 'experience' | 'discount';
    unitCostCents: number;
    currency: string;
  };
  inventory: number;
  targeting: {
    topics: { slug: string; minScore: number }[];
    match: 'any' | 'all';
    minOverallScore?: number;
    countries?: string[];
  };
  landingUrl: string;
  offerTtlHours: number;
  /** Average order value of a conversion, in cents. */
  aov: number;
}

const BRANDS: { name: string; email: string; stripeAccount: string; campaigns: DemoCampaign[] }[] = [
  {
    name: 'Northside Roasters',
    email: 'growth@northside-roasters.example',
    stripeAccount: 'acct_DemoNorthside01',
    campaigns: [
      {
        name: 'Single-origin espresso, autumn drop',
        perk: {
          title: 'A 500 g bag of single-origin espresso',
          description: 'Roasted to order, shipped free',
          kind: 'product',
          unitCostCents: 1800,
          currency: 'usd',
        },
        inventory: 160,
        targeting: {
          topics: [
            { slug: 'coffee', minScore: 25 },
            { slug: 'espresso', minScore: 25 },
          ],
          match: 'any',
        },
        landingUrl: 'https://northside-roasters.example/espresso?utm_source=sway',
        offerTtlHours: 72,
        aov: 3400,
      },
    ],
  },
  {
    name: 'Stride Running Co.',
    email: 'partners@stride-running.example',
    stripeAccount: 'acct_DemoStride01',
    campaigns: [
      {
        name: 'Trail shoe launch',
        perk: {
          title: '30 % off the Stride Trail 2',
          description: 'A personal code for one pair',
          kind: 'discount',
          unitCostCents: 2500,
          currency: 'usd',
        },
        inventory: 120,
        targeting: {
          topics: [
            { slug: 'running', minScore: 25 },
            { slug: 'running-shoes', minScore: 20 },
          ],
          match: 'any',
          minOverallScore: 15,
        },
        landingUrl: 'https://stride-running.example/trail-2',
        offerTtlHours: 48,
        aov: 12900,
      },
    ],
  },
  {
    name: 'Voltaro Motors',
    email: 'marketing@voltaro-motors.example',
    stripeAccount: 'acct_DemoVoltaro01',
    campaigns: [
      {
        name: 'Weekend test drive',
        perk: {
          title: 'A weekend with the Voltaro EV',
          description: 'Pick up Friday, return Monday',
          kind: 'experience',
          unitCostCents: 15000,
          currency: 'usd',
        },
        inventory: 30,
        targeting: { topics: [{ slug: 'cars', minScore: 30 }], match: 'any', minOverallScore: 20, countries: ['US'] },
        landingUrl: 'https://voltaro-motors.example/test-drive',
        offerTtlHours: 96,
        aov: 0, // test drives lead to deposits, reported as conversions with a deposit amount
      },
    ],
  },
];

// ---------- small utilities ----------

let rngState = SEED >>> 0 || 1;
function rand(): number {
  // mulberry32: deterministic for a given --seed
  rngState = (rngState + 0x6d2b79f5) >>> 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

function bar(label: string, done: number, total: number): void {
  if (!process.stdout.isTTY && done !== total && done % Math.max(1, Math.floor(total / 10)) !== 0) return;
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : width;
  const line = `  ${label.padEnd(34)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
  process.stdout.write(process.stdout.isTTY ? `\r${line}` : `${line}\n`);
  if (done === total && process.stdout.isTTY) process.stdout.write('\n');
}

function step(s: string): void {
  console.log(`\n▸ ${s}`);
}

/** Runs `fn` over items with at most `limit` in flight. */
async function pool<T>(
  items: T[],
  limit: number,
  fn: (x: T, i: number) => Promise<void>,
  label?: string,
): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
      done++;
      if (label) bar(label, done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (label && items.length === 0) bar(label, 0, 0);
}

class Api {
  constructor(private readonly base: string) {}

  async call(
    method: string,
    path: string,
    o: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const res = await fetch(this.base + path, {
      method,
      redirect: 'manual',
      headers: {
        ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
        ...o.headers,
      },
      body: o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (redirects, CSV)
    }
    return { status: res.status, body, headers: res.headers };
  }

  async ok(method: string, path: string, o: Parameters<Api['call']>[2] = {}): Promise<any> {
    const r = await this.call(method, path, o);
    if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
}

const HUMAN_UAS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
];
const BOT_UAS = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  'Twitterbot/1.0',
];
const DISCLOSED = ['#ad', '#gifted', '#sponsored', 'Paid partnership with', 'ad: '];

// ---------- the run ----------

async function ensureDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/postgres';
  const c = new Client({ connectionString: u.toString() });
  await c.connect();
  try {
    const { rowCount } = await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    if (!rowCount) await c.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const config = loadConfig(env);
  console.log(
    `Sway demo — ${MEMBERS.toLocaleString('en-US')} members, seed ${SEED}, database ${new URL(config.databaseUrl).pathname.slice(1)}`,
  );

  step('Database: create if missing, migrate');
  await ensureDatabase(config.databaseUrl);
  const ds = await new DataSource(
    typeOrmOptions(config.databaseUrl, { applicationName: 'sway-demo', poolSize: 4 }),
  ).initialize();
  const applied = await ds.runMigrations({ transaction: 'each' });
  console.log(`  ${applied.length ? `${applied.length} migration(s) applied` : 'up to date'}`);

  step(`Start Sway (API and workers) on port ${PORT}`);
  const log = pino({ level: config.logLevel });
  const app = (await createSwayApp(config, new PinoNestLogger(log), log)) as NestFastifyApplication;
  await app.listen(PORT, '0.0.0.0');
  const api = new Api(`http://127.0.0.1:${PORT}`);
  const admin = config.adminToken;
  const tokens = app.get(InfluencerTokens);
  process.on(
    'SIGINT',
    () =>
      void app
        .close()
        .then(() => ds.destroy())
        .then(() => process.exit(0)),
  );
  process.on(
    'SIGTERM',
    () =>
      void app
        .close()
        .then(() => ds.destroy())
        .then(() => process.exit(0)),
  );

  const seeded = await ds.query(`SELECT id FROM brands WHERE email = $1`, [BRANDS[0].email]);
  const brandKeys = new Map<string, string>();
  if (seeded.length) {
    console.log('  this database was seeded by an earlier run: skipping to the summary');
    for (const b of BRANDS) {
      const [{ id }] = await ds.query(`SELECT id FROM brands WHERE email = $1 ORDER BY created_at LIMIT 1`, [b.email]);
      const key = await app.get(BrandsService).createKey({ kind: 'brand', brandId: id, role: 'owner' }, 'admin');
      brandKeys.set(b.email, key.apiKey!);
    }
  } else {
    await seed(ds, api, admin, tokens, brandKeys);
  }

  await summary(api, brandKeys);
  await consoleOwners(ds, app.get(TeamsService));
  await demoMember(ds);
  console.log(`\nDone in ${((Date.now() - t0) / 1000).toFixed(0)} s. Sway keeps serving; Ctrl-C stops it.`);
}

async function seed(
  ds: DataSource,
  api: Api,
  admin: string,
  tokens: InfluencerTokens,
  brandKeys: Map<string, string>,
): Promise<void> {
  step(`Synthetic population: ${MEMBERS.toLocaleString('en-US')} opted-in members, 30 days of activity`);
  const end = Math.floor(Date.now() / DAY) * DAY;
  // 30 days of history at a modest rate keep the demo within minutes on two cores; the model's window is 90 days.
  const p: SynthParams = { members: MEMBERS, seed: SEED, days: 30, end, reactionsPer90d: 45 };
  const topicRows: { id: number; slug: string }[] = await ds.query(`SELECT id, slug FROM topics WHERE slug = ANY($1)`, [
    INTEREST_TOPICS,
  ]);
  const members = generateMembers(
    p,
    topicRows.map((r) => r.id),
  );
  await DbWriter.ensurePartitions(
    String(ds.options.url ?? env.DATABASE_URL),
    end - (p.days + 31) * DAY,
    end + 31 * DAY,
  );
  // The app's search_path: the synthetic writer names tables unqualified, and they live in context schemas.
  const client = new Client({ connectionString: env.DATABASE_URL, options: `-c search_path=${searchPath()}` });
  await client.connect();
  const writer = new DbWriter(client, loadConfig(env).hashSecret, p.seed, members);
  await writer.writeMembers(end);
  let written = 0;
  for (const { posts, reactions } of generateActivity(p, members)) {
    await writer.add(posts, reactions);
    if (++written % 200 === 0 || written === members.length)
      bar('members’ posts and reactions', written, members.length);
  }
  await writer.flush();
  await client.query('ANALYZE');
  await client.end();
  console.log(`  wrote ${JSON.stringify(writer.written)}`);

  step('Score everyone (POST /v1/scoring/runs, model v1)');
  const { runId } = await api.ok('POST', '/v1/scoring/runs', { token: admin });
  for (;;) {
    const run = await api.ok('GET', `/v1/scoring/runs/${runId}`, { token: admin });
    if (run.status === 'succeeded') {
      console.log(`  scored ${run.scored} members with model ${run.modelVersion}`);
      break;
    }
    if (run.status === 'failed') throw new Error(`scoring run failed: ${JSON.stringify(run)}`);
    await new Promise((r) => setTimeout(r, 500));
  }

  step('Brands sign up, create campaigns, link Stripe, get funded offline');
  const campaigns: { id: string; brandKey: string; spec: DemoCampaign; brand: string; stripeAccount: string }[] = [];
  for (const b of BRANDS) {
    const signup = await api.ok('POST', '/v1/brands', { body: { name: b.name, email: b.email } });
    const key = signup.apiKey as string;
    brandKeys.set(b.email, key);
    // The demo has no real Stripe to run Connect OAuth against: the operator links the (made-up) accounts.
    await api.ok('PUT', `/v1/admin/brands/${signup.brand.id}/stripe-account`, {
      token: admin,
      body: { accountId: b.stripeAccount },
    });
    for (const spec of b.campaigns) {
      const { aov: _aov, ...body } = spec;
      const c = await api.ok('POST', '/v1/campaigns', { token: key, body });
      const audience = await api.ok('GET', `/v1/campaigns/${c.id}/audience`, { token: key });
      const quote = spec.inventory * spec.perk.unitCostCents;
      const amount = quote + Math.round((quote * loadConfig(env).platformFeeBps) / 10000);
      await api.ok('POST', `/v1/admin/campaigns/${c.id}/funding`, {
        token: admin,
        body: { amountCents: amount, reference: `INV-DEMO-${c.id.slice(0, 8)}` },
      });
      console.log(`  ${b.name}: "${spec.name}" — audience ${audience.eligible}, funded $${(amount / 100).toFixed(2)}`);
      campaigns.push({ id: c.id, brandKey: key, spec, brand: b.name, stripeAccount: b.stripeAccount });
    }
  }

  step('Workers match the campaigns');
  for (const c of campaigns) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM offers WHERE campaign_id = $1`, [c.id]);
      if (n > 0 || Date.now() > deadline) {
        console.log(`  ${c.spec.name}: ${n} offers`);
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  step(`Simulate ${DAYS} days: claims, shares, clicks, conversions, refunds`);
  const stripe = new Stripe('sk_demo_unused');
  let orders = 0;
  const paidSessions: { account: string; pi: string; amount: number }[] = [];
  const stats = { claims: 0, declines: 0, shares: 0, clicks: 0, bots: 0, conversions: 0, refunds: 0 };
  for (let day = 1; day <= DAYS; day++) {
    // Who holds a pending offer today: read-only, to drive the simulation; every action goes through the API.
    const pending: { id: string; influencer_id: string; campaign_id: string }[] = await ds.query(
      `SELECT id, influencer_id, campaign_id FROM offers WHERE status = 'pending' AND expires_at > now() ORDER BY id`,
    );
    const todays = pending.filter(() => rand() < 0.18);
    const sales: { c: (typeof campaigns)[number]; clickId: string }[] = [];
    await pool(todays, 12, async (o) => {
      const c = campaigns.find((x) => x.id === o.campaign_id)!;
      const token = tokens.sign(o.influencer_id);
      if (rand() < 0.12) {
        await api.call('POST', `/v1/me/offers/${o.id}/decline`, { token });
        stats.declines++;
        return;
      }
      if (c.spec.perk.kind === 'product') {
        await api.call('PATCH', '/v1/me', {
          token,
          body: {
            shippingAddress: {
              line1: `${100 + Math.floor(rand() * 900)} Demo Street`,
              city: 'Springfield',
              postalCode: '12345',
              country: 'US',
            },
          },
        });
      }
      const claim = await api.call('POST', `/v1/me/offers/${o.id}/claim`, { token });
      if (claim.status !== 201) return; // sold out, paused or expired in the meantime: the product said so
      stats.claims++;
      const { code, id: claimId } = claim.body.claim as { code: string; id: string };
      if (rand() < 0.85) {
        const disclosed = rand() < 0.85;
        const text = disclosed
          ? `${pick(DISCLOSED)} Loving my ${c.spec.perk.title.toLowerCase()} from ${c.brand}!`
          : `Loving my ${c.spec.perk.title.toLowerCase()} from ${c.brand}!`;
        await api.ok('POST', `/v1/me/claims/${claimId}/shares`, {
          token,
          body: {
            url: `https://twitter.com/demo/status/${SEED}${day}${claimId.slice(0, 8)}`,
            network: 'twitter',
            text,
          },
        });
        stats.shares++;
        const visitors = 3 + Math.floor(rand() * 25);
        for (let v = 0; v < visitors; v++) {
          const bot = rand() < 0.15;
          const ip = `198.51.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`;
          const headers = { 'user-agent': bot ? pick(BOT_UAS) : pick(HUMAN_UAS), 'x-forwarded-for': ip };
          const r = await api.call(bot && rand() < 0.3 ? 'HEAD' : 'GET', `/r/${code}`, { headers });
          if (bot) {
            stats.bots++;
            continue;
          }
          stats.clicks++;
          const clickId = new URL(r.headers.get('location') ?? 'https://x.invalid').searchParams.get('sway_click');
          if (!clickId || rand() > 0.09) continue;
          // People buy a while after they click; the sale is reported once the day's visits are over.
          sales.push({ c, clickId });
        }
      }
      // Codes also travel without links (a podcast read-out, a screenshot): some sales carry only the code.
      if (rand() < 0.25) {
        await api.ok('POST', '/v1/conversions', {
          token: c.brandKey,
          body: {
            orderId: `ORD-${SEED}-${++orders}`,
            amountCents: c.spec.aov || 50000,
            currency: c.spec.perk.currency,
            code,
          },
        });
        stats.conversions++;
      }
    });
    // Clicks are recorded in batches within a second of the redirect; by now every one of today's is stored.
    await new Promise((r) => setTimeout(r, 1_200));
    await pool(sales, 8, async ({ c, clickId }) => {
      const amount = c.spec.aov || 50000;
      if (rand() < 0.4) {
        // A sale on the brand's own Stripe account, carrying the click in the session's metadata.
        const sessionId = `cs_demo_${++orders}_${SEED}`;
        const pi = `pi_demo_${orders}_${SEED}`;
        await sendStripeEvent(api, stripe, c.stripeAccount, 'checkout.session.completed', {
          id: sessionId,
          object: 'checkout.session',
          amount_total: amount,
          currency: c.spec.perk.currency,
          payment_status: 'paid',
          payment_intent: pi,
          metadata: { sway_click: clickId },
        });
        paidSessions.push({ account: c.stripeAccount, pi, amount });
      } else {
        await api.ok('POST', '/v1/conversions', {
          token: c.brandKey,
          body: { orderId: `ORD-${SEED}-${++orders}`, amountCents: amount, currency: c.spec.perk.currency, clickId },
        });
      }
      stats.conversions++;
    });
    // A few Stripe refunds reverse earlier sales.
    while (paidSessions.length && rand() < 0.35) {
      const s = paidSessions.splice(Math.floor(rand() * paidSessions.length), 1)[0];
      await sendStripeEvent(api, stripe, s.account, 'charge.refunded', {
        id: `ch_demo_${s.pi}`,
        object: 'charge',
        amount: s.amount,
        amount_refunded: s.amount,
        currency: 'usd',
        payment_intent: s.pi,
        refunded: true,
      });
      stats.refunds++;
    }
    bar(`day ${String(day).padStart(2)} of ${DAYS}`, day, DAYS);
  }
  console.log(`  ${JSON.stringify(stats)}`);
  // Let the workers finish what the last day queued (top-ups, Stripe events, click flushes).
  await new Promise((r) => setTimeout(r, 2_500));
}

let eventSeq = 0;
async function sendStripeEvent(
  api: Api,
  stripe: Stripe,
  account: string,
  type: string,
  object: Record<string, unknown>,
): Promise<void> {
  const payload = JSON.stringify({
    id: `evt_demo_${SEED}_${++eventSeq}`,
    object: 'event',
    api_version: '2024-06-20',
    created: Math.floor(Date.now() / 1000),
    type,
    account,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  });
  const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
  await api.ok('POST', '/v1/webhooks/stripe', { body: payload, headers: { 'stripe-signature': signature } });
}

async function summary(api: Api, brandKeys: Map<string, string>): Promise<void> {
  step('Campaign funnels (GET /v1/campaigns/{id}/report)');
  const rows: string[][] = [];
  for (const b of BRANDS) {
    const key = brandKeys.get(b.email)!;
    const list = await api.ok('GET', '/v1/campaigns', { token: key });
    for (const c of list.data as { id: string; name: string }[]) {
      const r = await api.ok('GET', `/v1/campaigns/${c.id}/report`, { token: key });
      const f = r.funnel;
      rows.push([
        b.name,
        c.name,
        String(f.eligible),
        String(f.offered),
        String(f.claimed),
        `${f.shares}/${f.disclosedShares}`,
        `${f.clicks}/${f.uniqueClicks}`,
        String(f.conversions),
        `$${(f.revenueCents / 100).toFixed(0)}`,
        `$${(r.cost.totalCents / 100).toFixed(0)}`,
        r.roi === null ? '—' : `${(r.roi * 100).toFixed(0)} %`,
      ]);
    }
  }
  const head = [
    'brand',
    'campaign',
    'eligible',
    'offered',
    'claimed',
    'shares/discl.',
    'clicks/uniq.',
    'conv.',
    'revenue',
    'cost',
    'ROI',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]): string =>
    r.map((x, i) => (i < 2 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  console.log(`  ${fmt(head)}\n  ${widths.map((w) => '─'.repeat(w)).join('  ')}`);
  for (const r of rows) console.log(`  ${fmt(r)}`);

  const base = env.PUBLIC_BASE_URL;
  console.log(`\n  Dashboard:  ${base}/dashboard`);
  for (const b of BRANDS) console.log(`  ${b.name.padEnd(20)} key: ${brandKeys.get(b.email)}`);
  console.log(`  API docs:   ${base}/docs`);
}

/**
 * One console sign-in per demo brand: its owner's email and a known password (re-runs reset it). Nothing is
 * signed in; the person types these at /console/login.
 */
async function consoleOwners(ds: DataSource, teams: TeamsService): Promise<void> {
  const base = env.PUBLIC_BASE_URL;
  console.log(`\n  Brand console: ${base}/console/login`);
  for (const b of BRANDS) {
    const [{ id }] = await ds.query(`SELECT id FROM brands WHERE email = $1 ORDER BY created_at LIMIT 1`, [b.email]);
    const password = `sway-demo-${b.name
      .toLowerCase()
      .replace(/[^a-z]+/g, '-')
      .replace(/-+$/, '')}`;
    await teams.provisionOwner(id, b.email, password, `${b.name} owner`);
    console.log(`  ${b.name.padEnd(20)} email: ${b.email}  password: ${password}`);
  }
}

const DEMO_MEMBER = { email: 'demo-member@example.com', password: 'sway-demo-member' };

/**
 * Synthetic members cannot sign in (no password). One of them — scored, with the most pending offers — gets a
 * known email and password so the member app can be tried in a browser. Re-runs reuse the same person.
 */
async function demoMember(ds: DataSource): Promise<void> {
  const hash = await argon2.hash(DEMO_MEMBER.password, { type: argon2.argon2id });
  const existing = await ds.query(`SELECT id FROM influencers WHERE email = $1 AND status = 'active'`, [
    DEMO_MEMBER.email,
  ]);
  if (existing.length) {
    await ds.query(`UPDATE influencers SET password_hash = $2 WHERE id = $1`, [existing[0].id, hash]);
  } else {
    await ds.query(
      `UPDATE influencers SET email = $1, display_name = 'Dana Demo', password_hash = $2
        WHERE id = (SELECT i.id FROM influencers i JOIN scores s ON s.influencer_id = i.id AND s.topic_id = 0
                     WHERE i.status = 'active'
                     ORDER BY (SELECT count(*) FROM offers o WHERE o.influencer_id = i.id AND o.status = 'pending') DESC,
                              s.score DESC
                     LIMIT 1)`,
      [DEMO_MEMBER.email, hash],
    );
  }
  const base = env.PUBLIC_BASE_URL;
  console.log(`\n  Member app: ${base}/login`);
  console.log(`  Demo member          email: ${DEMO_MEMBER.email}  password: ${DEMO_MEMBER.password}`);
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
