import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { accountHash } from '../../src/scoring/keyed-hash';
import { runScoring, scoredMember, waitFor } from '../factories/contests';
import { TestMember } from '../factories/influencers';
import { ensureWebBuilt, launchChromium } from '../support/browser';
import { ADMIN_TOKEN, TestApp, admin, startTestApp } from '../support/test-app';

const SHOTS = join(__dirname, '..', 'artifacts', 'web');
const PASSWORD = 'correct horse battery staple';
const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1440, height: 900 } } as const;

jest.setTimeout(180_000);

/**
 * Score contests through the pages in a real Chromium (issue 17): a member files from /me/score, the operator
 * resolves in /admin (one upheld with actions, one rejected), and each member reads the answer on their score
 * page. axe on every page state at phone and desktop size.
 */
describe('score contests in the browser (headless Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let a: { m: TestMember; main: string; second: string };
  let b: { m: TestMember; main: string; second: string };
  const errors: string[] = [];

  function watch(page: Page): Page {
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        errors.push(`${page.url()}: ${m.text()}`);
    });
    return page;
  }
  async function signIn(ctx: BrowserContext, email: string): Promise<Page> {
    const page = watch(await ctx.newPage());
    await page.goto(`${base}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/me`);
    return page;
  }
  async function check(page: Page, name: string, size: keyof typeof VIEWPORTS): Promise<void> {
    const overflow = await page.evaluate<number>(
      `document.documentElement.scrollWidth - document.documentElement.clientWidth`,
    );
    expect({ name, size, overflow }).toEqual({ name, size, overflow: 0 });
    const axe = await new AxeBuilder({ page }).analyze();
    const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      bad.map((v) => `${name}@${size}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
    await page.screenshot({
      path: join(SHOTS, `${name.replace(/\W+/g, '-').replace(/^-|-$/g, '')}-${size}.png`),
      fullPage: true,
    });
  }
  async function adminSignIn(size: keyof typeof VIEWPORTS): Promise<Page> {
    const page = watch(await (await browser.newContext({ viewport: VIEWPORTS[size] })).newPage());
    await page.goto(`${base}/admin`);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Contests queue' }).waitFor();
    return page;
  }

  beforeAll(async () => {
    ensureWebBuilt();
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp({ PUBLIC_BASE_URL: 'http://127.0.0.1' });
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();
    a = await scoredMember(t, 'ba');
    b = await scoredMember(t, 'bb');
    await runScoring(t);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(() => {
    expect(errors).toEqual([]);
  });

  it('a member files a topic contest from the score page (desktop), another an overall one (phone)', async () => {
    const ctx = await browser.newContext({ viewport: VIEWPORTS.desktop });
    const page = await signIn(ctx, a.m.email);
    await page.goto(`${base}/me/score`);
    await page.getByRole('button', { name: 'Hide Wine' }).waitFor();
    await page.getByText('You have not contested anything.').waitFor();
    await page.waitForLoadState('networkidle');
    await page.getByRole('button', { name: 'Contest' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByLabel('What do you contest').selectOption('topic');
    await dialog.getByLabel('Topic').selectOption('wine');
    await dialog.getByLabel('Reason').fill('I never post about wine: that account is not mine.');
    await dialog.getByLabel('Evidence links').fill('https://example.com/not-mine');
    await check(page, '/me/score-contest-dialog', 'desktop');
    await dialog.getByRole('button', { name: 'Send contest' }).click();
    await dialog.getByText('Contest sent').waitFor();
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    const list = page.getByRole('list', { name: 'Your contests' });
    await list.getByText('Topic: Wine').waitFor();
    await list.getByText('Waiting for review').waitFor();
    await check(page, '/me/score-contest-open', 'desktop');
    await ctx.close();

    const phone = await browser.newContext({ viewport: VIEWPORTS.phone });
    const pb = await signIn(phone, b.m.email);
    await pb.goto(`${base}/me/score`);
    // The page's first requests settle before the first click (see the history table below).
    await pb.waitForLoadState('networkidle');
    await pb.getByRole('button', { name: 'Contest' }).click();
    const d2 = pb.getByRole('dialog');
    await d2.getByLabel('Reason').fill('My score dropped after a holiday; I was as active as ever.');
    await check(pb, '/me/score-contest-dialog', 'phone');
    await d2.getByRole('button', { name: 'Send contest' }).click();
    await d2.getByText('Contest sent').waitFor();
    await phone.close();
  });

  it('the operator signs in with the admin token (kept in memory only) and sees the queue, oldest first', async () => {
    const bad = watch(await (await browser.newContext({ viewport: VIEWPORTS.phone })).newPage());
    await bad.goto(`${base}/admin`);
    await bad.getByRole('button', { name: 'Sign in' }).waitFor();
    await check(bad, '/admin-sign-in', 'phone');
    await bad.getByLabel('Admin token').fill('not-the-token');
    await bad.getByRole('button', { name: 'Sign in' }).click();
    await bad.getByRole('alert').getByText('Not signed in').waitFor();
    await bad.context().close();

    for (const size of ['phone', 'desktop'] as const) {
      const page = await adminSignIn(size);
      const items = page.getByRole('list', { name: 'Contests' }).getByRole('listitem', { name: /^Contest by mem_/ });
      await items.first().waitFor();
      expect(await items.count()).toBe(2);
      await expect(items.nth(0).getAttribute('aria-label')).resolves.toMatch(/Topic: Wine$/);
      await page.getByRole('heading', { name: 'Fraud overview' }).waitFor();
      await page.getByRole('heading', { name: 'Topics' }).waitFor();
      await page.getByRole('link', { name: 'Queue dashboard (Bull Board)' }).waitFor();
      // Nothing but the session in memory: no token in storage, no cookie.
      expect(await page.evaluate<number>('localStorage.length + sessionStorage.length')).toBe(0);
      expect(await page.context().cookies()).toEqual([]);
      const text = await page.locator('body').innerText();
      for (const secret of [a.m.email, a.m.displayName, b.m.email, b.m.displayName]) expect(text).not.toContain(secret);
      await check(page, '/admin', size);
      await page.context().close();
    }
  });

  it('the operator upholds one (topic removed, account excluded) and rejects the other; members read the answers', async () => {
    const page = await adminSignIn('desktop');
    const items = page.getByRole('list', { name: 'Contests' }).getByRole('listitem');
    const wine = items.filter({ hasText: 'Topic: Wine' });
    await wine.getByLabel('Upheld').check();
    await wine.getByLabel('Remove topic Wine').check();
    const second = accountHash(t.config.hashSecret, 'twitter', a.second).toString('hex');
    await wine.getByLabel(`Exclude twitter account ${second.slice(0, 8)}`).check();
    const upheld = 'You were right: the wine posts came from an account that is not yours, so we removed it.';
    await wine.getByLabel('Answer').fill(upheld);
    await wine.getByRole('button', { name: 'Resolve' }).click();
    await wine.waitFor({ state: 'detached' });

    const overall = items.filter({ hasText: 'Overall score' });
    await overall.getByLabel('Rejected').check();
    const rejected = 'A week without posts lowers reach a little; your score follows your activity and is right.';
    await overall.getByLabel('Answer').fill(rejected);
    await overall.getByRole('button', { name: 'Resolve' }).click();
    await page.getByText('No open contests.').waitFor();
    await page.getByLabel('Status').selectOption('upheld');
    await page.getByRole('list', { name: 'Contests' }).getByText(upheld).waitFor();
    await page.getByText('Audit trail').click();
    await page.getByText(/operator · resolved/).waitFor();
    await check(page, '/admin-upheld', 'desktop');
    await page.context().close();

    const [c] = (await t.http.get('/v1/admin/contests?status=upheld').set(admin).expect(200)).body.data;
    await waitFor(async () => {
      const r = await t.http.get(`/v1/scoring/runs/${c.rescoreRunId}`).set(admin).expect(200);
      return r.body.status === 'succeeded';
    });

    for (const size of ['phone', 'desktop'] as const) {
      const ctx = await browser.newContext({ viewport: VIEWPORTS[size] });
      const pa = await signIn(ctx, a.m.email);
      await pa.goto(`${base}/me/score`);
      const list = pa.getByRole('list', { name: 'Your contests' });
      await list.getByText('Upheld — your score was corrected').waitFor();
      await list.getByText(upheld).waitFor();
      expect(await pa.getByRole('button', { name: 'Hide Wine' }).count()).toBe(0);
      const table = pa.locator('details', { has: pa.getByText('Every change as a table') });
      // The page's requests settle first: in full-suite runs the table was found closed after the click (CI
      // 2026-12-02 and a local run), i.e. the section was rendered anew after it; a probe attribute tells a
      // re-render (probe gone) from a click that did not open it (probe there).
      await pa.waitForLoadState('networkidle');
      await table.evaluate((d: { setAttribute(k: string, v: string): void }) =>
        d.setAttribute('data-probe', 'clicked'),
      );
      await table.locator('summary').click();
      await pa
        .getByRole('cell', { name: new RegExp(`Corrected after your contest: ${upheld}`) })
        .waitFor()
        .catch(async (e: Error) => {
          const open = await table
            .getAttribute('open')
            .then((v) => v !== null)
            .catch(() => 'gone');
          const rows = await table.innerText().catch(() => '(no table)');
          const probe = await table.getAttribute('data-probe').catch(() => 'gone');
          throw new Error(`${e.message}\ndetails open: ${String(open)}, probe: ${String(probe)}\n${rows}`);
        });
      await pa.waitForLoadState('networkidle');
      await check(pa, '/me/score-contest-upheld', size);
      await ctx.close();
    }
    const ctx = await browser.newContext({ viewport: VIEWPORTS.phone });
    const pb = await signIn(ctx, b.m.email);
    await pb.goto(`${base}/me/score`);
    const list = pb.getByRole('list', { name: 'Your contests' });
    await list.getByText('Not upheld').waitFor();
    await list.getByText(rejected).waitFor();
    await check(pb, '/me/score-contest-rejected', 'phone');
    await ctx.close();
  });
});
