// Places and journeys (issue H): a manager places the store with a pin and adds a photo that the
// store page shows; a popular sub-category on the home page searches its dishes; a guest who
// must log in comes back to the page they were on — in Chinese first, and once in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, artifacts, logIn, newContext, assertPagesClean, PHONE, png } from './lib.mjs';

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

test('a manager places the store on the map and adds a photo that diners see', async () => {
  const ctx = await newContext(browser, { viewport: PHONE });
  const owner = await logIn(ctx, server.base, 'owner@demo.lokal');
  await owner.goto(`${server.base}/merchant`);
  await owner.getByTestId('store-profile-link').first().click();
  await owner.waitForURL(/\/merchant\/stores\/[^/]+\/profile$/);
  assert.equal(await owner.locator('h1').innerText().then((t) => t.endsWith('门店资料')), true);
  const store = owner.url().match(/stores\/([^/]+)\/profile/)[1];
  // The pin moves where the map is tapped; no coordinates are typed.
  assert.equal(await owner.locator('input[name=lat][type=text]').count(), 0);
  const photosBefore = await owner.getByTestId('profile-photo').count();
  const lat0 = await owner.getByTestId('profile-lat').inputValue();
  await owner.locator('#store-pin-map svg').click({ position: { x: 160, y: 130 } });
  const lat1 = await owner.getByTestId('profile-lat').inputValue();
  assert.notEqual(lat1, lat0, 'the pin moved');
  await owner.getByTestId('profile-photo-input').setInputFiles({ name: 'front.png', mimeType: 'image/png', buffer: png(480, 320) });
  await owner.getByTestId('profile-save').click();
  await owner.waitForURL(/\/profile\?saved=1$/);
  await owner.getByTestId('profile-saved').waitFor();
  assert.equal(await owner.getByTestId('profile-photo').count(), photosBefore + 1, 'the new photo joins the kept ones');
  await owner.screenshot({ path: join(artifacts, 'store-profile.png'), fullPage: true });
  const where = (await (await owner.request.get(`${server.base}/api/v1/stores/${store}`)).json()).location;
  assert.ok(Math.abs(where.lat - parseFloat(lat1)) < 1e-6, `${where.lat} ≈ ${lat1}`);

  // A diner sees the photo on the store page.
  const diner = await newContext(browser, { viewport: PHONE });
  const me = await diner.newPage();
  await me.goto(`${server.base}/stores/${store}`);
  assert.equal(await me.getByTestId('store-photo').count(), photosBefore + 1);
  const img = me.getByTestId('store-photo').last();
  await img.waitFor();
  assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0), 'the photo loads');
  await me.screenshot({ path: join(artifacts, 'store-with-photo.png'), fullPage: true });
  await assertPagesClean(ctx);
  await assertPagesClean(diner);
});

test('a popular sub-category on the home page searches its dishes', async () => {
  const ctx = await newContext(browser, { viewport: PHONE });
  const me = await ctx.newPage();
  await me.goto(`${server.base}/`);
  await me.getByTestId('subcategory-hotpot').click();
  await me.waitForURL(/\/search\?q=/);
  const names = await me.getByTestId('store-card').allInnerTexts();
  assert.ok(names.length > 0 && names.some((n) => n.includes('火锅')), names.join(' | '));
  assert.ok(names.some((n) => /（.+店）/.test(n)), 'chain branches are named by their street');
  await assertPagesClean(ctx);
});

test('in English, a guest who must log in comes back to the page they were on', async () => {
  const ctx = await newContext(browser, { viewport: PHONE, locale: 'en-US' });
  const me = await ctx.newPage();
  await me.goto(`${server.base}/me/orders`);
  await me.waitForURL(/\/login\?next=/);
  assert.equal(await me.locator('html').getAttribute('lang'), 'en');
  await me.fill('#login', 'consumer@demo.lokal');
  await me.fill('#password', 'lokal-demo');
  await me.click('button.primary');
  await me.waitForURL(`${server.base}/me/orders`);
  assert.equal(await me.getByTestId('my-orders-tab-all').innerText(), 'All');
  await me.getByTestId('my-orders-tab-closed').click();
  await me.waitForURL(/tab=closed$/);
  assert.equal(await me.locator('[data-testid=my-order-row]:not([data-status=cancelled]):not([data-status=rejected])').count(), 0);
  await me.screenshot({ path: join(artifacts, 'my-orders-en.png'), fullPage: true });
  await assertPagesClean(ctx);
});
