// Membership in the browser (issue G): a consumer scans the store's code, joins with consent to
// offers, sees the card and its level, and unsubscribes.
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

test('join by scanning the store code, see the card, unsubscribe', async () => {
  const clerk = await logIn(await browser.newContext({ viewport: { width: 1280, height: 900 } }), server.base, 'clerk@demo.lokal');
  await clerk.goto(`${server.base}/merchant/orders`);
  const store = await clerk.getByTestId('orders-store').inputValue();

  const me = await logIn(await browser.newContext({ viewport: { width: 390, height: 844 } }), server.base, 'consumer@demo.lokal');
  await me.goto(`${server.base}/join/${store}`);
  await me.getByTestId('join-opt-in').check();
  await me.screenshot({ path: join(artifacts, 'membership-join.png'), fullPage: true });
  await me.getByTestId('join-submit').click();
  await me.waitForURL(/\/me\/cards$/);
  assert.equal(await me.getByTestId('card').count(), 1);
  assert.equal((await me.getByTestId('card-level').innerText()).trim(), 'member');
  await me.screenshot({ path: join(artifacts, 'membership-cards.png'), fullPage: true });
  await me.getByTestId('card-unsubscribe').click();
  await me.waitForURL(/\/me\/cards$/);
  assert.equal(await me.getByTestId('card-subscribe').count(), 1, 'messages are off');
  // Joining again from the store page keeps the one card.
  await me.goto(`${server.base}/join/${store}`);
  await me.getByTestId('join-submit').click();
  await me.waitForURL(/\/me\/cards$/);
  assert.equal(await me.getByTestId('card').count(), 1);
});
