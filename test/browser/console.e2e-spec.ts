import AxeBuilder from '@axe-core/playwright';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { ClickRecorder } from '../../src/tracking/click-recorder.service';
import { eventually } from '../factories/campaigns';
import { claimFor, clickIdOf, visit } from '../factories/claims';
import { createMember } from '../factories/influencers';
import { insertMembers, setScores } from '../factories/scores';
import { webDistDir } from '../../src/common/web/web-app';
import { ensureWebBuilt, launchChromium } from '../support/browser';
import { FakeStripe } from '../support/fake-stripe';
import { TestApp, bearer, startTestApp } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';

const SHOTS = join(__dirname, '..', 'artifacts', 'web');
const DOCS_SHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');
const PASSWORD = 'correct horse battery staple';
const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1440, height: 900 } } as const;

// Generous: the browser suite shares two cores with everything else in CI.
jest.setTimeout(300_000);

/**
 * The brand console in a real headless Chromium against the real server, Postgres, Redis and a fake Stripe:
 * every console journey of web.md, signup → funded campaign → report without an API key, the role matrix
 * through the UI (and the API refusing the same things), two brands side by side, axe on every page at both
 * sizes. One app and one browser for the whole file; the tests run in order and build on each other.
 */
describe('brand console (headless Chromium)', () => {
  let t: TestApp;
  let fake: FakeStripe;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let base: string;
  const errors: string[] = [];
  const axeReport: Record<string, { serious: number; critical: number; other: number }> = {};
  const stamp = Date.now();
  const owner = { email: `owner.${stamp}@roastery.example`, brand: 'Roastery Co' };
  const rival = { email: `owner.${stamp}@rival.example`, brand: 'Rival Beans' };
  let campaignId = '';
  let ownerCtx: BrowserContext;
  let ownerPage: Page;
  const invited: Record<string, { email: string; url: string }> = {};

  async function newContext(viewport: { width: number; height: number } = VIEWPORTS.desktop): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport, acceptDownloads: true });
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    return ctx;
  }
  function watch(page: Page): Page {
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    page.on('console', (m) => {
      // 4xx answers (401 signed out, 403/404 in the role and tenancy checks) are journeys under test.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        errors.push(`${page.url()}: ${m.text()}`);
    });
    return page;
  }
  async function signIn(ctx: BrowserContext, email: string, path = '/console'): Promise<Page> {
    const page = watch(await ctx.newPage());
    await page.goto(`${base}/console/login?next=${encodeURIComponent(path)}`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}${path}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    return page;
  }
  async function check(page: Page, name: string, size: keyof typeof VIEWPORTS, docs = false): Promise<void> {
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate<number>(
      `document.documentElement.scrollWidth - document.documentElement.clientWidth`,
    );
    expect({ name, size, overflow }).toEqual({ name, size, overflow: 0 });
    const axe = await new AxeBuilder({ page }).analyze();
    const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    axeReport[`${name}@${size}`] = {
      serious: axe.violations.filter((v) => v.impact === 'serious').length,
      critical: axe.violations.filter((v) => v.impact === 'critical').length,
      other: axe.violations.length - bad.length,
    };
    expect(
      bad.map((v) => `${name}@${size}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
    const file = `${name.replace(/\W+/g, '-').replace(/^-|-$/g, '')}-${size}.png`;
    await page.screenshot({ path: join(SHOTS, file), fullPage: true });
    // Refreshing the committed screenshots is a deliberate act (UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean.
    if (docs && process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(join(SHOTS, file), join(DOCS_SHOTS, file));
  }
  /** The API as the signed-in person of this page: its cookie, and the CSRF token the session hands out. */
  async function apiAs(
    page: Page,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<number> {
    const s = await page.request.get(`${base}/v1/session`);
    const csrf = (await s.json()).csrfToken as string;
    const res = await page.request.fetch(`${base}${path}`, {
      method,
      // No content-type without a body: an empty JSON body is a 400 before any role check.
      headers: {
        'x-csrf-token': csrf,
        origin: base,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      data: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status();
  }
  const deliverPaid = async (sessionId: string): Promise<void> => {
    const { payload, header } = FakeStripe.sign(fake.event('checkout.session.completed', fake.pay(sessionId)));
    await t.http
      .post('/v1/webhooks/stripe')
      .set('content-type', 'application/json')
      .set('stripe-signature', header)
      .send(payload)
      .expect(200);
  };

  beforeAll(async () => {
    ensureWebBuilt();
    mkdirSync(SHOTS, { recursive: true });
    mkdirSync(DOCS_SHOTS, { recursive: true });
    fake = await new FakeStripe().start();
    receiver = new WebhookReceiver();
    await receiver.start();
    t = await startTestApp({
      ...fake.env,
      PUBLIC_BASE_URL: 'http://127.0.0.1',
      WEBHOOKS_ALLOW_INSECURE: 'true',
      TRUST_PROXY: 'true',
    });
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();
    // The audience: 5 coffee people in the US (coffee 60), 3 in Great Britain (coffee 80).
    await insertMembers(t, 5, { country: 'US', coffee: 60 });
    for (const m of await insertMembers(t, 3, { country: 'GB' }))
      await setScores(t, m.id, { overall: 50, topics: { coffee: 80 } });
  });
  afterAll(async () => {
    writeFileSync(join(SHOTS, 'console-axe.json'), JSON.stringify(axeReport, null, 2));
    await browser?.close();
    await t?.close();
    await fake?.stop();
    await receiver?.stop();
  });

  it('/dashboard sends the old bookmark to the console, and the console asks a stranger to sign in', async () => {
    await t.http.get('/dashboard').expect(302).expect('location', '/console');
    await t.http
      .get('/dashboard?campaign=5b0b7a3e-8d1a-4c59-9a55-2f0d1f3b6a11&funding=success')
      .expect(302)
      .expect('location', '/console/campaigns/5b0b7a3e-8d1a-4c59-9a55-2f0d1f3b6a11?funding=success');
    const ctx = await newContext(VIEWPORTS.phone);
    const page = watch(await ctx.newPage());
    await page.goto(`${base}/dashboard`);
    await page.waitForURL(/\/console\/login\?next=%2Fconsole$/);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await check(page, '/console/login', 'phone');
    await ctx.close();
  });

  it('signup → new campaign with a live estimate → Stripe Checkout and back → live when the webhook lands', async () => {
    ownerCtx = await newContext();
    const page = watch(await ownerCtx.newPage());
    ownerPage = page;
    await page.goto(`${base}/console/signup`);
    await check(page, '/console/signup', 'desktop');
    await page.getByLabel('Brand name').fill(owner.brand);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create brand' }).click();
    await page.waitForURL(`${base}/console`);
    await page.getByText('No campaigns yet').waitFor();
    await check(page, '/console-empty', 'desktop');
    // No token in script-readable storage; the session cookie is HttpOnly.
    expect(await page.evaluate(`localStorage.length + sessionStorage.length + document.cookie.length`)).toBe(0);

    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.waitForURL(`${base}/console/campaigns/new`);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Espresso launch');
    await page.getByLabel('Perk title').fill('Espresso sampler');
    await page.getByLabel('Perk description').fill('Three 250 g bags, shipped to you');
    await page.getByLabel('Perk kind').selectOption('product');
    await page.getByLabel('Unit cost').fill('18');
    await page.getByLabel('Inventory').fill('4');
    await page.getByLabel('Landing URL').fill('https://roastery.example/espresso');
    const estimate = page.getByRole('status', { name: 'Audience estimate' });
    await estimate.getByText('at least one topic').waitFor();
    await page.getByRole('searchbox', { name: 'Topics' }).fill('coffee');
    await page.getByRole('button', { name: 'Add topic Coffee', exact: true }).click();
    await estimate.getByText('8 members eligible now').waitFor();
    await page.getByLabel('Coffee threshold').fill('70');
    await estimate.getByText('3 members eligible now').waitFor();
    await page.getByLabel('Coffee threshold').fill('30');
    await page.getByRole('combobox', { name: 'Countries' }).fill('United States');
    await page.getByRole('option', { name: 'United States' }).click();
    await estimate.getByText('5 members eligible now').waitFor();
    await page.keyboard.press('Escape');
    await check(page, '/console/campaigns/new', 'desktop', true);
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForURL(/\/console\/campaigns\/[0-9a-f-]{36}$/);
    campaignId = page.url().split('/').pop()!;
    await page.getByText('Next: fund the campaign').waitFor();
    // One draft, kept in step while typing: the last targeting is what was saved.
    const list = await t.db.query(`SELECT id FROM campaigns.campaigns WHERE name = 'Espresso launch'`);
    expect(list).toHaveLength(1);

    // Checkout: the browser leaves for Stripe; the fake "pays" and Stripe sends the person back.
    let sessionId = '';
    await page.route('https://checkout.stripe.test/**', async (route) => {
      sessionId = new URL(route.request().url()).pathname.split('/').pop()!;
      const back = new URL(fake.sessions.get(sessionId)!.success_url as string);
      await route.fulfill({ status: 302, headers: { location: `${base}${back.pathname}${back.search}` } });
    });
    await page.getByRole('button', { name: 'Fund' }).click();
    await page.waitForURL(`${base}/console/campaigns/${campaignId}?funding=success`);
    await page.getByText('Waiting for Stripe to confirm').waitFor();
    await deliverPaid(sessionId);
    await page.getByText('Funded — the campaign is live').waitFor({ timeout: 20_000 });
    await page.getByLabel('Status: Active').waitFor();
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    expect(await page.getByRole('button', { name: 'Fund' }).count()).toBe(0);
    await check(page, '/console/campaigns/id-funded', 'desktop', true);
  });

  it('claims: the address only while awaiting shipping, Mark fulfilled → Tracking number → Save', async () => {
    const page = ownerPage;
    const addressed = async (line1: string) => {
      const m = await createMember(t, { matching: true });
      await t.http
        .patch('/v1/me')
        .set(m.auth)
        .send({ shippingAddress: { line1, city: 'San Francisco', postalCode: '94105', country: 'US' } })
        .expect(200);
      return m;
    };
    const member = await addressed('1 Market St');
    const claim = await claimFor(t, campaignId, member);
    await claimFor(t, campaignId, await addressed('2 Mission St'));
    const click = clickIdOf(await visit(t, claim.code, { ip: '192.0.2.10' }));
    await visit(t, claim.code, { ip: '192.0.2.11' });
    await t.app.get(ClickRecorder).flush();

    await page.getByRole('navigation', { name: 'Campaign' }).getByRole('link', { name: 'Claims' }).click();
    await page.waitForURL(`${base}/console/campaigns/${campaignId}/claims`);
    await page.getByText('1 Market St').waitFor();
    expect(await page.getByText('Awaiting shipping').count()).toBe(2);
    await check(page, '/console/campaigns/id/claims', 'desktop', true);
    const card = page.getByRole('listitem').filter({ hasText: '1 Market St' });
    await card.getByRole('button', { name: /Mark fulfilled/ }).click();
    await page.getByLabel('Tracking number').fill('1Z999AA10123456784');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('tracking 1Z999AA10123456784').waitFor();
    // Fulfilled: its address is gone from the page; the other claim still awaits shipping with its address.
    expect(await page.getByText('1 Market St').count()).toBe(0);
    await page.getByText('2 Mission St').waitFor();
    const mine = await t.http.get('/v1/me/claims').set(member.auth).expect(200);
    expect(mine.body.data.find((c: { id: string }) => c.id === claim.id)).toMatchObject({
      status: 'fulfilled',
      trackingNumber: '1Z999AA10123456784',
    });

    // A sale on the member's click, reported by the brand's shop with a key the owner creates in the console.
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.getByRole('textbox', { name: 'New API key' }).inputValue();
    expect(secret).toMatch(/^sk_/);
    await t.http
      .post('/v1/conversions')
      .set(bearer(secret))
      .send({ orderId: 'o-1', amountCents: 9_900, currency: 'usd', clickId: click })
      .expect(201);
  });

  it('report: funnel with rates, cost, revenue net of refunds, ROI/ROAS/CPA, budget, daily chart, per-claim table, CSV', async () => {
    const page = ownerPage;
    await page.goto(`${base}/console/campaigns/${campaignId}/report`);
    await page.getByRole('heading', { name: 'Report' }).waitFor();
    await page.getByText('Revenue (net of refunds)').waitFor();
    // 2 claims of $18 + 10 % fee = $39.60; $99.00 of sales.
    await page.getByText('$39.60', { exact: true }).first().waitFor();
    await page.getByText('$99.00', { exact: true }).first().waitFor();
    await page.getByText('150%').first().waitFor(); // ROI (99 − 39.6) / 39.6
    await page.getByText('2.50×').waitFor(); // ROAS
    await page.getByText('Cost per acquisition').waitFor();
    await page.getByText('Conversion rate').waitFor();
    await page.getByText('Funded', { exact: true }).first().waitFor();
    await page
      .getByText(/pseudonym/)
      .first()
      .waitFor();
    await page.getByRole('table', { name: 'Funnel' }).waitFor();
    await page.getByRole('table', { name: 'Per claim and post' }).waitFor();
    await page.waitForSelector('canvas[role="img"][height]');
    await page.getByRole('textbox', { name: 'From' }).fill('2000-01-01');
    await page.getByRole('textbox', { name: 'From' }).fill(new Date().toISOString().slice(0, 10));
    await page.waitForSelector('canvas[role="img"][height]');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(3); // header + 2 claims
    await check(page, '/console/campaigns/id/report', 'desktop', true);
    await page.getByRole('navigation', { name: 'Campaign' }).getByRole('link', { name: 'Offers' }).click();
    await page.getByRole('heading', { name: 'Offers' }).waitFor();
    await check(page, '/console/campaigns/id/offers', 'desktop');
  });

  it('pause and resume by keyboard with a confirmation dialog (Escape keeps it as it is)', async () => {
    const page = ownerPage;
    await page.goto(`${base}/console/campaigns/${campaignId}`);
    const pause = page.getByRole('button', { name: 'Pause', exact: true });
    await pause.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByText('No new offers go out while paused').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByLabel('Status: Active').waitFor();
    await pause.focus();
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Yes, pause it' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Status: Paused').waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, resume it' }).click();
    await page.getByLabel('Status: Active').waitFor();
    expect(await page.getByRole('button', { name: 'Close', exact: true }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Cancel', exact: true }).count()).toBe(0);
  });

  it('team: invite by email with a role (the link shown without SMTP), role change, and the audit log', async () => {
    const page = ownerPage;
    await page.goto(`${base}/console/team`);
    await page.getByText('Only you so far').waitFor();
    for (const role of ['admin', 'analyst', 'billing'] as const) {
      await page.getByRole('button', { name: 'Invite' }).click();
      const email = `${role}.${stamp}@roastery.example`;
      await page.getByLabel('Email').fill(email);
      await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption(role);
      await page.getByRole('button', { name: 'Send invite' }).click();
      const link = await page.getByRole('textbox', { name: 'Invitation link' }).inputValue();
      expect(link).toMatch(/\/console\/invitations\//);
      invited[role] = { email, url: `${base}${new URL(link).pathname}` };
      await page.getByRole('button', { name: 'Done' }).click();
    }
    await check(page, '/console/team', 'desktop', true);
    for (const role of ['admin', 'analyst', 'billing'] as const) {
      const ctx = await newContext(VIEWPORTS.phone);
      const p = watch(await ctx.newPage());
      await p.goto(invited[role].url);
      await p.getByLabel('Password').fill(PASSWORD);
      await p.getByRole('button', { name: 'Accept invitation' }).click();
      await p.waitForURL(`${base}/console`);
      await p.getByText(invited[role].email).waitFor();
      await ctx.close();
    }
    await page.reload();
    await page.getByText(invited.billing.email).waitFor();
    // The owner makes the billing person an analyst and back.
    const roleOf = page.getByLabel(`Access of ${invited.billing.email}`);
    await roleOf.selectOption('analyst');
    await page.waitForLoadState('networkidle');
    await expectRole(invited.billing.email, 'analyst');
    await roleOf.selectOption('billing');
    await page.waitForLoadState('networkidle');
    await expectRole(invited.billing.email, 'billing');
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('table', { name: 'Audit log' }).waitFor();
    await page.getByText(/invit/i).first().waitFor();
    await page
      .getByText(/campaign/i)
      .first()
      .waitFor();
    await check(page, '/console/audit-log', 'desktop', true);
  });

  it('role matrix: each role sees and can do exactly what the permission table says, and the API agrees', async () => {
    // A draft for the funding and cancel checks.
    const draft = await t.http
      .post('/v1/campaigns')
      .set(bearer(await ownerKey()))
      .send({
        name: 'Draft for roles',
        perk: { title: 'Mug', description: 'A mug', kind: 'product', unitCostCents: 900, currency: 'usd' },
        inventory: 2,
        targeting: { topics: [{ slug: 'coffee', minScore: 30 }], match: 'any' },
        landingUrl: 'https://roastery.example/mug',
      })
      .expect(201);
    const expectations = {
      admin: {
        nav: ['Campaigns', 'Team', 'API keys', 'Webhooks', 'Audit log'],
        newCampaign: true,
        fund: true,
        pause: true,
        tabs: ['Report', 'Claims', 'Offers'],
        fulfil: true,
        invite: true,
      },
      analyst: {
        nav: ['Campaigns', 'Team', 'Audit log'],
        newCampaign: false,
        fund: false,
        pause: false,
        tabs: ['Report', 'Claims', 'Offers'],
        fulfil: false,
        invite: false,
      },
      billing: {
        nav: ['Campaigns', 'Team'],
        newCampaign: false,
        fund: true,
        pause: false,
        tabs: [],
        fulfil: false,
        invite: false,
      },
    } as const;
    for (const [role, e] of Object.entries(expectations)) {
      const ctx = await newContext();
      const page = await signIn(ctx, invited[role].email);
      const nav = page.getByRole('navigation', { name: 'Console' });
      // The links follow the session's permissions, which arrive after the first paint: wait for them.
      await nav.getByRole('link', { name: 'Campaigns' }).waitFor();
      const links = await nav.getByRole('link').allInnerTexts();
      expect({ role, links }).toEqual({ role, links: e.nav });
      expect({ role, newCampaign: await page.getByRole('link', { name: 'New campaign' }).count() }).toEqual({
        role,
        newCampaign: e.newCampaign ? 1 : 0,
      });
      await page.goto(`${base}/console/campaigns/${campaignId}`);
      await page.getByLabel('Status: Active').waitFor();
      expect({ role, pause: await page.getByRole('button', { name: 'Pause' }).count() }).toEqual({
        role,
        pause: e.pause ? 1 : 0,
      });
      const tabs = await page
        .getByRole('navigation', { name: 'Campaign' })
        .getByRole('link')
        .allInnerTexts()
        .catch(() => []);
      expect({ role, tabs }).toEqual({ role, tabs: [...e.tabs] });
      if (e.tabs.length) {
        await page.goto(`${base}/console/campaigns/${campaignId}/claims`);
        await page.getByText('Awaiting shipping').first().waitFor();
        expect({ role, fulfil: await page.getByRole('button', { name: /Mark fulfilled/ }).count() }).toEqual({
          role,
          fulfil: e.fulfil ? 1 : 0,
        });
        if (role === 'analyst') await check(page, '/console/campaigns/id/claims-analyst', 'desktop');
      }
      await page.goto(`${base}/console/campaigns/${draft.body.id}`);
      await page.getByLabel('Status: Draft').waitFor();
      expect({ role, fund: await page.getByRole('button', { name: 'Fund' }).count() }).toEqual({
        role,
        fund: e.fund ? 1 : 0,
      });
      await page.goto(`${base}/console/team`);
      await page.getByRole('table', { name: 'Team members' }).waitFor();
      expect({ role, invite: await page.getByRole('button', { name: 'Invite' }).count() }).toEqual({
        role,
        invite: e.invite ? 1 : 0,
      });
      if (role === 'admin') {
        await page.getByRole('button', { name: 'Invite' }).click();
        const options = await page
          .getByRole('combobox', { name: 'Role', exact: true })
          .locator('option')
          .allInnerTexts();
        expect(options).toEqual(['Admin', 'Analyst', 'Billing']);
      }
      if (role !== 'admin') {
        await page.goto(`${base}/console/keys`);
        await page.getByText('Your role cannot manage API keys').waitFor();
      }
      // The API refuses what the page hides.
      const create = await apiAs(page, 'POST', '/v1/campaigns', {
        name: 'x',
        perk: { title: 'x', description: 'x', kind: 'discount', unitCostCents: 100, currency: 'usd' },
        inventory: 1,
        targeting: { topics: [{ slug: 'coffee', minScore: 30 }], match: 'any' },
        landingUrl: 'https://roastery.example/x',
      });
      expect({ role, create }).toEqual({ role, create: e.newCampaign ? 201 : 403 });
      const pauseApi = await apiAs(page, 'POST', `/v1/campaigns/${draft.body.id}/pause`);
      // Allowed roles reach the state machine (a draft cannot be paused: 409); the others stop at the role.
      expect({ role, pauseApi }).toEqual({ role, pauseApi: e.pause ? 409 : 403 });
      const keys = await apiAs(page, 'GET', '/v1/brands/me/api-keys');
      expect({ role, keys }).toEqual({ role, keys: role === 'admin' ? 200 : 403 });
      const report = await apiAs(page, 'GET', `/v1/campaigns/${campaignId}/report`);
      expect({ role, report }).toEqual({ role, report: e.tabs.length ? 200 : 403 });
      await ctx.close();
    }
  });

  it('keys: the secret shown once, the key works, Revoke stops it at once', async () => {
    const page = ownerPage;
    await page.goto(`${base}/console/keys`);
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.getByRole('textbox', { name: 'New API key' }).inputValue();
    await t.http.get('/v1/brands/me').set(bearer(secret)).expect(200);
    await check(page, '/console/keys', 'desktop', true);
    await page.reload();
    await page.getByRole('table', { name: 'API keys' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'New API key' }).count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    const prefix = secret.slice(0, 8);
    const row = page
      .getByRole('row')
      .filter({ hasText: prefix.slice(0, 6) })
      .first();
    await row.getByRole('button', { name: /Revoke/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, revoke it' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await eventually(async () =>
      (await t.http.get('/v1/brands/me').set(bearer(secret))).status === 401 ? true : undefined,
    );
  });

  it('webhooks: Add endpoint → URL, events, Save (secret once); Send test; deliveries with Resend', async () => {
    const page = ownerPage;
    await page.goto(`${base}/console/webhooks`);
    await page.getByText('No endpoints yet').waitFor();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByLabel('URL').fill(receiver.url('/sway'));
    await page.getByRole('checkbox', { name: 'claim.created' }).check();
    await page.getByRole('checkbox', { name: 'claim.fulfilled' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    const secret = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: /Send test/ }).click();
    await eventually(async () => (receiver.received.some((r) => r.path === '/sway') ? true : undefined), 20_000);
    await page.reload();
    const resend = page.getByRole('button', { name: /Resend/ }).first();
    await resend.waitFor({ timeout: 20_000 });
    const before = receiver.received.filter((r) => r.path === '/sway').length;
    await resend.click();
    await page.getByText('Queued again').waitFor();
    await eventually(
      async () => (receiver.received.filter((r) => r.path === '/sway').length > before ? true : undefined),
      20_000,
    );
    await check(page, '/console/webhooks', 'desktop', true);
  });

  it('two brands side by side never see each other; an agency switches workspaces', async () => {
    const ctx = await newContext();
    const page = watch(await ctx.newPage());
    await page.goto(`${base}/console/signup`);
    await page.getByLabel('Brand name').fill(rival.brand);
    await page.getByLabel('Email').fill(rival.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create brand' }).click();
    await page.waitForURL(`${base}/console`);
    await page.getByText('No campaigns yet').waitFor();
    await ownerPage.goto(`${base}/console`);
    await ownerPage.getByRole('link', { name: 'Espresso launch' }).waitFor();
    expect(await page.getByText('Espresso launch').count()).toBe(0);
    await page.goto(`${base}/console/campaigns/${campaignId}`);
    await page.getByText('Could not load the campaign').waitFor();
    await page
      .getByText(/not found/i)
      .first()
      .waitFor();
    expect(await apiAs(page, 'GET', `/v1/campaigns/${campaignId}/report`)).toBe(404);

    // The rival invites the roastery's admin (an agency person): they join while signed in and switch.
    await page.goto(`${base}/console/team`);
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.getByLabel('Email').fill(invited.admin.email);
    await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption('analyst');
    await page.getByRole('button', { name: 'Send invite' }).click();
    const link = new URL(await page.getByRole('textbox', { name: 'Invitation link' }).inputValue()).pathname;
    await ctx.close();

    const agency = await newContext(VIEWPORTS.phone);
    const a = await signIn(agency, invited.admin.email);
    await a.goto(`${base}${link}`);
    await a.getByRole('button', { name: 'Accept invitation' }).click();
    await a.waitForURL(`${base}/console`);
    const workspace = a.getByLabel('Workspace');
    await workspace.waitFor();
    await check(a, '/console-agency', 'phone', true);
    const options = await workspace.locator('option').allInnerTexts();
    expect(options.sort()).toEqual([`${owner.brand} (Admin)`, `${rival.brand} (Analyst)`].sort());
    const current = await workspace.inputValue();
    const values: string[] = [];
    for (const o of await workspace.locator('option').all()) values.push((await o.getAttribute('value')) ?? '');
    const target = values.find((v) => v !== current)!;
    const targetLabel = await workspace.locator(`option[value="${target}"]`).innerText();
    await workspace.selectOption(target);
    if (targetLabel.startsWith(rival.brand)) {
      await a.getByText('No campaigns yet').waitFor();
      expect(await a.getByText('Espresso launch').count()).toBe(0);
    } else {
      await a.getByRole('link', { name: 'Espresso launch' }).waitFor();
    }
    await agency.close();
  });

  it('every console page: axe clean and no horizontal scroll on a phone; first load within the shared budget', async () => {
    const ctx = await newContext(VIEWPORTS.phone);
    const page = await signIn(ctx, owner.email);
    const pages = [
      '/console',
      '/console/campaigns/new',
      `/console/campaigns/${campaignId}`,
      `/console/campaigns/${campaignId}/report`,
      `/console/campaigns/${campaignId}/claims`,
      `/console/campaigns/${campaignId}/offers`,
      '/console/team',
      '/console/keys',
      '/console/webhooks',
      '/console/audit-log',
    ];
    for (const path of pages) {
      await page.goto(`${base}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      if (path.endsWith('/report')) await page.waitForSelector('canvas[role="img"][height]');
      await check(page, path.replace(campaignId, 'id'), 'phone', path === `/console/campaigns/${campaignId}/report`);
    }
    await ctx.close();

    const scripts = new Set<string>();
    const c2 = await newContext();
    const p2 = await signIn(c2, owner.email);
    p2.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.add(r.url());
    });
    await p2.goto(`${base}/console/campaigns/${campaignId}/report`);
    await p2.waitForSelector('canvas[role="img"][height]');
    await p2.waitForLoadState('networkidle');
    const dist = webDistDir()!;
    let bytes = 0;
    for (const url of scripts) bytes += gzipSync(readFileSync(join(dist, new URL(url).pathname))).length;
    writeFileSync(join(SHOTS, 'console-bundle.json'), JSON.stringify({ report: bytes }, null, 2));
    expect(bytes).toBeLessThan(250 * 1024);
    await c2.close();
    expect(errors).toEqual([]);
  });

  async function expectRole(email: string, role: string): Promise<void> {
    await eventually(async () => {
      const s = await ownerPage.request.get(`${base}/v1/brands/me/members`);
      const m = ((await s.json()).data as { email: string; role: string }[]).find((x) => x.email === email);
      return m?.role === role ? true : undefined;
    });
  }

  /** A key of the owner's brand for seeding through the API (never needed by the journeys themselves). */
  let cachedKey = '';
  async function ownerKey(): Promise<string> {
    if (cachedKey) return cachedKey;
    const s = await ownerPage.request.get(`${base}/v1/session`);
    const csrf = (await s.json()).csrfToken as string;
    const r = await ownerPage.request.post(`${base}/v1/brands/me/api-keys`, {
      headers: { 'x-csrf-token': csrf, origin: base, 'content-type': 'application/json' },
      data: JSON.stringify({ role: 'admin' }),
    });
    cachedKey = (await r.json()).apiKey as string;
    return cachedKey;
  }
});
