// Consultation chat in the browser (issue G): a consumer asks the store from its page; the
// store's clerk, with the store's chats open, sees the thread and its unread badge arrive live;
// answers; the consumer's page shows the answer live. Neither page is reloaded.
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

/** Resolves when `page` has opened an event stream whose path contains `part`. */
function streamOpened(page, part) {
  return page.waitForResponse((r) => r.url().includes(part) && r.status() === 200, { timeout: 15000 });
}

test('a question and its answer travel live between the consumer and the clerk', async () => {
  // The clerk opens the store's chats from the order desk.
  const staff = await newContext(browser, { viewport: DESKTOP });
  const clerk = await logIn(staff, server.base, 'clerk@demo.lokal');
  await clerk.goto(`${server.base}/merchant/orders`);
  const store = await clerk.getByTestId('orders-store').inputValue();
  const listLive = streamOpened(clerk, `/live/stores/${store}/chats`);
  await clerk.getByTestId('desk-chats-link').click();
  await clerk.waitForURL(new RegExp(`/merchant/stores/${store}/chats$`));
  await listLive;
  assert.equal(await clerk.getByTestId('chat-thread').count(), 0);
  await clerk.evaluate(() => { window.notReloaded = true; });

  // The consumer asks from the store page.
  const phone = await newContext(browser, { viewport: PHONE });
  const me = await logIn(phone, server.base, 'consumer@demo.lokal');
  await me.goto(`${server.base}/stores/${store}`);
  await me.getByTestId('ask-store').click();
  await me.waitForURL(new RegExp(`/stores/${store}/chat$`));
  assert.equal(await me.getByTestId('chat-empty').count(), 1);
  assert.match(await me.getByTestId('chat-heading').innerText(), /^咨询/);
  const question = 'Do you have a vegetarian broth?\nAnd a high chair for a toddler?';
  await me.getByTestId('chat-body').fill(question);
  await me.screenshot({ path: join(artifacts, 'chat-ask.png'), fullPage: true });
  const myLive = streamOpened(me, `/live/stores/${store}/chat`);
  await me.getByTestId('chat-send').click();
  await me.waitForURL(new RegExp(`/stores/${store}/chat$`));
  await myLive;
  assert.equal(await me.getByTestId('chat-message').count(), 1);
  assert.equal((await me.locator('[data-testid=chat-message] .bubble').innerText()).trim(), question);
  await me.evaluate(() => { window.notReloaded = true; });

  // The clerk's list shows the thread with one unread, without a reload.
  const badge = clerk.getByTestId('chat-unread');
  await badge.waitFor({ timeout: 15000 });
  assert.equal((await badge.innerText()).trim(), '1');
  assert.match(await clerk.getByTestId('chat-preview').innerText(), /vegetarian broth\? And a high chair/);
  assert.equal(await clerk.evaluate(() => window.notReloaded), true, 'the list was swapped in place');
  assert.ok(Number(await clerk.locator('body').getAttribute('data-live-updates')) >= 1);
  await clerk.screenshot({ path: join(artifacts, 'chat-store-list.png'), fullPage: true });

  // The clerk opens the thread (which reads it) and answers.
  const threadLive = streamOpened(clerk, '/live/chats/');
  await clerk.getByTestId('chat-thread-link').click();
  await clerk.waitForURL(/\/merchant\/chats\/[0-9a-f-]+$/);
  await threadLive;
  assert.equal((await clerk.locator('[data-testid=chat-message][data-sender=consumer] .bubble').innerText()).trim(), question);
  const answer = 'Yes: a mushroom broth, and high chairs by the window.';
  await clerk.getByTestId('chat-body').fill(answer);
  await clerk.getByTestId('chat-send').click();
  await clerk.waitForURL(/\/merchant\/chats\/[0-9a-f-]+$/);
  await clerk.screenshot({ path: join(artifacts, 'chat-store-reply.png'), fullPage: true });

  // The consumer's page shows the answer live.
  const reply = me.locator('[data-testid=chat-message][data-sender=store] .bubble');
  await reply.waitFor({ timeout: 15000 });
  assert.equal((await reply.innerText()).trim(), answer);
  assert.equal(await me.evaluate(() => window.notReloaded), true, 'the conversation was swapped in place');
  await me.screenshot({ path: join(artifacts, 'chat-consumer-live.png'), fullPage: true });

  // Seen on both sides: no unread badge left in either list.
  await me.goto(`${server.base}/me/chats`);
  assert.equal(await me.getByTestId('chat-thread').count(), 1);
  assert.equal(await me.getByTestId('chat-unread').count(), 0);
  await clerk.goto(`${server.base}/merchant/stores/${store}/chats`);
  assert.equal(await clerk.getByTestId('chat-thread').count(), 1);
  assert.equal(await clerk.getByTestId('chat-unread').count(), 0);
  // Times are the store's clock: today's messages say 今天.
  assert.match(await clerk.getByTestId('chat-thread').innerText(), /今天 \d\d:\d\d/);
  await assertPagesClean(phone);
  await assertPagesClean(staff);
});
