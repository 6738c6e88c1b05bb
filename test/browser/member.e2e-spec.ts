import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { createBrand } from '../factories/brands';
import { activeCampaign } from '../factories/claims';
import { createMember, linkAccount, TestMember } from '../factories/influencers';
import { webDistDir } from '../../src/common/web/web-app';
import { ensureWebBuilt, launchChromium } from '../support/browser';
import { TestApp, startTestApp } from '../support/test-app';

/** Screenshots of every page at both sizes (named in the README). */
const SHOTS = join(__dirname, '..', 'artifacts', 'web');
const PASSWORD = 'correct horse battery staple';
const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1440, height: 900 } } as const;
const MEMBER_PAGES = ['/me', '/me/score', '/me/offers', '/me/perks', '/me/privacy'];

jest.setTimeout(120_000);

/**
 * The member app in a real headless Chromium against the real server, Postgres and Redis: every journey of
 * web.md's member section, axe on every page at both sizes, no horizontal scrolling, the first-load budget.
 */
describe('member app (headless Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let demo: TestMember;
  const errors: string[] = [];
  const axeReport: Record<string, { serious: number; critical: number; other: number }> = {};

  async function newContext(viewport: { width: number; height: number } = VIEWPORTS.desktop): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport, acceptDownloads: true });
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    return ctx;
  }
  function watch(page: Page): Page {
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    page.on('console', (m) => {
      // The browser logs every 4xx answer (401 signed out, 422 for the minor) as a failed resource; those are
      // journeys under test. Anything else (CSP violations, exceptions) is a bug.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        errors.push(`${page.url()}: ${m.text()}`);
    });
    return page;
  }
  async function signIn(ctx: BrowserContext, email = demo.email): Promise<Page> {
    const page = watch(await ctx.newPage());
    await page.goto(`${base}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/me`);
    return page;
  }
  /** axe (serious and critical must be none), no horizontal scroll, and a full-page screenshot. */
  async function check(page: Page, name: string, size: keyof typeof VIEWPORTS): Promise<void> {
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
    await page.screenshot({
      path: join(SHOTS, `${name.replace(/\W+/g, '-').replace(/^-|-$/g, '') || 'root'}-${size}.png`),
      fullPage: true,
    });
  }

  beforeAll(async () => {
    ensureWebBuilt();
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp({ PUBLIC_BASE_URL: 'http://127.0.0.1' });
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();

    // The demo member: scored (with history), a linked account, three pending offers of three kinds.
    demo = await createMember(t, { displayName: 'Dana Demo', matching: true });
    await linkAccount(t, demo, 'instagram', 'dana-demo', 'dana.demo');
    const topic = async (slug: string): Promise<number> =>
      (await t.db.query(`SELECT id FROM topics WHERE slug = $1`, [slug]))[0].id;
    const factors = JSON.stringify({ reach: 900, amplification: 120, network: 60, audience: 4000 });
    for (const [topicId, score] of [
      [0, 62],
      [await topic('coffee'), 71],
      [await topic('running'), 44],
    ]) {
      await t.db.query(
        `INSERT INTO scores (influencer_id, topic_id, score, target, base_score, base_day, percentile, reactors,
                             published, factors, model_version, computed_at, run_id)
         VALUES ($1, $2, $3, $3, $3, current_date, 81.4, 64, true, $4::jsonb, 'v1', now(), gen_random_uuid())`,
        [demo.id, topicId, score, factors],
      );
    }
    const history: [number, number, string][] = [
      [20, 48, 'first_score'],
      [15, 51, 'daily'],
      [10, 54, 'daily'],
      [5, 58, 'daily'],
      [1, 62, 'daily'],
    ];
    for (const [daysAgo, overall, reason] of history) {
      await t.db.query(
        `INSERT INTO score_history (influencer_id, at, overall, model_version, reason, run_id)
         VALUES ($1, now() - make_interval(days => $2), $3, 'v1', $4, gen_random_uuid())`,
        [demo.id, daysAgo, overall, reason],
      );
    }
    const brand = await createBrand(t, 'Blue Bottle');
    const perks = [
      { title: 'Espresso sampler', description: 'Three 250 g bags, shipped to you', kind: 'product' },
      { title: '20 % off beans', description: 'A discount code for the online shop', kind: 'discount' },
      { title: 'Cupping session', description: 'An evening at the roastery', kind: 'experience' },
    ];
    for (const perk of perks) {
      const id = await activeCampaign(t, brand, {
        name: perk.title,
        perk: { ...perk, unitCostCents: 1800, currency: 'usd' },
      });
      await t.db.query(
        `INSERT INTO offers (campaign_id, influencer_id, status, match_score, expires_at)
         VALUES ($1, $2, 'pending', 60, now() + interval '50 hours')`,
        [id, demo.id],
      );
    }
  });
  afterAll(async () => {
    writeFileSync(join(SHOTS, 'axe.json'), JSON.stringify(axeReport, null, 2));
    await browser?.close();
    await t?.close();
  });

  it('serves the app at its paths with a strict CSP, and keeps API 404s, /docs and /dashboard', async () => {
    const res = await t.http.get('/me/score').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const csp = res.headers['content-security-policy'];
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.text).not.toMatch(/<script>(?!<)/);
    const api404 = await t.http.get('/v1/no-such-thing').expect(404);
    expect(api404.headers['content-type']).toMatch(/problem\+json/);
    await t.http.get('/no-such-page').expect(404);
    await t.http.get('/docs').expect(200);
    await t.http.get('/dashboard').expect(302).expect('location', '/console');
    await t.http.get('/health').expect(200);
  });

  it('join: purposes before consents, both off; a minor is refused kindly and nothing is stored; the new member sees how a score comes about', async () => {
    const ctx = await newContext(VIEWPORTS.phone);
    const page = watch(await ctx.newPage());
    await page.goto(`${base}/join`);
    expect(await page.getByLabel('Match me with perks').isChecked()).toBe(false);
    expect(await page.getByLabel('Share my stats with brands').isChecked()).toBe(false);
    await page.getByText('does not keep your birth date').waitFor();
    await check(page, '/join', 'phone');
    const minor = `minor.${Date.now()}@example.com`;
    await page.getByLabel('Email').fill(minor);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Display name').fill('Young One');
    await page.getByLabel('Date of birth').fill('2015-06-01');
    await page.getByLabel('Country').selectOption('GB');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('you need to be 18 or older').waitFor();
    expect(await t.db.query(`SELECT 1 FROM influencers WHERE lower(email) = $1`, [minor])).toHaveLength(0);

    await page.goto(`${base}/join`);
    const email = `new.${Date.now()}@example.com`;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Display name').fill('Nia New');
    await page.getByLabel('Date of birth').fill('1994-02-03');
    await page.getByLabel('Match me with perks').check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${base}/me`);
    await page.getByText('No score yet').waitFor();
    await page.getByText('once a day').first().waitFor();
    await check(page, '/me-empty', 'phone');
    const [row] = await t.db.query(`SELECT consent_matching, consent_share_stats FROM influencers WHERE email = $1`, [
      email,
    ]);
    expect(row).toEqual({ consent_matching: true, consent_share_stats: false });
    // No token anywhere in script-readable storage; the session cookie is HttpOnly.
    expect(await page.evaluate(`localStorage.length + sessionStorage.length`)).toBe(0);
    expect(await page.evaluate(`document.cookie`)).toBe('');
    const cookie = (await ctx.cookies()).find((c) => c.name === 'sway_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${base}/me`);
    await page.waitForURL(/\/login\?next=/);
    await ctx.close();
  });

  it('login, score (factors, chart, model notes, what it is not), hide a topic by keyboard', async () => {
    const ctx = await newContext();
    const page = watch(await ctx.newPage());
    await page.goto(`${base}/login`);
    await page.getByLabel('Email').fill(demo.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong email or password').waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/me`);
    await page.getByText('3', { exact: true }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Score' }).click();
    await page.getByRole('heading', { name: /score/i, level: 1 }).waitFor();
    await page.getByLabel('Overall score 62 out of 100').waitFor();
    await page.getByText('Higher than').first().waitFor();
    await page
      .getByText(/Reach.*/)
      .first()
      .waitFor();
    await page
      .getByText(/adds [\d.]+ points/)
      .first()
      .waitFor();
    await page.getByText('What your score is not').waitFor();
    await page.getByText(/comes from model v1/).waitFor();
    await page.waitForSelector('canvas[role="img"][height]');
    // Keyboard only: focus the topic's button and press Enter.
    const hide = page.getByRole('button', { name: 'Hide Coffee' });
    await hide.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Show Coffee' }).waitFor();
    const scores = await t.http.get('/v1/me/scores').set(demo.auth).expect(200);
    expect(scores.body.topics.find((x: { slug: string }) => x.slug === 'coffee').hidden).toBe(true);
    await page.getByRole('button', { name: 'Show Coffee' }).click();
    await page.getByRole('button', { name: 'Hide Coffee' }).waitFor();
    await ctx.close();
  });

  it('offers: claim a discount, decline one, and claim a product after the inline address', async () => {
    const ctx = await newContext(VIEWPORTS.phone);
    const page = await signIn(ctx);
    await page.getByRole('navigation').getByRole('link', { name: 'Offers' }).click();
    await page.getByText('What’s asked of you').first().waitFor();
    await page
      .getByText(/Expires in 2 days/)
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Claim 20 % off beans' }).click();
    await page.getByText('Claimed: 20 % off beans').waitFor();
    await page.getByRole('button', { name: 'Decline Cupping session' }).click();
    await page.getByRole('button', { name: 'Decline Cupping session' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Claim Espresso sampler' }).click();
    await page.getByLabel('Address line 1').fill('1 Market St');
    await page.getByLabel('City').fill('San Francisco');
    await page.getByLabel('Postal code').fill('94105');
    await page.getByRole('textbox', { name: 'Country' }).fill('US');
    await page.getByRole('button', { name: 'Save address' }).click();
    await page.getByText('Claimed: Espresso sampler').waitFor();
    const claims = await t.http.get('/v1/me/claims').set(demo.auth).expect(200);
    expect(claims.body.data).toHaveLength(2);
    await ctx.close();
  });

  it('perks: copy code and link, share with the disclosure check (dialog traps focus, Escape closes)', async () => {
    const ctx = await newContext();
    const page = await signIn(ctx);
    await page.getByRole('navigation').getByRole('link', { name: 'My perks' }).click();
    await page.getByRole('button', { name: 'Copy code: 20 % off beans' }).click();
    await page.getByText('Copied', { exact: true }).first().waitFor();
    const claims = await t.http.get('/v1/me/claims').set(demo.auth).expect(200);
    const discount = claims.body.data.find((c: { perk: { kind: string } }) => c.perk.kind === 'discount');
    expect(await page.evaluate(`navigator.clipboard.readText()`)).toBe(discount.code);
    await page.getByRole('button', { name: 'Copy link: 20 % off beans' }).click();
    expect(await page.evaluate(`navigator.clipboard.readText()`)).toBe(discount.trackingUrl);

    await page.getByRole('button', { name: 'Share 20 % off beans' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    for (let i = 0; i < 12; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(`!!document.activeElement.closest('[role="dialog"]')`)).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Share 20 % off beans' }).click();
    await page.getByLabel('Post URL').fill('https://www.instagram.com/p/demo123');
    await page.getByLabel('Text').fill('Best beans in town');
    await page.getByRole('button', { name: 'Check disclosure' }).click();
    await page.getByText('Disclosure missing').waitFor();
    await page.getByText('#ad').first().waitFor();
    await page.getByText(/FTC/).waitFor();
    await check(page, '/me/perks-share-dialog', 'desktop');
    await page.getByLabel('Text').fill('Best beans in town #ad');
    await page.getByRole('button', { name: 'Check disclosure' }).click();
    await page.getByText('Disclosure found').waitFor();
    await page.getByRole('button', { name: 'Save share' }).click();
    await page.getByText('Saved, with a clear disclosure').waitFor();
    await ctx.close();
  });

  it('every member page: axe clean, no horizontal scroll at 390×844 and 1440×900, screenshots', async () => {
    for (const size of ['phone', 'desktop'] as const) {
      const ctx = await newContext(VIEWPORTS[size]);
      const page = await signIn(ctx);
      for (const path of MEMBER_PAGES) {
        await page.goto(`${base}${path}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.waitForLoadState('networkidle');
        if (path === '/me/score') await page.waitForSelector('canvas[role="img"][height]');
        await check(page, path, size);
      }
      await ctx.close();
      const anon = watch(await (await newContext(VIEWPORTS[size])).newPage());
      await anon.goto(`${base}/login`);
      await anon.getByRole('button', { name: 'Sign in' }).waitFor();
      await check(anon, '/login', size);
      if (size === 'desktop') {
        await anon.goto(`${base}/join`);
        await anon.getByRole('button', { name: 'Create account' }).waitFor();
        await check(anon, '/join', size);
      }
      await anon.context().close();
    }
  });

  it('first load stays under 250 KB of compressed JavaScript', async () => {
    const measure = async (path: string): Promise<number> => {
      const ctx = await newContext();
      const page = await signIn(ctx);
      const scripts = new Set<string>();
      page.on('response', (r) => {
        if (r.request().resourceType() === 'script') scripts.add(r.url());
      });
      await page.goto(`${base}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      const dist = webDistDir()!;
      let bytes = 0;
      for (const url of scripts) bytes += gzipSync(readFileSync(join(dist, new URL(url).pathname))).length;
      await ctx.close();
      return bytes;
    };
    const sizes = { '/me': await measure('/me'), '/me/score': await measure('/me/score') };
    writeFileSync(join(SHOTS, 'bundle.json'), JSON.stringify(sizes, null, 2));
    expect(sizes['/me']).toBeLessThan(250 * 1024);
    expect(sizes['/me/score']).toBeLessThan(250 * 1024);
  });

  it('privacy: consents with history, accounts, export, sessions and sign out everywhere, then erasure', async () => {
    const other = await t.http
      .post('/v1/sessions')
      .send({ kind: 'member', email: demo.email, password: PASSWORD })
      .expect(201);
    const otherCookie = (other.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const ctx = await newContext();
    const page = await signIn(ctx);
    await page.getByRole('navigation').getByRole('link', { name: 'Privacy' }).click();
    const share = page.getByLabel('Share my stats with brands');
    await share.waitFor();
    expect(await share.isChecked()).toBe(false);
    await share.click({ force: true });
    // Waits on the API, not a page predicate: polling a function needs eval, which the CSP forbids.
    for (let i = 0; i < 40; i++) {
      const c = await t.http.get('/v1/me/consents').set(demo.auth).expect(200);
      if (c.body.shareStatsWithBrands) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await page.getByText('History of your choices').click();
    await page.getByText(/Share my stats with brands — on/).waitFor();
    await page.getByText('@dana.demo').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download my data' }).click(),
    ]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(JSON.stringify(exported)).toContain(demo.email);
    await page.getByText('this browser').waitFor();
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL(/\/login/);
    await t.http.get('/v1/me').set('cookie', otherCookie).expect(401);

    const again = await signIn(ctx);
    await again.goto(`${base}/me/privacy`);
    await again.getByRole('button', { name: 'Delete my account' }).click();
    const confirm = again.getByRole('dialog');
    await confirm.waitFor();
    expect(await again.getByRole('button', { name: 'Delete forever' }).isDisabled()).toBe(true);
    await check(again, '/me/privacy-delete-dialog', 'desktop');
    await again.getByLabel('Type DELETE to confirm').fill('DELETE');
    await again.getByRole('button', { name: 'Delete forever' }).click();
    await again.waitForURL(/\/login\?erased=1/);
    await t.http.post('/v1/sessions').send({ kind: 'member', email: demo.email, password: PASSWORD }).expect(401);
    await t.http.get('/v1/me').set(demo.auth).expect(401);
    await ctx.close();
    expect(errors).toEqual([]);
  });
});
