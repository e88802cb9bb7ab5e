// Campaigns in the browser (issue F): a merchant starts a campaign with a QR poster; a consumer
// arrives through the poster's link, logs in, claims the coupon and buys; the campaign report
// shows exactly that order with its discount and channel. The merchant on a desktop, the consumer
// on a phone, both in zh-CN.
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

test('a QR poster brings a consumer who claims and buys, and the report shows that order', async () => {
  // The flagship store (the demo clerk's) and its chain's owner.
  const clerkCtx = await newContext(browser, { viewport: DESKTOP });
  const clerk = await logIn(clerkCtx, server.base, 'clerk@demo.lokal');
  await clerk.goto(`${server.base}/merchant/orders`);
  const store = await clerk.getByTestId('orders-store').inputValue();

  const ownerCtx = await newContext(browser, { viewport: DESKTOP });
  const owner = await logIn(ownerCtx, server.base, 'owner@demo.lokal');
  await owner.goto(`${server.base}/merchant`);
  await owner.getByTestId('campaigns-console-link').first().click();
  await owner.waitForURL(/\/merchant\/[^/]+\/campaigns$/);
  await owner.getByTestId('campaign-title-input').fill('Spring hotpot week');
  await owner.getByTestId('campaign-store-select').selectOption(store);
  const batch = owner.getByTestId('campaign-batch-select');
  const offers = await batch.locator('option').allInnerTexts();
  // The chain's coupon, its offer written the Chinese way.
  const offer = offers.findIndex((o) => /满¥30减¥5/.test(o));
  assert.ok(offer > 0, offers.join(' | '));
  await batch.selectOption({ index: offer });
  await owner.getByTestId('campaign-create').click();
  await owner.waitForURL(/\/merchant\/[^/]+\/campaigns\/[^/]+$/);
  const reportUrl = owner.url();
  assert.equal(await owner.getByTestId('campaign-report').getAttribute('data-model'), 'last');
  assert.equal(await owner.getByTestId('campaign-orders-empty').count(), 1, 'no orders yet');

  // A QR poster (¥30 to print) and a link for social posts.
  for (const [kind, name, cost] of [['qr', 'Poster at the east gate', '30'], ['link', 'Moments post', '0']]) {
    await owner.getByTestId('channel-kind').selectOption(kind);
    await owner.getByTestId('channel-name-input').fill(name);
    await owner.getByTestId('channel-cost-input').fill(cost);
    await owner.getByTestId('channel-add').click();
    await owner.waitForURL(reportUrl);
  }
  assert.equal(await owner.getByTestId('campaign-channel').count(), 2);
  assert.deepEqual(await owner.getByTestId('campaign-channel').evaluateAll((rows) => rows.map((r) => r.dataset.kind)), ['qr', 'link']);
  assert.match(await owner.locator('[data-testid=campaign-channel][data-kind=qr]').innerText(), /二维码海报/);
  await owner.getByTestId('channel-poster').first().click();
  await owner.getByTestId('campaign-poster').waitFor();
  assert.equal(await owner.locator('[data-testid=poster-qr] svg').count(), 1, 'the poster carries a QR code');
  const link = (await owner.getByTestId('poster-url').innerText()).trim();
  assert.match(link, /\/c\/[a-z0-9]{8}$/);
  assert.equal(await owner.locator('html').getAttribute('lang'), 'zh-CN');
  assert.equal((await owner.getByTestId('poster-headline').innerText()).trim(), '扫码领券');
  assert.equal((await owner.getByTestId('poster-offer').innerText()).trim(), '满¥30减¥5');
  await owner.screenshot({ path: join(artifacts, 'campaign-poster.png'), fullPage: true });

  // The consumer scans it on their phone, not logged in yet.
  const phone = await newContext(browser, { viewport: PHONE });
  const me = await phone.newPage();
  await me.goto(link);
  assert.equal(await me.getByTestId('campaign-title').innerText(), 'Spring hotpot week');
  assert.equal((await me.getByTestId('campaign-benefit').innerText()).trim(), '满¥30减¥5');
  await me.screenshot({ path: join(artifacts, 'campaign-landing.png'), fullPage: true });
  await me.getByTestId('campaign-login').click();
  await me.fill('#login', 'consumer@demo.lokal');
  await me.fill('#password', 'lokal-demo');
  await me.click('button.primary');
  await me.waitForURL(link);
  await me.getByTestId('campaign-claim').click();
  await me.waitForURL(`${server.base}/stores/${store}`);

  // Broth and tripe, delivered; the quote applies the campaign's coupon.
  await me.getByTestId('order-online').click();
  await me.waitForURL(/\/order$/);
  const qty = me.getByTestId('qty');
  await qty.nth(0).fill('1');
  await qty.nth(1).fill('1');
  await me.getByTestId('mode-delivery').check();
  await me.getByTestId('address').fill('Room 1203, 88 Xizang Rd');
  await me.getByTestId('get-quote').click();
  await me.waitForURL(/\/quotes\//);
  const discounts = await me.getByTestId('quote-discount').allInnerTexts();
  assert.equal(discounts.length, 1, discounts.join(' | '));
  assert.match(discounts[0].trim(), /-¥5$/);
  await me.getByTestId('place-order').click();
  await me.waitForURL(/\/sandbox\/pay\//);
  await me.getByTestId('sandbox-pay').click();
  await me.waitForURL(/\/orders\/[^/]+\/track$/);
  await me.locator('[data-testid=track][data-status=paid]').waitFor({ timeout: 15000 });
  const order = new URL(me.url()).pathname.split('/')[2];

  // The report: exactly that order, with its discount and its channel.
  await owner.goto(reportUrl);
  const rows = owner.getByTestId('campaign-order');
  assert.equal(await rows.count(), 1);
  assert.equal(await rows.first().getAttribute('data-order'), order);
  assert.equal((await rows.first().getByTestId('order-channel').innerText()).trim(), 'Poster at the east gate');
  assert.equal((await rows.first().getByTestId('order-discount').innerText()).trim(), '-¥5');
  const poster = owner.locator('[data-testid=campaign-channel]', { hasText: 'Poster at the east gate' });
  assert.equal((await poster.getByTestId('channel-claims').innerText()).trim(), '1');
  assert.equal((await poster.getByTestId('channel-orders').innerText()).trim(), '1');
  const posted = owner.locator('[data-testid=campaign-channel]', { hasText: 'Moments post' });
  assert.equal((await posted.getByTestId('channel-orders').innerText()).trim(), '0');
  await owner.screenshot({ path: join(artifacts, 'campaign-report.png'), fullPage: true });

  // The same table as CSV.
  const csv = await owner.evaluate(async (href) => (await fetch(href)).text(),
    await owner.getByTestId('orders-csv').getAttribute('href'));
  const lines = csv.trim().split('\n');
  assert.equal(lines.length, 2, csv);
  // Headings in the page's language; the values stay machine-readable (amounts as plain decimals).
  assert.ok(lines[0].startsWith('订单号,下单时间,渠道,渠道码,状态,实付（元）'), csv);
  assert.ok(lines[1].startsWith(`${order},`) && lines[1].includes('Poster at the east gate') && lines[1].includes(',5.00,'), csv);

  // First touch credits the same order to the same poster (the only channel the consumer used).
  await owner.getByTestId('model-first').click();
  await owner.waitForURL(/model=first/);
  assert.equal(await owner.getByTestId('campaign-report').getAttribute('data-model'), 'first');
  assert.equal(await owner.getByTestId('campaign-order').count(), 1);
  await assertPagesClean(clerkCtx);
  await assertPagesClean(ownerCtx);
  await assertPagesClean(phone);
});
