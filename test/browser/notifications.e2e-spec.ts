import AxeBuilder from '@axe-core/playwright';
import { randomUUID } from 'node:crypto';
import { Browser, Page } from 'playwright-core';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { eventually } from '../factories/campaigns';
import { ensureWebBuilt, launchChromium } from '../support/browser';
import { TestApp, startTestApp } from '../support/test-app';

const PASSWORD = 'correct horse battery staple';
const KINDS = ['New offers', 'Offers about to expire', 'Perk shipped or redeemed', 'Contest answers'];

jest.setTimeout(180_000);

/** Issue #22 in the member app: the signup question (nothing pre-selected), the list, the unread count, Privacy. */
describe('member app: notifications (headless Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const errors: string[] = [];

  async function axe(page: Page, name: string): Promise<void> {
    const r = await new AxeBuilder({ page }).analyze();
    const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${name}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp({ PUBLIC_BASE_URL: 'http://127.0.0.1' });
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signup asks, selects nothing, and keeps the answers; /me counts unread; the list marks read; Privacy changes them', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/join`);
    for (const kind of KINDS) {
      const group = page.getByRole('radiogroup', { name: kind });
      await group.waitFor();
      for (const mode of ['Right away', 'Daily digest', 'Off'])
        expect({ kind, mode, checked: await group.getByLabel(mode).isChecked() }).toEqual({
          kind,
          mode,
          checked: false,
        });
    }
    await axe(page, '/join');
    const email = `bell.${randomUUID().slice(0, 8)}@example.com`;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Display name').fill('Bea Bell');
    await page.getByLabel('Date of birth').fill('1992-03-04');
    await page.getByRole('radiogroup', { name: 'New offers' }).getByLabel('Right away').check();
    await page.getByRole('radiogroup', { name: 'Perk shipped or redeemed' }).getByLabel('Daily digest').check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${base}/me`);
    const [{ id }] = await t.db.query(`SELECT id FROM influencers WHERE email = $1`, [email]);
    expect(await t.app.get(NotificationsService).preferences(id)).toEqual({
      offers: 'instant',
      offerExpiring: 'off',
      fulfilment: 'daily',
      contests: 'off',
    });
    await page.getByRole('link', { name: 'Notifications: 0 unread' }).waitFor();

    // Two notifications arrive (a consent change and a new offer, as their producers record them).
    for (const [kind, params] of [
      ['consent_changed', { purpose: 'matching', granted: true }],
      [
        'offer_created',
        { perkTitle: 'Oat milk crate', brandName: 'Oatly', expiresAt: new Date(Date.now() + 7200e3).toISOString() },
      ],
    ] as const)
      await t.db.transaction((m) =>
        t.app
          .get(NotificationsService)
          .record(m, { to: { kind: 'member', id }, kind, key: `${kind}:${randomUUID()}`, params }),
      );
    await page.reload();
    await page.getByRole('link', { name: 'Notifications: 2 unread' }).click();
    await page.waitForURL(`${base}/me/notifications`);
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    const list = page.getByRole('list', { name: 'Notifications' });
    await list.getByText('New perk for you: Oat milk crate').waitFor();
    await list.getByText('Your consent settings changed').waitFor();
    await page.getByText('2 unread notifications').waitFor();
    await axe(page, '/me/notifications');
    await page.getByRole('button', { name: 'Mark read: New perk for you: Oat milk crate' }).click();
    await page.getByText('1 unread notification').waitFor();
    await page.getByRole('button', { name: 'Mark all as read' }).click();
    await page.getByText('0 unread notifications').waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Privacy' }).click();
    const offers = page.getByRole('radiogroup', { name: 'New offers' });
    await offers.waitFor();
    expect(await offers.getByLabel('Right away').isChecked()).toBe(true);
    expect(await page.getByRole('radiogroup', { name: 'Contest answers' }).getByLabel('Off').isChecked()).toBe(true);
    await page.getByRole('radiogroup', { name: 'Contest answers' }).getByLabel('Daily digest').check();
    await eventually(
      async () => ((await t.app.get(NotificationsService).preferences(id)).contests === 'daily' ? true : undefined),
      10_000,
      'contests daily',
    );
    await axe(page, '/me/privacy');
    await ctx.close();
    expect(errors).toEqual([]);
  });
});
