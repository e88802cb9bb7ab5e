// Dashboards in the browser (issue F): the chain's owner reads the brand's and a store's figures
// with server-drawn charts; an order paid by a consumer shows up at once; operators read the
// platform's dashboard; the tables export as CSV.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, artifacts, logIn } from './lib.mjs';

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

const desktop = { width: 1280, height: 900 };

async function kpi(page, name) {
  return (await page.locator(`[data-testid=kpi][data-name="${name}"] [data-testid=kpi-value]`).innerText()).trim();
}

test('the owner reads the brand and a store, and a new order shows up', async () => {
  const clerk = await logIn(await browser.newContext({ viewport: desktop }), server.base, 'clerk@demo.lokal');
  await clerk.goto(`${server.base}/merchant/orders`);
  const store = await clerk.getByTestId('orders-store').inputValue();

  const owner = await logIn(await browser.newContext({ viewport: desktop }), server.base, 'owner@demo.lokal');
  await owner.goto(`${server.base}/merchant`);
  await owner.getByTestId('dashboard-console-link').first().click();
  await owner.waitForURL(/\/merchant\/[^/]+\/dashboard$/);
  // The demo's month of deal sales: revenue, vouchers sold and redeemed.
  assert.notEqual(await kpi(owner, 'Revenue'), '¥0');
  assert.match(await kpi(owner, 'Voucher redemption rate'), /%$/);
  assert.equal(await owner.locator('[data-testid=revenue-chart] svg rect').count(), 30, 'one bar a day');
  await owner.screenshot({ path: join(artifacts, 'dashboard-brand.png'), fullPage: true });

  // The flagship store by itself.
  await owner.getByTestId('dashboard-store').selectOption(store);
  await owner.getByTestId('dashboard-show').click();
  await owner.waitForURL(/store=/);
  const before = Number(await kpi(owner, 'Paid orders'));

  // A consumer orders broth (for pickup where the store offers it) and pays.
  const me = await logIn(await browser.newContext({ viewport: { width: 390, height: 844 } }), server.base, 'consumer@demo.lokal');
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
  assert.equal(Number(await kpi(owner, 'Paid orders')), before + 1);
  assert.equal(await owner.locator('[data-testid=hours-chart] svg rect').count(), 24);
  assert.ok(await owner.getByTestId('top-item').count() >= 1);
  const funnel = await owner.getByTestId('funnel').innerText();
  assert.match(funnel, /Store page views\s+[1-9]/, funnel);
  await owner.screenshot({ path: join(artifacts, 'dashboard-store.png'), fullPage: true });

  // By month, and the series as CSV: a header, one line per month, the total and the period before.
  await owner.getByTestId('dashboard-by').selectOption('month');
  await owner.getByTestId('dashboard-show').click();
  await owner.waitForURL(/by=month/);
  const months = await owner.getByTestId('series-row').count();
  const csv = await owner.evaluate(async (href) => (await fetch(href)).text(),
    await owner.getByTestId('csv-series').getAttribute('href'));
  assert.equal(csv.trim().split('\n').length, 1 + months + 2, csv);
  assert.ok(csv.startsWith('period,views,orders,paid_orders,gmv_cny'), csv);
});

test('operators read the platform dashboard; merchants cannot', async () => {
  const admin = await logIn(await browser.newContext({ viewport: desktop }), server.base, 'admin@demo.lokal');
  await admin.getByTestId('platform-dashboard-link').click();
  await admin.waitForURL(/\/admin\/dashboard$/);
  assert.notEqual(await kpi(admin, 'GMV'), '¥0');
  assert.ok(Number(await kpi(admin, 'Active merchants')) >= 1);
  await admin.screenshot({ path: join(artifacts, 'dashboard-platform.png'), fullPage: true });

  const owner = await logIn(await browser.newContext({ viewport: desktop }), server.base, 'owner@demo.lokal');
  const r = await owner.goto(`${server.base}/admin/dashboard`);
  assert.equal(r.status(), 403);
});

test('the owner reads the customer list, tags a customer and exports it', async () => {
  const owner = await logIn(await browser.newContext({ viewport: desktop }), server.base, 'owner@demo.lokal');
  await owner.goto(`${server.base}/merchant`);
  await owner.getByTestId('customers-console-link').first().click();
  await owner.waitForURL(/\/merchant\/[^/]+\/customers$/);
  const me = owner.locator('[data-testid=customer]', { hasText: 'Xiao Ming' });
  assert.equal(await me.count(), 1, 'the consumer who ordered in the first test');
  await me.locator('input[name=tag]').fill('VIP');
  await me.locator('button[type=submit]').click();
  await owner.waitForURL(/\/customers$/);
  assert.match(await owner.locator('[data-testid=customer]', { hasText: 'Xiao Ming' }).innerText(), /VIP/);
  await owner.screenshot({ path: join(artifacts, 'customers.png'), fullPage: true });
  const csv = await owner.evaluate(async (href) => (await fetch(href)).text(),
    await owner.getByTestId('customers-csv').getAttribute('href'));
  assert.ok(csv.startsWith('user_id,name,visits') && /Xiao Ming/.test(csv) && /VIP/.test(csv), csv);
});
