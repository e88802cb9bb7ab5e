// A delivery order across four browser contexts — the consumer ordering, the store's order desk,
// the rider's app, and the consumer's tracking page on a second device — from cart to door, and
// one pay-at-store payment that shows up live on the store's till.
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

async function login(browser, email, viewport) {
  return logIn(await browser.newContext({ viewport }), server.base, email);
}

const phone = { width: 390, height: 844 };
const desk = { width: 1280, height: 900 };

test('a delivery order goes from cart to door across four browsers', async () => {
  // The store's desk is open before anything happens, like a tablet on the counter.
  const clerk = await login(browser, 'clerk@demo.lokal', desk);
  await clerk.goto(`${server.base}/merchant/orders`);
  const store = await clerk.getByTestId('orders-store').inputValue();
  assert.ok(store, 'the clerk works at a store');

  // The rider goes on shift and shares a position near the store.
  const rider = await login(browser, 'rider@demo.lokal', phone);
  await rider.goto(`${server.base}/rider`);
  await rider.getByTestId('shift-on').click();
  await rider.waitForURL(/\/rider/);
  await rider.getByTestId('loc-send').click();
  await rider.waitForURL(/\/rider/);
  await rider.screenshot({ path: join(artifacts, 'rider-on-shift.png'), fullPage: true });

  // The consumer orders from the store page: two dishes, delivered.
  const me = await login(browser, 'consumer@demo.lokal', phone);
  await me.goto(`${server.base}/stores/${store}`);
  await me.getByTestId('order-online').click();
  await me.waitForURL(/\/order$/);
  const qty = me.getByTestId('qty');
  await qty.nth(0).fill('1');
  await qty.nth(1).fill('1');
  await me.getByTestId('mode-delivery').check();
  await me.getByTestId('address').fill('Room 1203, 88 Xizang Rd');
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
  const watcher = await login(browser, 'consumer@demo.lokal', phone);
  await watcher.goto(trackUrl);
  assert.equal(await watcher.getByTestId('track-status').innerText(), 'paid');

  // The new order appears on the desk without a reload; the clerk accepts it.
  const card = clerk.locator('[data-testid=desk-order][data-status=paid]').first();
  await card.waitFor({ timeout: 15000 });
  await clerk.screenshot({ path: join(artifacts, 'order-desk-new.png'), fullPage: true });
  await card.getByTestId('prep-minutes').fill('5');
  await card.getByTestId('accept').click();
  await clerk.waitForURL(/\/merchant\/orders/);
  await watcher.locator('[data-testid=track][data-status=accepted]').waitFor({ timeout: 15000 });

  // The dispatcher gives the task to the rider, whose app shows it live.
  const task = rider.getByTestId('task').first();
  await task.waitFor({ timeout: 20000 });
  await rider.screenshot({ path: join(artifacts, 'rider-task.png'), fullPage: true });

  // The operators' dispatch board shows the rider and the assigned task on its map.
  const ops = await login(browser, 'admin@demo.lokal', desk);
  await ops.goto(`${server.base}/admin/dispatch`);
  assert.ok(await ops.getByTestId('board-task').count() >= 1, 'the task is on the board');
  assert.equal(await ops.locator('[data-testid=board-map] [data-testid=board-map-rider]').count() >= 1, true);
  await ops.screenshot({ path: join(artifacts, 'dispatch-board.png'), fullPage: true });
  await task.getByTestId('task-arrived').click();
  await rider.waitForURL(/\/rider/);
  await rider.getByTestId('task').first().getByTestId('task-picked-up').click();
  await rider.waitForURL(/\/rider/);

  // On its way: the watcher sees the rider on the map.
  await watcher.locator('[data-testid=track][data-status=delivering]').waitFor({ timeout: 15000 });
  await rider.getByTestId('loc-send').click();
  await watcher.getByTestId('rider-pin').waitFor({ timeout: 15000 });
  await watcher.screenshot({ path: join(artifacts, 'tracking-on-the-way.png'), fullPage: true });

  // At the door the consumer gives the code; the order completes everywhere.
  const code = await watcher.getByTestId('track-code').innerText();
  await rider.getByTestId('task').first().getByTestId('task-code').fill(code);
  await rider.getByTestId('task').first().getByTestId('task-delivered').click();
  await rider.waitForURL(/\/rider/);
  await watcher.locator('[data-testid=track][data-status=completed]').waitFor({ timeout: 15000 });
  assert.match(await watcher.getByTestId('timeline').innerText(), /delivered/);
  await watcher.screenshot({ path: join(artifacts, 'tracking-delivered.png'), fullPage: true });
  await rider.screenshot({ path: join(artifacts, 'rider-after-delivery.png'), fullPage: true });
  await me.reload();
  assert.equal(await me.getByTestId('track-status').innerText(), 'completed');
  await clerk.close();
});

test('a bill paid at the store shows up on the till with its code', async () => {
  const clerk = await login(browser, 'clerk@demo.lokal', desk);
  await clerk.goto(`${server.base}/merchant/till`);
  const store = await clerk.locator('select[name=store]').inputValue();
  const before = await clerk.getByTestId('till-bill').count();

  const me = await login(browser, 'consumer@demo.lokal', phone);
  await me.goto(`${server.base}/pay/${store}`);
  assert.match(await me.getByTestId('bill-rule').innerText(), /off every/);
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
  await clerk.screenshot({ path: join(artifacts, 'till.png'), fullPage: true });
  await clerk.goto(`${server.base}/merchant/stores/${store}/poster`);
  assert.equal(await clerk.locator('[data-testid=poster-qr] svg').count(), 1);
  await clerk.screenshot({ path: join(artifacts, 'pay-poster.png') });
});
