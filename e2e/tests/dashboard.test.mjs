// Dashboards in the browser (issue F): the chain's owner reads the brand's and a store's figures
// with server-drawn charts; an order paid by a consumer shows up at once; operators read the
// platform's dashboard; the tables export as CSV. Staff on a desktop, the consumer on a phone,
// everyone in zh-CN (the platform's first language).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, artifacts, logIn, newContext, assertPagesClean, PHONE, DESKTOP } from './lib.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

async function kpi(page, name) {
  return (await page.locator(`[data-testid=kpi][data-name="${name}"] [data-testid=kpi-value]`).innerText()).trim();
}

test('the owner reads the brand and a store, and a new order shows up', async () => {
  const clerkCtx = await newContext(browser, { viewport: DESKTOP });
  const clerk = await logIn(clerkCtx, server.base, 'clerk@demo.lokal');
  await clerk.goto(`${server.base}/merchant/orders`);
  const store = await clerk.getByTestId('orders-store').inputValue();

  const ownerCtx = await newContext(browser, { viewport: DESKTOP });
  const owner = await logIn(ownerCtx, server.base, 'owner@demo.lokal');
  await owner.goto(`${server.base}/merchant`);
  await owner.getByTestId('dashboard-console-link').first().click();
  await owner.waitForURL(/\/merchant\/[^/]+\/dashboard$/);
  // The demo's month of deal sales: revenue, vouchers sold and redeemed.
  assert.notEqual(await kpi(owner, 'revenue'), '¥0');
  assert.match(await kpi(owner, 'redemption-rate'), /%$/);
  assert.equal(await owner.locator('[data-testid=revenue-chart] svg rect').count(), 30, 'one bar a day');
  // The chart speaks Chinese: its title, and the days of its bars (`11月27日：¥1200`).
  assert.equal(await owner.locator('[data-testid=revenue-chart] svg').getAttribute('aria-label'), '营业额');
  assert.match(await owner.locator('[data-testid=revenue-chart] svg rect title').first().textContent(), /^\d+月\d+日：¥[\d.]+$/);
  assert.match(await owner.getByTestId('series-row').first().locator('td').first().innerText(), /^\d+月\d+日$/);
  await owner.screenshot({ path: join(artifacts, 'dashboard-brand.png'), fullPage: true });

  // The flagship store by itself.
  await owner.getByTestId('dashboard-store').selectOption(store);
  await owner.getByTestId('dashboard-show').click();
  await owner.waitForURL(/store=/);
  const before = Number(await kpi(owner, 'paid-orders'));

  // A consumer orders broth (for pickup where the store offers it) and pays.
  const phone = await newContext(browser, { viewport: PHONE });
  const me = await logIn(phone, server.base, 'consumer@demo.lokal');
  await me.goto(`${server.base}/stores/${store}`);
  await me.getByTestId('order-online').click();
  await me.waitForURL(/\/order$/);
  await me.getByTestId('qty').nth(0).fill('2');
  if (await me.getByTestId('mode-pickup').count()) {
    await me.getByTestId('mode-pickup').check();
  } else {
    await me.getByTestId('mode-delivery').check();
    await me.getByTestId('address').fill('Room 1203, 88 Xizang Rd');
  }
  await me.getByTestId('get-quote').click();
  await me.waitForURL(/\/quotes\//);
  await me.getByTestId('place-order').click();
  await me.waitForURL(/\/sandbox\/pay\//);
  await me.getByTestId('sandbox-pay').click();
  await me.waitForURL(/\/orders\/[^/]+\/track$/);
  await me.locator('[data-testid=track][data-status=paid]').waitFor({ timeout: 15000 });

  await owner.reload();
  assert.equal(Number(await kpi(owner, 'paid-orders')), before + 1);
  assert.equal(await owner.locator('[data-testid=hours-chart] svg rect').count(), 24);
  assert.ok(await owner.getByTestId('top-item').count() >= 1);
  const views = await owner.locator('[data-testid=funnel-step][data-step=views] [data-testid=funnel-value]').innerText();
  assert.ok(Number(views) >= 1, views);
  await owner.screenshot({ path: join(artifacts, 'dashboard-store.png'), fullPage: true });

  // By month, and the series as CSV: a header, one line per month, the total and the period before.
  await owner.getByTestId('dashboard-by').selectOption('month');
  await owner.getByTestId('dashboard-show').click();
  await owner.waitForURL(/by=month/);
  const months = await owner.getByTestId('series-row').count();
  assert.match(await owner.getByTestId('series-row').first().locator('td').first().innerText(), /^\d{4}年\d+月$/);
  const csv = await owner.evaluate(async (href) => (await fetch(href)).text(),
    await owner.getByTestId('csv-series').getAttribute('href'));
  const lines = csv.trim().split('\n');
  assert.equal(lines.length, 1 + months + 2, csv);
  // Headings in the page's language; values as the API writes them (months, plain decimals).
  assert.ok(lines[0].startsWith('周期,浏览,订单数,支付订单数,交易额（元）'), csv);
  assert.match(lines[1], /^\d{4}-\d{2},\d+,\d+,\d+,\d+\.\d{2},/, csv);
  await assertPagesClean(clerkCtx);
  await assertPagesClean(ownerCtx);
  await assertPagesClean(phone);
});

test('operators read the platform dashboard; merchants cannot', async () => {
  const adminCtx = await newContext(browser, { viewport: DESKTOP });
  const admin = await logIn(adminCtx, server.base, 'admin@demo.lokal');
  await admin.getByTestId('platform-dashboard-link').click();
  await admin.waitForURL(/\/admin\/dashboard$/);
  assert.notEqual(await kpi(admin, 'gmv'), '¥0');
  assert.ok(Number(await kpi(admin, 'active-merchants')) >= 1);
  await admin.screenshot({ path: join(artifacts, 'dashboard-platform.png'), fullPage: true });

  const ownerCtx = await newContext(browser, { viewport: DESKTOP });
  const owner = await logIn(ownerCtx, server.base, 'owner@demo.lokal');
  const r = await owner.goto(`${server.base}/admin/dashboard`);
  assert.equal(r.status(), 403);
  await assertPagesClean(adminCtx);
  await assertPagesClean(ownerCtx);
});

test('the owner reads the customer list, tags a customer and exports it', async () => {
  const ownerCtx = await newContext(browser, { viewport: DESKTOP });
  const owner = await logIn(ownerCtx, server.base, 'owner@demo.lokal');
  await owner.goto(`${server.base}/merchant`);
  await owner.getByTestId('customers-console-link').first().click();
  await owner.waitForURL(/\/merchant\/[^/]+\/customers$/);
  const me = owner.locator('[data-testid=customer]', { hasText: 'Xiao Ming' });
  assert.equal(await me.count(), 1, 'the consumer who ordered in the first test');
  await me.getByTestId('customer-tag-input').fill('VIP');
  await me.getByTestId('customer-tag-add').click();
  await owner.waitForURL(/\/customers$/);
  const tagged = owner.locator('[data-testid=customer]', { hasText: 'Xiao Ming' });
  assert.match(await tagged.getByTestId('customer-tags').innerText(), /VIP/);
  // The segment is a label, not the core's word.
  const segment = await tagged.getAttribute('data-segment');
  assert.ok(segment, 'a segment');
  assert.doesNotMatch(await tagged.getByTestId('customer-segment').innerText(), /^[a-z_]+$/);
  await owner.screenshot({ path: join(artifacts, 'customers.png'), fullPage: true });
  const csv = await owner.evaluate(async (href) => (await fetch(href)).text(),
    await owner.getByTestId('customers-csv').getAttribute('href'));
  assert.ok(csv.startsWith('用户编号,姓名,到店次数') && /Xiao Ming/.test(csv) && /VIP/.test(csv), csv);
  await assertPagesClean(ownerCtx);
});

test("the merchant console's pages fit a phone and speak either language", async () => {
  for (const locale of ['zh-CN', 'en']) {
    const ownerCtx = await newContext(browser, { viewport: PHONE, locale });
    const owner = await logIn(ownerCtx, server.base, 'owner@demo.lokal');
    await owner.goto(`${server.base}/merchant`);
    const href = await owner.getByTestId('dashboard-console-link').first().getAttribute('href');
    const merchant = href.split('/')[2];
    for (const path of ['coupons', 'dashboard', 'customers', 'campaigns']) {
      await owner.goto(`${server.base}/merchant/${merchant}/${path}`);
    }
    // A campaign with a channel: its report and its poster.
    await owner.getByTestId('campaign-title-input').fill(`Phone check ${locale}`);
    await owner.getByTestId('campaign-create').click();
    await owner.waitForURL(/\/campaigns\/[^/]+$/);
    await owner.getByTestId('channel-name-input').fill('Counter poster');
    await owner.getByTestId('channel-add').click();
    await owner.getByTestId('channel-poster').first().click();
    await owner.getByTestId('campaign-poster').waitFor();
    assert.equal(await owner.locator('html').getAttribute('lang'), locale);
    await owner.goto(`${server.base}/merchant/apply`);
    await owner.screenshot({ path: join(artifacts, `console-phone-${locale}.png`), fullPage: true });

    const adminCtx = await newContext(browser, { viewport: PHONE, locale });
    const admin = await logIn(adminCtx, server.base, 'admin@demo.lokal');
    for (const path of ['/admin/applications', '/admin/coupons', '/admin/dashboard']) {
      await admin.goto(`${server.base}${path}`);
    }
    await assertPagesClean(ownerCtx);
    await assertPagesClean(adminCtx);
  }
});
