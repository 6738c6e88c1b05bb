import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import { ClickRecorder } from '../../src/tracking/click-recorder.service';
import { createBrand, TestBrand } from '../factories/brands';
import { activeCampaign, claimFor, clickIdOf, visit } from '../factories/claims';
import { launchChromium } from '../support/browser';
import { TestApp, startTestApp } from '../support/test-app';

const ARTIFACTS = join(__dirname, '..', 'artifacts');

jest.setTimeout(60_000);

/** The dashboard in a real headless Chromium: a marketer enters the brand key and reads the seeded campaign. */
describe('dashboard (headless Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let brand: TestBrand;
  let campaignId: string;

  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'true' });
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    brand = await createBrand(t, 'Blue Bottle');
    // 2 claims of an $18.00 perk, 10 % fee → $39.60 of cost; 4 human clicks from 3 visitors; $99.00 of sales.
    campaignId = await activeCampaign(t, brand, { name: 'Espresso launch', inventory: 4 });
    const a = await claimFor(t, campaignId);
    const b = await claimFor(t, campaignId);
    const click = clickIdOf(await visit(t, a.code, { ip: '192.0.2.10' }));
    await visit(t, a.code, { ip: '192.0.2.10' });
    await visit(t, a.code, { ip: '192.0.2.11' });
    await visit(t, b.code, { ip: '192.0.2.12' });
    await t.app.get(ClickRecorder).flush();
    await t.http
      .post('/v1/conversions')
      .set(brand.auth)
      .send({ orderId: 'd-1', amountCents: 6_900, currency: 'usd', clickId: click })
      .expect(201);
    await t.http
      .post('/v1/conversions')
      .set(brand.auth)
      .send({ orderId: 'd-2', amountCents: 3_000, currency: 'usd', code: b.code })
      .expect(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the campaign’s funnel, cost, ROI and daily chart after the key is entered', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${base}/dashboard`);
    await page.fill('#api-key', brand.apiKey);
    await page.click('#connect');
    await page.waitForSelector(`[data-campaign-id="${campaignId}"].active`);
    const metric = (name: string) => page.locator(`.kpis [data-metric="${name}"]`);
    // Chart.js sets the canvas size when it draws. A selector, not waitForFunction: polling a string predicate
    // needs eval in the page, which the dashboard's CSP (rightly) forbids.
    await page.waitForSelector('#daily-chart[height]');
    expect(await metric('claimed').textContent()).toBe('2');
    expect(await metric('clicks').textContent()).toBe('4');
    expect(await metric('uniqueClicks').textContent()).toBe('3');
    expect(await metric('conversions').textContent()).toBe('2');
    expect(await metric('revenueCents').textContent()).toBe('$99.00');
    expect(await metric('totalCents').textContent()).toBe('$39.60');
    // (9,900 − 3,960) / 3,960 = 1.5 → +150.0%
    expect(await metric('roi').getAttribute('data-value')).toBe('1.5');
    expect(await metric('roi').textContent()).toBe('+150.0%');
    expect(await page.locator('[data-metric="platformFeeCents"]').textContent()).toBe('$3.60');
    expect(await page.locator('#campaign-name').textContent()).toBe('Espresso launch');
    expect(await page.locator('#funnel li').count()).toBe(6);
    // Browser-side code is passed as strings: the test's TypeScript has no DOM types.
    // Chart.js came from this server (no CDN) and drew the daily series.
    expect(await page.evaluate(`typeof window.Chart`)).toBe('function');
    const drawn = await page.evaluate<number>(`(() => {
      const c = document.querySelector('#daily-chart');
      const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) ink++;
      return ink;
    })()`);
    expect(drawn).toBeGreaterThan(1000);
    // The key lives in this tab's sessionStorage only.
    expect(await page.evaluate(`sessionStorage.getItem('sway.brandKey')`)).toBe(brand.apiKey);
    expect(await page.evaluate(`localStorage.length`)).toBe(0);
    expect(errors).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    expect(existsSync(join(ARTIFACTS, 'dashboard.png'))).toBe(true);
  });

  it('says so when the key is wrong', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/dashboard`);
    await page.fill('#api-key', 'sk_not_a_real_key');
    await page.click('#connect');
    await page.waitForSelector('#error:not([hidden])');
    expect(await page.locator('#error').textContent()).toMatch(/not accepted/);
  });
});
