// Coupons in the browser: a consumer claims the store's coupon and the platform's on the store
// page, sees them in "My coupons", and the quote applies them; once the order is paid they show
// as used. Staff on a desktop, consumers on a phone, everyone in zh-CN.
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

/** Every context a test opened, checked clean at its end. */
let contexts = [];

async function login(email, viewport) {
  const ctx = await newContext(browser, { viewport });
  contexts.push(ctx);
  return logIn(ctx, server.base, email);
}

async function allClean() {
  for (const ctx of contexts) await assertPagesClean(ctx);
  contexts = [];
}

/** The coupons' states on "My coupons": the `data-status` word where the page gives one, else the text. */
async function couponStates(page) {
  return page.getByTestId('coupon-status').evaluateAll((els) => els.map((e) => e.dataset.status ?? e.innerText.trim()));
}

test('a consumer claims coupons on a store page and the quote applies them', async () => {
  // The flagship store (the demo clerk's).
  const clerk = await login('clerk@demo.lokal', DESKTOP);
  await clerk.goto(`${server.base}/merchant/orders`);
  const store = await clerk.getByTestId('orders-store').inputValue();

  const me = await login('consumer@demo.lokal', PHONE);
  await me.goto(`${server.base}/stores/${store}`);
  const offers = me.getByTestId('claim-coupon');
  assert.equal(await offers.count(), 2, 'the chain\'s coupon and the platform\'s');
  await me.screenshot({ path: join(artifacts, 'coupons-store-page.png'), fullPage: true });
  for (let i = 0; i < 2; i++) {
    await me.goto(`${server.base}/stores/${store}`);
    await me.getByTestId('claim-coupon').nth(i).click();
    await me.waitForURL(/\/me\/coupons$/);
  }
  const ready = await couponStates(me);
  assert.equal(ready.length, 2);
  assert.equal(ready[0], ready[1], ready.join(' | '));
  await me.screenshot({ path: join(artifacts, 'coupons-mine.png'), fullPage: true });

  // Broth and tripe (¥96), delivered: ¥5 off ¥30 from the store, free delivery from Lokal.
  await me.goto(`${server.base}/stores/${store}`);
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
  assert.equal(discounts.length, 2, discounts.join(' | '));
  assert.ok(discounts.some((d) => /¥5 off ¥30/.test(d) && /-¥5$/.test(d.trim())), discounts.join(' | '));
  assert.ok(discounts.some((d) => /Free delivery/.test(d)), discounts.join(' | '));
  await me.screenshot({ path: join(artifacts, 'coupons-quote.png'), fullPage: true });

  // Paid: the coupons are used.
  await me.getByTestId('place-order').click();
  await me.waitForURL(/\/sandbox\/pay\//);
  await me.getByTestId('sandbox-pay').click();
  await me.waitForURL(/\/orders\/[^/]+\/track$/);
  await me.locator('[data-testid=track][data-status=paid]').waitFor({ timeout: 15000 });
  await me.goto(`${server.base}/me/coupons`);
  const used = await couponStates(me);
  assert.equal(used.length, 2);
  assert.ok(used[0] === used[1] && used[0] !== ready[0], `${ready.join(' | ')} then ${used.join(' | ')}`);
  await allClean();
});

test('an owner issues coupons in the console and they are offered on the store page', async () => {
  const owner = await login('owner@demo.lokal', DESKTOP);
  await owner.goto(`${server.base}/merchant`);
  await owner.getByTestId('coupons-console-link').first().click();
  await owner.waitForURL(/\/merchant\/[^/]+\/coupons$/);
  const before = await owner.getByTestId('coupon-batch').count();
  await owner.getByTestId('coupon-title-input').fill('满50减8 Weekend treat');
  await owner.getByTestId('coupon-value-input').fill('8');
  await owner.getByTestId('coupon-threshold-input').fill('50');
  await owner.getByTestId('coupon-create').click();
  await owner.waitForURL(/\/merchant\/[^/]+\/coupons$/);
  assert.equal(await owner.getByTestId('coupon-batch').count(), before + 1);
  const treat = owner.locator('[data-testid=coupon-batch]', { hasText: 'Weekend treat' });
  assert.equal((await treat.getByTestId('coupon-benefit').innerText()).trim(), '满¥50减¥8');
  await owner.screenshot({ path: join(artifacts, 'coupons-console.png'), fullPage: true });

  // A store promotion for everyone, no coupon needed: 满100减15 at every store.
  const promos = await owner.getByTestId('promotion').count();
  await owner.getByTestId('promotion-title-input').fill('满100减15');
  await owner.getByTestId('promotion-value-input').fill('15');
  await owner.getByTestId('promotion-threshold-input').fill('100');
  await owner.getByTestId('promotion-create').click();
  await owner.waitForURL(/\/merchant\/[^/]+\/coupons$/);
  assert.equal(await owner.getByTestId('promotion').count(), promos + 1);
  const promo = owner.locator('[data-testid=promotion]', { hasText: '满100减15' });
  assert.equal((await promo.getByTestId('promotion-benefit').innerText()).trim(), '满¥100减¥15');

  const clerk = await login('clerk@demo.lokal', DESKTOP);
  await clerk.goto(`${server.base}/merchant/orders`);
  const store = await clerk.getByTestId('orders-store').inputValue();
  const me = await login('consumer@demo.lokal', PHONE);
  await me.goto(`${server.base}/stores/${store}`);
  assert.match(await me.getByTestId('coupons').innerText(), /Weekend treat/);
  await allClean();
});

test('an operator issues platform coupons and consumers claim them in the coupon centre', async () => {
  const admin = await login('admin@demo.lokal', DESKTOP);
  await admin.getByTestId('platform-coupons-link').click();
  await admin.waitForURL(/\/admin\/coupons$/);
  const before = await admin.getByTestId('platform-batch').count();
  await admin.getByTestId('platform-title-input').fill('Weekend free delivery');
  await admin.getByTestId('platform-kind').selectOption('free_delivery');
  await admin.getByTestId('platform-coupon-create').click();
  await admin.waitForURL(/\/admin\/coupons$/);
  assert.equal(await admin.getByTestId('platform-batch').count(), before + 1);
  const free = admin.locator('[data-testid=platform-batch]', { hasText: 'Weekend free delivery' });
  assert.equal((await free.getByTestId('platform-benefit').innerText()).trim(), '免配送费');
  await admin.screenshot({ path: join(artifacts, 'coupons-platform-console.png'), fullPage: true });

  const me = await login('consumer@demo.lokal', PHONE);
  await me.goto(`${server.base}/coupons`);
  const offer = me.locator('[data-testid=centre-batch]', { hasText: 'Weekend free delivery' });
  assert.equal(await offer.count(), 1);
  await me.screenshot({ path: join(artifacts, 'coupons-centre.png'), fullPage: true });
  await offer.getByTestId('centre-claim').click();
  await me.waitForURL(/\/me\/coupons$/);
  assert.match(await me.getByTestId('my-coupons').innerText(), /Weekend free delivery/);
  await allClean();
});
