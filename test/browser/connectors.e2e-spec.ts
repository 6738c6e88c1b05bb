import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { createMember, TestMember } from '../factories/influencers';
import { ensureWebBuilt, launchChromium } from '../support/browser';
import { FakeBluesky } from '../support/fake-bluesky';
import { FakeMastodon } from '../support/fake-mastodon';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

const SHOTS = join(__dirname, '..', 'artifacts', 'web');
const PASSWORD = 'correct horse battery staple';
const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1440, height: 900 } } as const;
const ago = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString();

jest.setTimeout(180_000);

/** A port to listen on, known before the app starts: PUBLIC_BASE_URL (the OAuth redirect) must carry it. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * Linking accounts from the member app, in a real headless Chromium against the real server and the fake
 * networks: Bluesky by handle and code, Mastodon through its OAuth redirect and back, each account's sync state,
 * Sync now and Remove, and the score page naming the accounts behind the score. axe clean at both sizes.
 */
describe('member app: linked accounts (headless Chromium, fake Bluesky and Mastodon)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let bsky: FakeBluesky;
  let masto: FakeMastodon;
  const errors: string[] = [];

  function watch(page: Page): Page {
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        errors.push(`${page.url()}: ${m.text()}`);
    });
    return page;
  }
  async function signIn(ctx: BrowserContext, m: TestMember): Promise<Page> {
    const page = watch(await ctx.newPage());
    await page.goto(`${base}/login`);
    await page.getByLabel('Email').fill(m.email);
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
    await page.screenshot({ path: join(SHOTS, `${name.replace(/\W+/g, '-').replace(/^-|-$/g, '')}-${size}.png`) });
  }
  const accounts = async (m: TestMember) =>
    (await t.http.get('/v1/me/social-accounts').set(m.auth).expect(200)).body.data as {
      id: string;
      network: string;
      lastSyncStatus: string | null;
      postsRead: number;
    }[];

  beforeAll(async () => {
    ensureWebBuilt();
    mkdirSync(SHOTS, { recursive: true });
    bsky = await new FakeBluesky().start();
    masto = await new FakeMastodon().start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await startTestApp({ PUBLIC_BASE_URL: base, MASTODON_ALLOW_HTTP: 'true', ...bsky.env });
    await t.app.listen(port, '127.0.0.1');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await bsky?.stop();
    await masto?.stop();
  });
  afterEach(() => expect(errors.splice(0)).toEqual([]));

  it('links Bluesky with the code, Mastodon through its instance, syncs, shows what fed the score, removes', async () => {
    const did = 'did:plc:mayabrowser0000000000000';
    const actor = bsky.addActor('maya.bsky.test', did, {
      followersCount: 420,
      posts: [
        { rkey: '3kb1', text: 'Dialing in a new espresso #coffee', createdAt: ago(2), likers: ['did:plc:f1'] },
        { rkey: '3kb2', text: 'Pour over with a light roast', createdAt: ago(4), likers: ['did:plc:f2'] },
      ],
    });
    masto.addAccount('lena', {
      followers: 77,
      statuses: [{ id: '2001', content: '<p>Trail run #running</p>', createdAt: ago(1), favouritedBy: ['a@b.c'] }],
    });
    const m = await createMember(t, { displayName: 'Maya Link', matching: true });
    const ctx = await browser.newContext({ viewport: VIEWPORTS.desktop });
    const page = await signIn(ctx, m);
    await page.goto(`${base}/me/privacy`);
    await page.getByText('No account linked yet').waitFor();

    // Bluesky: the handle, the code to put in the profile, Verify.
    await page.getByLabel('Bluesky handle').fill('@maya.bsky.test');
    await page.getByRole('button', { name: 'Link Bluesky' }).click();
    const code = (await page.locator('code').first().textContent())!;
    expect(code).toMatch(/^sway-verify-/);
    await page.getByText('Waiting for the code in your profile').waitFor();
    await check(page, '/me/privacy-bluesky-code', 'desktop');
    await page.getByRole('button', { name: 'Verify Bluesky account @maya.bsky.test' }).click();
    await page.getByText('The verification code was not found').waitFor();
    actor.description = `Coffee nerd. ${code}`;
    await page.getByRole('button', { name: 'Verify Bluesky account @maya.bsky.test' }).click();
    await page.getByText('verified', { exact: true }).waitFor();
    await waitFor(async () => (await accounts(m)).find((a) => a.lastSyncStatus === 'ok'), 30_000, 'bluesky sync');
    await page.reload();
    await page.getByText(/2 public posts held/).waitFor();

    // Mastodon: the instance's authorize page approves at once and sends the browser back.
    await page.route(`http://127.0.0.1:${masto.port}/oauth/authorize**`, (route) =>
      route.fulfill({ status: 302, headers: { location: `${base}${masto.authorize(route.request().url(), 'lena')}` } }),
    );
    await page.getByLabel('Mastodon address').fill(`@lena@${masto.host}`);
    await page.getByRole('button', { name: 'Link Mastodon' }).click();
    await page.waitForURL(/\/me\/privacy\?linked=mastodon/);
    await page.getByText('Mastodon account linked').waitFor();
    await waitFor(
      async () => (await accounts(m)).find((a) => a.network === 'mastodon' && a.lastSyncStatus === 'ok'),
      30_000,
      'mastodon sync',
    );
    // A browser coming back with a used or unknown state sees why on the page, not a problem document.
    await page.goto(`${base}/v1/connectors/mastodon/callback?code=x&state=used-or-unknown`);
    await page.waitForURL(/\/me\/privacy\?linkError=expired/);
    await page.getByText('The authorisation took too long or was already used').waitFor();
    await page.goto(`${base}/me/privacy`);
    await page.getByText(/1 public post held/).waitFor();
    await check(page, '/me/privacy-linked', 'desktop');

    // Sync now: queued, and a second one within the minute is refused with the reason.
    const mastoName = `Mastodon account @lena@${masto.host}`;
    await page.getByRole('button', { name: `Sync now ${mastoName}` }).click();
    await page.getByText('Sync queued').waitFor();
    await page.getByRole('button', { name: `Sync now ${mastoName}` }).click();
    await page.getByText(/synced moments ago/).waitFor();

    // The score page names the accounts and what each contributed.
    await page.getByRole('navigation').getByRole('link', { name: 'Score' }).click();
    await page.waitForURL(`${base}/me/score`);
    // The pointer still rests on the nav link it clicked; axe would judge its hover colours.
    await page.mouse.move(0, 0);
    const sources = page.getByRole('region', { name: 'Accounts behind your score' });
    await sources.getByText('@maya.bsky.test').waitFor();
    await sources.getByText(`@lena@${masto.host}`).waitFor();
    const bskyRow = sources.getByRole('row').filter({ hasText: 'maya.bsky.test' });
    expect(await bskyRow.getByRole('cell').nth(1).textContent()).toBe('2');
    await check(page, '/me/score-sources', 'desktop');

    // Remove: the account and what was read through it go.
    await page.goto(`${base}/me/privacy`);
    await page.getByRole('button', { name: 'Remove Bluesky account @maya.bsky.test' }).click();
    await waitFor(async () => (await accounts(m)).length === 1, 10_000, 'unlink');
    await page.getByRole('button', { name: 'Remove Bluesky account @maya.bsky.test' }).waitFor({ state: 'detached' });
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM signal_posts WHERE influencer_id = $1 AND network = 'bluesky'`,
      [m.id],
    );
    expect(n).toBe(0);
    await ctx.close();
  });

  it('`/` is a landing page linking the member app, the console, the dashboard and the API docs', async () => {
    for (const size of ['phone', 'desktop'] as const) {
      const ctx = await browser.newContext({ viewport: VIEWPORTS[size] });
      const page = watch(await ctx.newPage());
      await page.goto(`${base}/`);
      const main = page.getByRole('main');
      for (const [name, href] of [
        ['Join Sway', '/join'],
        ['sign in to the member app', '/login'],
        ['Brand console', '/console'],
        ['Campaign dashboard', '/dashboard'],
        ['API documentation', '/docs'],
      ]) {
        expect(await main.getByRole('link', { name }).getAttribute('href')).toBe(href);
      }
      await check(page, '/landing', size);
      await ctx.close();
    }
  });

  it('fits a phone: the link forms, a pending code and a linked account, axe clean', async () => {
    const did = 'did:plc:phonebrowser000000000000';
    bsky.addActor('pia.bsky.test', did, { followersCount: 12 });
    const m = await createMember(t, { displayName: 'Pia Phone', matching: true });
    const ctx = await browser.newContext({ viewport: VIEWPORTS.phone });
    const page = await signIn(ctx, m);
    await page.goto(`${base}/me/privacy`);
    await page.getByLabel('Bluesky handle').fill('pia.bsky.test');
    await page.getByRole('button', { name: 'Link Bluesky' }).click();
    await page.locator('code').first().waitFor();
    await check(page, '/me/privacy-bluesky-code', 'phone');
    await page.goto(`${base}/me/score`);
    await page.getByRole('region', { name: 'Accounts behind your score' }).getByText('@pia.bsky.test').waitFor();
    await check(page, '/me/score-sources', 'phone');
    await ctx.close();
  });
});
