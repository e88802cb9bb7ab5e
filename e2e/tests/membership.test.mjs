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

  // The owner prints the store's membership QR from the console.
  const owner = await logIn(await browser.newContext({ viewport: { width: 1280, height: 900 } }), server.base, 'owner@demo.lokal');
  await owner.goto(`${server.base}/merchant/stores/${store}/join-poster`);
  assert.equal(await owner.locator('[data-testid=poster-qr] svg').count(), 1);
  const link = (await owner.getByTestId('poster-url').innerText()).trim();
  assert.ok(link.endsWith(`/join/${store}`), link);
  await owner.screenshot({ path: join(artifacts, 'membership-poster.png'), fullPage: true });

  const me = await logIn(await browser.newContext({ viewport: { width: 390, height: 844 } }), server.base, 'consumer@demo.lokal');
  await me.goto(link);
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

  // The owner sees the member, with offers refused.
  await owner.goto(`${server.base}/merchant`);
  await owner.getByTestId('members-console-link').first().click();
  const member = owner.locator('[data-testid=member]', { hasText: 'Xiao Ming' });
  assert.equal(await member.count(), 1);
  assert.match(await member.innerText(), /member[\s\S]*no/);
});
