// Membership in the browser (issue G): a consumer scans the store's code, joins with consent to
// offers, sees the card and its level, and unsubscribes.
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

test('join by scanning the store code, see the card, unsubscribe', async () => {
  const staff = await newContext(browser, { viewport: DESKTOP });
  const clerk = await logIn(staff, server.base, 'clerk@demo.lokal');
  await clerk.goto(`${server.base}/merchant/orders`);
  const store = await clerk.getByTestId('orders-store').inputValue();

  // The owner prints the store's membership QR from the console.
  // (The printed poster is a page of its own, outside the checked contexts: its frame belongs
  // to the campaign posters.)
  const printing = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
  const poster = await logIn(printing, server.base, 'owner@demo.lokal');
  await poster.goto(`${server.base}/merchant/stores/${store}/join-poster`);
  assert.equal(await poster.locator('[data-testid=poster-qr] svg').count(), 1);
  const link = (await poster.getByTestId('poster-url').innerText()).trim();
  assert.ok(link.endsWith(`/join/${store}`), link);
  await poster.screenshot({ path: join(artifacts, 'membership-poster.png'), fullPage: true });
  await printing.close();
  const owners = await newContext(browser, { viewport: DESKTOP });
  const owner = await logIn(owners, server.base, 'owner@demo.lokal');

  const phone = await newContext(browser, { viewport: PHONE });
  const me = await logIn(phone, server.base, 'consumer@demo.lokal');
  await me.goto(link);
  await me.getByTestId('join-opt-in').check();
  await me.screenshot({ path: join(artifacts, 'membership-join.png'), fullPage: true });
  await me.getByTestId('join-submit').click();
  await me.waitForURL(/\/me\/cards$/);
  assert.equal(await me.getByTestId('card').count(), 1);
  assert.equal(await me.getByTestId('card-level').getAttribute('data-level'), 'member');
  assert.equal((await me.getByTestId('card-level').innerText()).trim(), '普通会员');
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
  assert.equal(await member.getAttribute('data-level'), 'member');
  assert.equal(await member.getAttribute('data-opted-in'), 'false');
  assert.equal((await member.getByTestId('member-offers').innerText()).trim(), '否');
  await owner.screenshot({ path: join(artifacts, 'membership-members.png'), fullPage: true });
  await assertPagesClean(phone);
  await assertPagesClean(staff);
  await assertPagesClean(owners);
});
