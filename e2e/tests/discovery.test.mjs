// Discovery in a real browser: the home page recommends stores, the nearby list is ordered by
// distance, filters work, and a store page shows its hours and a map of the block — in Chinese,
// then once more in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, artifacts, newContext, assertPagesClean, PHONE, DESKTOP } from './lib.mjs';

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

function metres(text) {
  const m = text.trim().match(/^([\d.]+) (m|km)$/);
  assert.ok(m, `distance text ${text}`);
  return Number(m[1]) * (m[2] === 'km' ? 1000 : 1);
}

test('the nearby list is ordered by distance and a store page opens from it', async () => {
  const ctx = await newContext(browser, { viewport: PHONE });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/`);
  assert.equal(await page.getByTestId('store-card').count(), 10);
  assert.equal(await page.getByTestId('recommended').innerText(), '猜你喜欢');
  assert.equal(await page.getByTestId('category-food').innerText(), '美食');
  await page.screenshot({ path: join(artifacts, 'home-city.png'), fullPage: true });

  await page.goto(`${server.base}/nearby`);
  const distances = (await page.getByTestId('distance').allInnerTexts()).map(metres);
  assert.ok(distances.length >= 10, `got ${distances.length} stores`);
  for (let i = 1; i < distances.length; i++) {
    assert.ok(distances[i - 1] <= distances[i], `ordered by distance: ${distances.join(', ')}`);
  }
  const prices = await page.getByTestId('price').allInnerTexts();
  assert.ok(prices.length > 0 && prices.every((p) => /^¥\d+\/人$/.test(p)), `prices per person: ${prices.join(', ')}`);
  await page.screenshot({ path: join(artifacts, 'nearby.png'), fullPage: true });

  await page.getByTestId('filter-category').selectOption('beauty');
  await page.getByTestId('filter-show').click();
  await page.waitForURL(/category=beauty/);
  const kinds = await page.getByTestId('store-card').evaluateAll((cards) => cards.map((c) => c.dataset.category));
  assert.ok(kinds.length > 0 && kinds.every((k) => k === 'beauty'), `only beauty: ${kinds.join(',')}`);
  const pills = await page.getByTestId('store-category').allInnerTexts();
  assert.ok(pills.every((p) => p === '丽人'), `labelled in Chinese: ${pills.join(',')}`);

  await page.getByTestId('store-card').first().locator('a').click();
  await page.waitForURL(/\/stores\//);
  assert.ok((await page.getByTestId('store-name').innerText()).length > 0);
  assert.equal(await page.getByTestId('map').count(), 1);
  assert.match(await page.getByTestId('map').locator('svg').getAttribute('aria-label'), /周边商家地图$/);
  assert.match(await page.getByTestId('hours').innerText(), /周一[\s\S]*周日/);
  assert.match(await page.getByTestId('open-state').innerText(), /^(营业中|休息中)$/);
  await page.screenshot({ path: join(artifacts, 'store-page.png'), fullPage: true });
  await assertPagesClean(ctx);
  await ctx.close();
});

test('the same journey in English: home, a category, a store page', async () => {
  const ctx = await newContext(browser, { viewport: PHONE, locale: 'en' });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/`);
  assert.equal(await page.getByTestId('hero-guest').innerText(), 'What is good near you?');
  assert.equal(await page.getByTestId('recommended').innerText(), 'Recommended near you');
  assert.equal(await page.getByTestId('category-beauty').innerText(), 'Beauty');
  await page.screenshot({ path: join(artifacts, 'home-city-en.png'), fullPage: true });

  await page.getByTestId('category-beauty').click();
  await page.waitForURL(/category=beauty/);
  const pills = await page.getByTestId('store-category').allInnerTexts();
  assert.ok(pills.length > 0 && pills.every((p) => p === 'Beauty'), `labelled in English: ${pills.join(',')}`);
  const prices = await page.getByTestId('price').allInnerTexts();
  assert.ok(prices.every((p) => /^¥\d+ per person$/.test(p)), `prices per person: ${prices.join(', ')}`);
  const states = await page.getByTestId('store-open').allInnerTexts();
  assert.ok(states.every((s) => s === 'Open' || s === 'Closed'), states.join(','));
  await page.screenshot({ path: join(artifacts, 'nearby-beauty-en.png'), fullPage: true });

  await page.getByTestId('store-card').first().locator('a').click();
  await page.waitForURL(/\/stores\//);
  assert.match(await page.getByTestId('map').locator('svg').getAttribute('aria-label'), /^Map of the stores around /);
  assert.match(await page.getByTestId('hours').innerText(), /Mon[\s\S]*Sun/);
  assert.match(await page.getByTestId('open-state').innerText(), /^(Open now|Closed now)$/);
  const main = await page.locator('main').innerText();
  assert.ok(main.includes('Hours') && main.includes('Reviews') && main.includes('Around here'), main);
  await page.screenshot({ path: join(artifacts, 'store-page-en.png'), fullPage: true });
  await assertPagesClean(ctx);
  await ctx.close();
});

test('search finds a store by a Chinese dish name', async () => {
  const ctx = await newContext(browser, { viewport: PHONE });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/`);
  await page.getByTestId('search-input').fill('火锅');
  await page.getByTestId('search-button').click();
  await page.waitForURL(/\/search\?/);
  assert.equal(await page.getByTestId('search-heading').innerText(), '“火锅”的搜索结果');
  const names = await page.getByTestId('store-card-name').allInnerTexts();
  assert.ok(names.length > 0, 'some results');
  assert.ok(names.some((n) => n.includes('重庆火锅')), `hotpot found: ${names.join(' | ')}`);
  await page.screenshot({ path: join(artifacts, 'search-hotpot.png'), fullPage: true });
  await assertPagesClean(ctx);
  await ctx.close();
});

test('a merchant edits an item in the console and it appears in search', async () => {
  const ctx = await newContext(browser, { viewport: DESKTOP });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/login`);
  await page.fill('#login', 'owner@demo.lokal');
  await page.fill('#password', 'lokal-demo');
  await page.getByTestId('auth-submit').click();
  await page.waitForURL(`${server.base}/`);
  await page.getByTestId('console-link').click();
  await page.waitForURL(`${server.base}/merchant`);
  const form = page.getByTestId('item-form').filter({ has: page.locator('input[value^="鸭肠"]') });
  await form.getByTestId('item-name').fill('黄喉 Beef aorta');
  await form.getByTestId('item-save').click();
  await page.waitForURL(`${server.base}/merchant`);
  await page.screenshot({ path: join(artifacts, 'merchant-console.png'), fullPage: true });
  await page.goto(`${server.base}/search?q=${encodeURIComponent('黄喉')}`);
  const names = await page.getByTestId('store-card-name').allInnerTexts();
  assert.ok(names.length > 0 && names.every((n) => n.includes('重庆火锅')), `hotpot stores: ${names.join(' | ')}`);
  await assertPagesClean(ctx);
  await ctx.close();
});

test('an owner adds a dish and a clerk in the console; the dish shows under its stores in search', async () => {
  const ctx = await newContext(browser, { viewport: DESKTOP });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/login`);
  await page.fill('#login', 'owner@demo.lokal');
  await page.fill('#password', 'lokal-demo');
  await page.getByTestId('auth-submit').click();
  await page.waitForURL(`${server.base}/`);
  await page.goto(`${server.base}/merchant`);
  const block = page.getByTestId('console-merchant').first();
  const add = block.getByTestId('new-item-form');
  await add.getByTestId('new-item-name').fill('虾滑 Shrimp paste');
  await add.getByTestId('new-item-price').fill('32.5');
  await add.getByTestId('new-item-add').click();
  await page.waitForURL(`${server.base}/merchant`);
  assert.equal(await page.locator('input[value="虾滑 Shrimp paste"]').count(), 1, 'the new item is in the catalog');

  // Staff: a fresh account is invited as a clerk of one store, accepts in their account, and
  // is then removed.
  const otherCtx = await newContext(browser, { viewport: PHONE });
  const other = await otherCtx.newPage();
  await other.goto(`${server.base}/register`);
  await other.fill('#email', 'new-clerk@demo.lokal');
  await other.fill('#display_name', 'New Clerk');
  await other.fill('#password', 'a-long-password');
  await other.getByTestId('auth-submit').click();
  await other.waitForURL(`${server.base}/`);
  const staff = block.getByTestId('staff-form');
  const before = await block.getByTestId('staff-row').count();
  await staff.getByTestId('staff-login').fill('new-clerk@demo.lokal');
  await staff.getByTestId('staff-role').selectOption('clerk');
  await staff.getByTestId('staff-store').selectOption({ index: 1 });
  await staff.getByTestId('staff-add').click();
  await page.waitForURL(`${server.base}/merchant?done=invited`);
  await page.getByTestId('console-done').waitFor();
  assert.equal(await page.getByTestId('console-merchant').first().getByTestId('staff-row').count(), before, 'invited is not staff yet');
  assert.ok((await page.getByTestId('staff-invitation').allInnerTexts()).some((t) => t.includes('new-clerk@demo.lokal')));
  await other.goto(`${server.base}/account`);
  await other.getByTestId('invitation').first().waitFor();
  await other.screenshot({ path: join(artifacts, 'account-invitation.png'), fullPage: true });
  await other.getByTestId('invitation-accept').first().click();
  await other.waitForURL(/\/account\?done=accepted/);
  await other.getByTestId('staff-leave').waitFor();
  await assertPagesClean(otherCtx);
  await otherCtx.close();
  await page.goto(`${server.base}/merchant`);
  const rows = page.getByTestId('console-merchant').first().getByTestId('staff-row');
  assert.equal(await rows.count(), before + 1);
  assert.ok((await rows.last().innerText()).includes('New Clerk'));
  await page.screenshot({ path: join(artifacts, 'merchant-console-staff.png'), fullPage: true });
  await rows.last().getByTestId('staff-remove').click();
  await page.waitForURL(`${server.base}/merchant`);
  assert.equal(await page.getByTestId('console-merchant').first().getByTestId('staff-row').count(), before);

  await page.goto(`${server.base}/search?q=${encodeURIComponent('虾滑')}`);
  const matches = await page.getByTestId('item-match').allInnerTexts();
  assert.ok(matches.length > 0 && matches.every((m) => m.includes('虾滑') && m.includes('¥32.50')), `dish under stores: ${matches.join(' | ')}`);
  await page.screenshot({ path: join(artifacts, 'search-dish-matches.png'), fullPage: true });
  await assertPagesClean(ctx);
  await ctx.close();
});
