// A delivery order across four browser contexts — the consumer ordering, the store's order desk,
// the rider's app, and the consumer's tracking page on a second device — from cart to door, and
// one pay-at-store payment that shows up live on the store's till. Everyone reads zh-CN (the
// platform's first language): the consumer and the rider on a phone, the store and the
// operators on a desktop; every page is checked for untranslated keys, its language and its width.
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

/** A context on `viewport` in zh-CN with `email` logged in: [context, page]. */
async function login(email, viewport) {
  const ctx = await newContext(browser, { viewport, locale: 'zh-CN' });
  return [ctx, await logIn(ctx, server.base, email)];
}

test('a delivery order goes from cart to door across four browsers', async () => {
  // The store's desk is open before anything happens, like a tablet on the counter.
  const [clerkCtx, clerk] = await login('clerk@demo.lokal', DESKTOP);
  await clerk.goto(`${server.base}/merchant/orders`);
  const store = await clerk.getByTestId('orders-store').inputValue();
  assert.ok(store, 'the clerk works at a store');
  assert.equal(await clerk.locator('h1').first().innerText(), '接单台');

  // The rider goes on shift and shares a position near the store.
  const [riderCtx, rider] = await login('rider@demo.lokal', PHONE);
  await rider.goto(`${server.base}/rider`);
  await rider.getByTestId('shift-on').click();
  await rider.waitForURL(/\/rider\?done=shift-on/);
  await rider.locator('[data-testid=shift-state][data-on-shift="1"]').waitFor();
  assert.match(await rider.getByTestId('rider-done').innerText(), /已开工/);
  await rider.getByTestId('loc-send').click();
  await rider.waitForURL(/\/rider\?done=location/);
  await rider.locator('[data-testid=loc-last][data-sent="1"]').waitFor();
  await rider.screenshot({ path: join(artifacts, 'rider-on-shift.png'), fullPage: true });

  // The consumer orders from the store page: two dishes, delivered.
  const [meCtx, me] = await login('consumer@demo.lokal', PHONE);
  await me.goto(`${server.base}/stores/${store}`);
  await me.getByTestId('order-online').click();
  await me.waitForURL(/\/order$/);
  const qty = me.getByTestId('qty');
  // + and − beside each dish; the cart bar counts as the person chooses.
  const plus = me.getByTestId('menu-item').nth(0).locator('button.step[data-step="1"]');
  await plus.click();
  await plus.click();
  await me.getByTestId('menu-item').nth(0).locator('button.step[data-step="-1"]').click();
  assert.equal(await qty.nth(0).inputValue(), '1');
  await qty.nth(1).fill('1');
  await qty.nth(1).dispatchEvent('input');
  assert.match(await me.getByTestId('cart-sum').innerText(), /^已选 2 份 · 菜品 ¥\d+/);
  await me.getByTestId('mode-delivery').check();
  await me.getByTestId('address').fill('西藏中路88号');
  // The delivery point is placed on the map, never typed; the address goes to the address book.
  const lat0 = await me.getByTestId('lat').inputValue();
  await me.locator('#drop-map svg').click({ position: { x: 140, y: 110 } });
  assert.notEqual(await me.getByTestId('lat').inputValue(), lat0, 'the pin moved the delivery point');
  await me.getByTestId('door').fill('1203室');
  await me.getByTestId('contact-name').fill('小李');
  await me.getByTestId('contact-phone').fill('13800138000');
  await me.getByTestId('save-address').check();
  await me.screenshot({ path: join(artifacts, 'order-menu.png'), fullPage: true });
  await me.getByTestId('get-quote').click();
  await me.waitForURL(/\/quotes\//);
  assert.match(await me.getByTestId('quote-total').innerText(), /^¥\d/);
  await me.screenshot({ path: join(artifacts, 'order-quote.png'), fullPage: true });
  await me.getByTestId('place-order').click();
  await me.waitForURL(/\/sandbox\/pay\//);
  await me.getByTestId('sandbox-pay').click();
  await me.waitForURL(/\/orders\/[^/]+\/track$/);
  const trackUrl = me.url();
  await me.locator('[data-testid=track][data-status=paid]').waitFor({ timeout: 15000 });

  // A second device of the consumer watches the tracking page.
  const [watcherCtx, watcher] = await login('consumer@demo.lokal', PHONE);
  await watcher.goto(trackUrl);
  assert.equal(await watcher.locator('[data-testid=track][data-status=paid]').count(), 1);

  // The new order appears on the desk without a reload, in Chinese; the clerk prints its ticket
  // and accepts it.
  const card = clerk.locator('[data-testid=desk-order][data-status=paid]').first();
  await card.waitFor({ timeout: 15000 });
  assert.equal(await card.getByTestId('desk-order-status').innerText(), '已支付');
  await clerk.screenshot({ path: join(artifacts, 'order-desk-new.png'), fullPage: true });
  const [ticket] = await Promise.all([clerkCtx.waitForEvent('page'), card.getByTestId('ticket-link').click()]);
  await ticket.waitForLoadState('load');
  assert.equal(await ticket.locator('[data-testid=ticket][data-mode=delivery]').count(), 1);
  assert.equal(await ticket.locator('html').getAttribute('lang'), 'zh-CN');
  await ticket.screenshot({ path: join(artifacts, 'order-ticket.png'), fullPage: true });
  await ticket.close();
  await card.getByTestId('prep-minutes').fill('5');
  await card.getByTestId('accept').click();
  await clerk.waitForURL(/\/merchant\/orders\?store=[^&]+&done=accepted/);
  await clerk.getByTestId('orders-done').waitFor();
  await watcher.locator('[data-testid=track][data-status=accepted]').waitFor({ timeout: 15000 });

  // The dispatcher gives the task to the rider, whose app shows it live.
  const task = rider.getByTestId('task').first();
  await task.waitFor({ timeout: 20000 });
  assert.equal(await task.locator('[data-testid=task-status][data-status=assigned]').count(), 1);
  assert.equal(await task.getByTestId('task-status').innerText(), '前往商家取餐');
  assert.match(await task.getByTestId('task-drop').innerText(), /西藏中路88号 1203室/);
  assert.match(await task.getByTestId('task-contact').innerText(), /小李 \+8613800138000/);
  await rider.screenshot({ path: join(artifacts, 'rider-task.png'), fullPage: true });

  // The operators' dispatch board shows the rider and the assigned task on its map, and the
  // rider list shows the rider on shift.
  const [opsCtx, ops] = await login('admin@demo.lokal', DESKTOP);
  await ops.goto(`${server.base}/admin/dispatch`);
  assert.ok(await ops.locator('[data-testid=board-task][data-status=assigned]').count() >= 1, 'the task is on the board');
  assert.ok(await ops.locator('[data-testid=board-map] [data-testid=board-map-rider]').count() >= 1, 'the rider is on the map');
  await ops.screenshot({ path: join(artifacts, 'dispatch-board.png'), fullPage: true });
  await ops.getByTestId('riders-link').first().click();
  await ops.waitForURL(/\/admin\/riders$/);
  assert.ok(await ops.locator('[data-testid=approved-rider][data-on-shift="1"]').count() >= 1, 'a rider on shift');
  await ops.screenshot({ path: join(artifacts, 'admin-riders.png'), fullPage: true });
  // The accounts page: every account with its platform roles, and what operators may do to it.
  await ops.getByTestId('people-link').click();
  await ops.waitForURL(/\/admin\/users$/);
  assert.ok(await ops.getByTestId('person').count() >= 5, 'the demo accounts are listed');
  assert.ok(await ops.getByTestId('person-disable').count() >= 1, 'accounts can be disabled');
  await ops.screenshot({ path: join(artifacts, 'admin-users.png'), fullPage: true });

  await task.getByTestId('task-arrived').click();
  await rider.waitForURL(/\/rider\?done=arrived/);
  await rider.getByTestId('task').first().getByTestId('task-picked-up').click();
  await rider.waitForURL(/\/rider\?done=picked-up/);

  // On its way: the watcher sees the rider on the map.
  await watcher.locator('[data-testid=track][data-status=delivering]').waitFor({ timeout: 15000 });
  await rider.getByTestId('loc-send').click();
  await watcher.getByTestId('rider-pin').waitFor({ timeout: 15000 });
  await watcher.screenshot({ path: join(artifacts, 'tracking-on-the-way.png'), fullPage: true });

  // A wrong code at the door is refused in the rider's language; the right one completes the
  // order everywhere.
  await rider.getByTestId('task').first().getByTestId('task-code').fill('0000');
  await rider.getByTestId('task').first().getByTestId('task-delivered').click();
  await rider.waitForURL(/\/rider\?error=/);
  await rider.getByTestId('rider-error').waitFor();
  const code = await watcher.getByTestId('track-code').innerText();
  await rider.getByTestId('task').first().getByTestId('task-code').fill(code);
  await rider.getByTestId('task').first().getByTestId('task-delivered').click();
  await rider.waitForURL(/\/rider\?done=delivered/);
  await watcher.locator('[data-testid=track][data-status=completed]').waitFor({ timeout: 15000 });
  assert.ok(await watcher.locator('[data-testid=timeline] li').count() >= 7, 'every step is on the timeline');
  await watcher.screenshot({ path: join(artifacts, 'tracking-delivered.png'), fullPage: true });
  await rider.screenshot({ path: join(artifacts, 'rider-after-delivery.png'), fullPage: true });
  await me.reload();
  assert.equal(await me.locator('[data-testid=track][data-status=completed]').count(), 1);
  // The receipt: what was bought, the fees, when it was paid (in Shanghai time).
  await me.getByTestId('receipt').locator('summary').click();
  assert.match(await me.getByTestId('receipt-total').innerText(), /^¥\d/);
  assert.match(await me.getByTestId('receipt-paid').innerText(), /^支付时间 \d{4}年/);
  await me.screenshot({ path: join(artifacts, 'order-receipt.png'), fullPage: true });

  for (const ctx of [clerkCtx, riderCtx, meCtx, watcherCtx, opsCtx]) await assertPagesClean(ctx);
  for (const ctx of [clerkCtx, riderCtx, meCtx, watcherCtx, opsCtx]) await ctx.close();
});

test('a bill paid at the store shows up on the till with its code', async () => {
  const [clerkCtx, clerk] = await login('clerk@demo.lokal', DESKTOP);
  await clerk.goto(`${server.base}/merchant/till`);
  const store = await clerk.getByTestId('till-store').inputValue();
  const before = await clerk.getByTestId('till-bill').count();

  const [meCtx, me] = await login('consumer@demo.lokal', PHONE);
  await me.goto(`${server.base}/pay/${store}`);
  assert.match(await me.getByTestId('bill-rule').innerText(), /¥\d/);
  await me.getByTestId('bill-amount').fill('250');
  await me.getByTestId('bill-excluded').fill('30');
  await me.screenshot({ path: join(artifacts, 'pay-at-store.png'), fullPage: true });
  await me.getByTestId('bill-pay').click();
  await me.waitForURL(/\/sandbox\/pay\//);
  assert.match(await me.locator('h1').innerText(), /¥230/);
  await me.getByTestId('sandbox-pay').click();
  await me.waitForURL(/\/track$/);
  await me.locator('[data-testid=track][data-status=completed]').waitFor({ timeout: 15000 });
  const code = await me.getByTestId('track-code').innerText();
  await me.screenshot({ path: join(artifacts, 'pay-at-store-paid.png'), fullPage: true });

  // The till updates by itself and shows the same code.
  await clerk.waitForFunction((n) => document.querySelectorAll('[data-testid=till-bill]').length > n, before, { timeout: 15000 });
  assert.equal(await clerk.getByTestId('till-code').first().innerText(), code);
  assert.equal(await clerk.getByTestId('till-count').getAttribute('data-count'), String(before + 1));
  await clerk.screenshot({ path: join(artifacts, 'till.png'), fullPage: true });
  await clerk.goto(`${server.base}/merchant/stores/${store}/poster`);
  assert.equal(await clerk.locator('[data-testid=poster-qr] svg').count(), 1);
  assert.match(await clerk.getByTestId('poster-rule').innerText(), /每满¥\d+减¥\d+/);
  await clerk.screenshot({ path: join(artifacts, 'pay-poster.png') });

  await assertPagesClean(clerkCtx);
  await assertPagesClean(meCtx);
  await clerkCtx.close();
  await meCtx.close();
});

test('where the till confirms bills, a paid bill waits until the cashier confirms it', async () => {
  const [clerkCtx, clerk] = await login('clerk@demo.lokal', DESKTOP);
  await clerk.goto(`${server.base}/merchant/till`);
  const store = await clerk.getByTestId('till-store').inputValue();
  // The owner turns the confirmation on in the store's settings.
  const [ownerCtx, owner] = await login('owner@demo.lokal', DESKTOP);
  await owner.goto(`${server.base}/merchant/stores/${store}/settings`);
  await owner.getByTestId('bill-confirmation').check();
  await owner.getByTestId('settings-save').click();
  await owner.waitForURL(/done=settings/);

  const [meCtx, me] = await login('consumer@demo.lokal', PHONE);
  await me.goto(`${server.base}/pay/${store}`);
  await me.getByTestId('bill-amount').fill('88');
  await me.getByTestId('bill-pay').click();
  await me.waitForURL(/\/sandbox\/pay\//);
  await me.getByTestId('sandbox-pay').click();
  await me.waitForURL(/\/track$/);
  await me.locator('[data-testid=track][data-status=paid]').waitFor({ timeout: 15000 });
  const code = await me.getByTestId('track-code').innerText();

  // The till shows it waiting, with its code; the cashier confirms it and the payer sees it done.
  await clerk.reload();
  const waiting = clerk.getByTestId('till-waiting').first();
  await waiting.waitFor({ timeout: 15000 });
  assert.match(await waiting.innerText(), new RegExp(code));
  await clerk.screenshot({ path: join(artifacts, 'till-waiting.png'), fullPage: true });
  await waiting.getByTestId('till-confirm').click();
  await clerk.waitForURL(/\/merchant\/till\?store=.*done=bill-confirmed/);
  await clerk.getByTestId('till-done').waitFor();
  await me.locator('[data-testid=track][data-status=completed]').waitFor({ timeout: 15000 });

  await owner.goto(`${server.base}/merchant/stores/${store}/settings`);
  await owner.getByTestId('bill-confirmation').uncheck();
  await owner.getByTestId('settings-save').click();
  await owner.waitForURL(/done=settings/);
  for (const ctx of [clerkCtx, ownerCtx, meCtx]) {
    await assertPagesClean(ctx);
    await ctx.close();
  }
});
