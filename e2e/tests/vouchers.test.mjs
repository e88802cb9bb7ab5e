// The group-buy loop in real browsers: a consumer buys a deal, pays on the sandbox gateway's page
// and sees a QR code; a clerk redeems it at the desk in another browser context; the consumer's
// voucher page turns "used" without a reload — in Chinese, the platform's first language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, artifacts, logIn, newContext, assertPagesClean, PHONE, DESKTOP, png, loaded } from './lib.mjs';

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

async function login(context, email) {
  return logIn(context, server.base, email);
}

test('buy, pay, show the QR, a clerk redeems it, and the voucher turns used live', async () => {
  const consumerCtx = await newContext(browser, { viewport: PHONE });
  const me = await login(consumerCtx, 'consumer@demo.lokal');
  const badge = me.getByTestId('messages-unread');
  const unreadBefore = (await badge.count()) ? Number(await badge.innerText()) : 0;

  // Find the hotpot chain's deal from search and its store page.
  await me.goto(`${server.base}/search?q=${encodeURIComponent('火锅')}`);
  await me.getByTestId('store-card').first().locator('a').click();
  await me.waitForURL(/\/stores\//);
  await me.getByTestId('deal-link').filter({ hasText: 'Hotpot for two' }).click();
  await me.waitForURL(/\/deals\//);
  assert.equal(await me.getByTestId('deal-price').innerText(), '¥168');
  assert.equal(await me.getByTestId('buy').innerText(), '立即抢购');
  await me.screenshot({ path: join(artifacts, 'deal-page.png'), fullPage: true });
  await me.getByTestId('buy').click();
  await me.waitForURL(/\/orders\//);
  assert.equal(await me.getByTestId('order-status').getAttribute('data-status'), 'pending');
  assert.equal(await me.getByTestId('order-status').innerText(), '待支付');
  assert.equal(await me.getByTestId('order-total').innerText(), '¥168');
  assert.equal(await me.getByTestId('pay').innerText(), '支付 ¥168');
  await me.screenshot({ path: join(artifacts, 'checkout.png'), fullPage: true });
  await me.getByTestId('pay').click();
  await me.waitForURL(/\/sandbox\/pay\//);
  await me.screenshot({ path: join(artifacts, 'sandbox-pay.png'), fullPage: true });
  await me.getByTestId('sandbox-pay').click();
  await me.waitForURL(/\/orders\//);
  // The sandbox confirms by signed webhook after a short delay; the page refreshes itself.
  await me.locator('[data-testid=order-status][data-status=paid]').waitFor({ timeout: 15000 });
  assert.equal(await me.getByTestId('order-status').innerText(), '已支付');
  await me.getByTestId('see-vouchers').click();
  await me.waitForURL(`${server.base}/me/vouchers`);
  const card = me.getByTestId('voucher').first();
  assert.equal(await card.getByTestId('voucher-status').getAttribute('data-status'), 'active');
  assert.equal(await card.getByTestId('voucher-status').innerText(), '待使用');
  assert.equal(await card.getByTestId('voucher-uses').innerText(), '剩余 1/1 次');
  assert.match(await card.getByTestId('voucher-valid-until').innerText(), /^有效期至 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
  assert.equal(await card.locator('[data-testid=qr] svg').count(), 1, 'a QR code');
  const code = await card.getByTestId('voucher-code').innerText();
  assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);
  await me.screenshot({ path: join(artifacts, 'my-vouchers.png'), fullPage: true });
  // The header counts the unread message with the code; the message centre shows it as new,
  // links to the vouchers, and reading it clears the badge.
  assert.equal(Number(await badge.innerText()), unreadBefore + 1);
  await me.getByTestId('messages-link').click();
  await me.waitForURL(`${server.base}/me/messages`);
  const sms = me.getByTestId('inbox-message').first();
  assert.ok((await sms.innerText()).includes(code), 'the SMS with the code is in the message centre');
  assert.equal(await sms.getAttribute('data-unread'), 'true');
  assert.match(await sms.getByTestId('inbox-link').getAttribute('href'), /^\/me\/vouchers#voucher-[0-9a-f-]{36}$/);
  assert.equal(await badge.count(), 0, 'read once shown');
  await me.screenshot({ path: join(artifacts, 'message-centre.png'), fullPage: true });
  await me.goto(`${server.base}/me/vouchers`);

  // The clerk, in another browser context, types the code at the desk and redeems it.
  const clerkCtx = await newContext(browser, { viewport: DESKTOP });
  const clerk = await login(clerkCtx, 'clerk@demo.lokal');
  await clerk.goto(`${server.base}/merchant/desk`);
  await clerk.getByTestId('desk-code').fill(code.toLowerCase());
  await clerk.getByTestId('desk-look-up').click();
  await clerk.getByTestId('desk-voucher').waitFor();
  assert.equal(await clerk.getByTestId('desk-uses-left').innerText(), '1');
  await clerk.screenshot({ path: join(artifacts, 'redemption-desk.png'), fullPage: true });
  await clerk.getByTestId('redeem').click();
  await clerk.getByTestId('desk-done').waitFor();
  // The desk is another area's page: its state word, by attribute once it has one.
  const desk = clerk.getByTestId('desk-status');
  assert.equal((await desk.getAttribute('data-status')) ?? (await desk.innerText()), 'used');

  // The consumer's open page shows it, no reload.
  await card.locator('[data-testid=voucher-status][data-status=used]').waitFor({ timeout: 10000 });
  assert.equal(await card.getByTestId('voucher-status').innerText(), '已使用', 'the live update speaks Chinese');
  assert.equal(await card.getByTestId('voucher-uses').innerText(), '剩余 0/1 次');
  assert.equal(await card.locator('[data-testid=qr]').count(), 0, 'the QR is gone once used');
  await me.screenshot({ path: join(artifacts, 'my-vouchers-used.png'), fullPage: true });
  await assertPagesClean(clerkCtx);
  await assertPagesClean(consumerCtx);
  await clerkCtx.close();
  await consumerCtx.close();
});

test('a manager creates a deal in the console and it is on sale at once', async () => {
  const ctx = await newContext(browser, { viewport: DESKTOP });
  const owner = await login(ctx, 'owner@demo.lokal');
  await owner.goto(`${server.base}/merchant`);
  // A dish gets its photo first.
  await owner.getByTestId('item-photo-file').first().setInputFiles({ name: 'broth.png', mimeType: 'image/png', buffer: png(400, 400) });
  await owner.getByTestId('item-photo-upload').first().click();
  await owner.waitForURL(/\/merchant$/);
  assert.equal(await owner.getByTestId('item-photo').count(), 1, 'the console shows the dish photo');
  await owner.screenshot({ path: join(artifacts, 'console-item-photo.png'), fullPage: true });
  await owner.getByTestId('new-deal').first().click();
  await owner.getByTestId('deal-title-input').fill('毛肚双拼 Tripe duo');
  await owner.getByTestId('deal-price-input').fill('58');
  await owner.getByTestId('deal-original-input').fill('76');
  await owner.getByTestId('deal-photo-file').setInputFiles({ name: 'tripe.png', mimeType: 'image/png', buffer: png(640, 480) });
  await owner.screenshot({ path: join(artifacts, 'deal-editor.png'), fullPage: true });
  await owner.getByTestId('deal-create').click();
  await owner.waitForURL(/\/deals\//);
  assert.equal(await owner.getByTestId('deal-title').innerText(), '毛肚双拼 Tripe duo');
  assert.equal(await owner.getByTestId('buy').count(), 1);
  assert.equal(await owner.getByTestId('deal-photo').count(), 1, 'the cover photo is on the deal page');
  assert.ok(await owner.getByTestId('deal-photo').evaluate(loaded), 'and loads');
  await owner.screenshot({ path: join(artifacts, 'deal-with-photo.png'), fullPage: true });
  // Its store shows the deal's cover and the dish photo beside the menu.
  await owner.getByTestId('deal-stores').locator('a').first().click();
  await owner.waitForURL(/\/stores\//);
  assert.ok((await owner.getByTestId('deal-cover').count()) >= 1, 'the deal has its cover on the store page');
  assert.equal(await owner.getByTestId('menu-photo').count(), 1, 'the dish has its photo on the menu');
  assert.ok(await owner.getByTestId('menu-photo').evaluate(loaded), 'and it loads');
  await owner.screenshot({ path: join(artifacts, 'store-with-dish-photo.png'), fullPage: true });
  await owner.goto(`${server.base}/search?q=${encodeURIComponent('双拼')}`);
  assert.ok((await owner.getByTestId('store-card-name').count()) > 0, 'the deal title is searchable');
  await assertPagesClean(ctx);
  await ctx.close();
});

test('a buyer of two vouchers refunds one of them from the order page', async () => {
  const ctx = await newContext(browser, { viewport: PHONE });
  const me = await login(ctx, 'consumer@demo.lokal');
  await me.goto(`${server.base}/search?q=${encodeURIComponent('火锅')}`);
  await me.getByTestId('store-card').first().locator('a').click();
  await me.getByTestId('deal-link').filter({ hasText: 'Hotpot for two' }).click();
  await me.getByTestId('quantity').fill('2');
  await me.getByTestId('buy').click();
  await me.waitForURL(/\/orders\//);
  assert.equal(await me.getByTestId('order-total').innerText(), '¥336');
  await me.getByTestId('pay').click();
  await me.getByTestId('sandbox-pay').click();
  await me.locator('[data-testid=order-status][data-status=paid]').waitFor({ timeout: 15000 });
  assert.equal(await me.getByTestId('refund-one').count(), 2);
  await me.getByTestId('refund-one').first().click();
  await me.waitForURL(/\/orders\//);
  const states = await me.getByTestId('order-voucher-status').evaluateAll((els) => els.map((e) => e.dataset.status));
  assert.deepEqual([...states].sort(), ['active', 'refunded']);
  const words = await me.getByTestId('order-voucher-status').allInnerTexts();
  assert.deepEqual([...words].sort(), ['已退款', '待使用'].sort());
  await me.screenshot({ path: join(artifacts, 'order-partly-refunded.png'), fullPage: true });
  await assertPagesClean(ctx);
  await ctx.close();
});
