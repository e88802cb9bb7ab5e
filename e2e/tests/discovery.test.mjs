// Discovery in a real browser: the home page recommends stores, the nearby list is ordered by
// distance, filters work, and a store page shows its hours and a map of the block.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, artifacts } from './lib.mjs';

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
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${server.base}/`);
  assert.equal(await page.getByTestId('store-card').count(), 10);
  await page.screenshot({ path: join(artifacts, 'home-city.png'), fullPage: true });

  await page.goto(`${server.base}/nearby`);
  const distances = (await page.getByTestId('distance').allInnerTexts()).map(metres);
  assert.ok(distances.length >= 10, `got ${distances.length} stores`);
  for (let i = 1; i < distances.length; i++) {
    assert.ok(distances[i - 1] <= distances[i], `ordered by distance: ${distances.join(', ')}`);
  }
  await page.screenshot({ path: join(artifacts, 'nearby.png'), fullPage: true });

  await page.selectOption('#category', 'beauty');
  await page.click('button.primary');
  await page.waitForURL(/category=beauty/);
  const pills = await page.locator('.store-card .pill').allInnerTexts();
  assert.ok(pills.length > 0 && pills.every((p) => p === 'beauty'), `only beauty: ${pills.join(',')}`);

  await page.getByTestId('store-card').first().locator('a').click();
  await page.waitForURL(/\/stores\//);
  assert.ok((await page.getByTestId('store-name').innerText()).length > 0);
  assert.equal(await page.getByTestId('map').count(), 1);
  await page.screenshot({ path: join(artifacts, 'store-page.png'), fullPage: true });
  await page.close();
});

test('search finds a store by a Chinese dish name', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${server.base}/`);
  await page.getByTestId('search-input').fill('火锅');
  await page.getByTestId('search-button').click();
  await page.waitForURL(/\/search\?/);
  const names = await page.locator('.store-name').allInnerTexts();
  assert.ok(names.length > 0, 'some results');
  assert.ok(names.some((n) => n.includes('重庆火锅')), `hotpot found: ${names.join(' | ')}`);
  await page.screenshot({ path: join(artifacts, 'search-hotpot.png'), fullPage: true });
  await page.close();
});

test('a merchant edits an item in the console and it appears in search', async () => {
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
  await page.goto(`${server.base}/login`);
  await page.fill('#login', 'owner@demo.lokal');
  await page.fill('#password', 'lokal-demo');
  await page.click('button.primary');
  await page.waitForURL(`${server.base}/`);
  await page.getByTestId('console-link').click();
  await page.waitForURL(`${server.base}/merchant`);
  const form = page.getByTestId('item-form').filter({ has: page.locator('input[value^="鸭肠"]') });
  await form.getByTestId('item-name').fill('黄喉 Beef aorta');
  await form.getByTestId('item-save').click();
  await page.waitForURL(`${server.base}/merchant`);
  await page.screenshot({ path: join(artifacts, 'merchant-console.png'), fullPage: true });
  await page.goto(`${server.base}/search?q=${encodeURIComponent('黄喉')}`);
  const names = await page.locator('.store-name').allInnerTexts();
  assert.ok(names.length > 0 && names.every((n) => n.includes('重庆火锅')), `hotpot stores: ${names.join(' | ')}`);
  await page.close();
});

test('an owner adds a dish and a clerk in the console; the dish shows under its stores in search', async () => {
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
  await page.goto(`${server.base}/login`);
  await page.fill('#login', 'owner@demo.lokal');
  await page.fill('#password', 'lokal-demo');
  await page.click('button.primary');
  await page.waitForURL(`${server.base}/`);
  await page.goto(`${server.base}/merchant`);
  const block = page.getByTestId('console-merchant').first();
  const add = block.getByTestId('new-item-form');
  await add.getByTestId('new-item-name').fill('虾滑 Shrimp paste');
  await add.getByTestId('new-item-price').fill('32.5');
  await add.getByTestId('new-item-add').click();
  await page.waitForURL(`${server.base}/merchant`);
  assert.equal(await page.locator('input[value="虾滑 Shrimp paste"]').count(), 1, 'the new item is in the catalog');

  // Staff: a fresh account is added as a clerk of one store, then removed.
  const ctx = await browser.newContext();
  const other = await ctx.newPage();
  await other.goto(`${server.base}/register`);
  await other.fill('#email', 'new-clerk@demo.lokal');
  await other.fill('#display_name', 'New Clerk');
  await other.fill('#password', 'a-long-password');
  await other.click('button.primary');
  await other.waitForURL(`${server.base}/`);
  await ctx.close();
  const staff = block.getByTestId('staff-form');
  const before = await block.getByTestId('staff-row').count();
  await staff.getByTestId('staff-login').fill('new-clerk@demo.lokal');
  await staff.getByTestId('staff-role').selectOption('clerk');
  await staff.getByTestId('staff-store').selectOption({ index: 1 });
  await staff.getByTestId('staff-add').click();
  await page.waitForURL(`${server.base}/merchant`);
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
  await page.close();
});
