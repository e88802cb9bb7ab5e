// Reviews in the browser (issue G): a consumer pays a bill at the store, reviews it from the
// order page, the store's clerk replies on the store page, and the store's rating changes.
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

test('consume, review, the store replies, and the rating and ranking change', async () => {
  const staff = await newContext(browser, { viewport: DESKTOP });
  const clerk = await logIn(staff, server.base, 'clerk@demo.lokal');
  await clerk.goto(`${server.base}/merchant/orders`);
  const store = await clerk.getByTestId('orders-store').inputValue();

  const phone = await newContext(browser, { viewport: PHONE });
  const me = await logIn(phone, server.base, 'consumer@demo.lokal');
  // The store's place when nearby stores are sorted by rating, around the store itself.
  const where = (await (await me.request.get(`${server.base}/api/v1/stores/${store}`)).json()).location;
  const rank = async () => {
    const url = `${server.base}/api/v1/stores/nearby?lat=${where.lat}&lng=${where.lng}&sort=rating&limit=100`;
    const list = (await (await me.request.get(url)).json()).stores;
    return list.findIndex((s) => s.id === store);
  };
  const rankBefore = await rank();
  assert.ok(rankBefore >= 0, 'the store is among the 100 best rated around it');
  await me.goto(`${server.base}/stores/${store}`);
  const ratingBefore = (await me.locator('.store-meta .rating').innerText()).trim();
  const reviewsBefore = await me.getByTestId('review').count();

  // Consume: a bill paid at the store.
  await me.goto(`${server.base}/pay/${store}`);
  await me.getByTestId('bill-amount').fill('100');
  await me.getByTestId('bill-pay').click();
  await me.waitForURL(/\/sandbox\/pay\//);
  await me.getByTestId('sandbox-pay').click();
  await me.waitForURL(/\/track$/);
  await me.locator('[data-testid=track][data-status=completed]').waitFor({ timeout: 15000 });
  // The review form appears with the completion, without reloading the page.
  await me.getByTestId('review-form').waitFor({ timeout: 15000 });

  // Review it from the order's page: one star, in the consumer's language.
  assert.match(await me.getByTestId('review-form').innerText(), /总体评分[\s\S]*口味[\s\S]*服务/);
  await me.getByTestId('review-rating').selectOption('1');
  await me.getByTestId('review-text').fill('Waited forty minutes for a table.');
  await me.getByTestId('review-photo-files').setInputFiles([
    { name: 'queue.png', mimeType: 'image/png', buffer: png(400, 300) },
    { name: 'table.png', mimeType: 'image/png', buffer: png(300, 400) },
  ]);
  await me.screenshot({ path: join(artifacts, 'review-form.png'), fullPage: true });
  await me.getByTestId('review-submit').click();
  await me.waitForURL(new RegExp(`/stores/${store}`));
  assert.equal(await me.getByTestId('review').count(), Math.min(reviewsBefore + 1, 20), 'one more review');
  assert.equal((await me.getByTestId('review-text').first().innerText()).trim(), 'Waited forty minutes for a table.', 'the newest first');
  const newest = me.getByTestId('review').first();
  assert.equal(await newest.getByTestId('review-photo').count(), 2, 'the review shows its two photos');
  await newest.getByTestId('review-photo').first().scrollIntoViewIfNeeded();
  assert.ok(await newest.getByTestId('review-photo').first().evaluate(loaded), 'its thumbnail loads');
  assert.equal(await me.getByTestId('reply-form').count(), 0, 'consumers cannot reply');
  const ratingAfter = (await me.locator('.store-meta .rating').innerText()).trim();
  assert.notEqual(ratingAfter, ratingBefore, `${ratingBefore} → ${ratingAfter}`);
  const stars = (t) => parseFloat(t.replace(/^[^\d]*/, ''));
  assert.ok(stars(ratingAfter) < stars(ratingBefore), `one 1-star review lowers the rating: ${ratingBefore} → ${ratingAfter}`);
  // The ranking follows: the store moves down the rating order (or out of its first 100).
  const rankAfter = await rank();
  assert.ok(rankAfter === -1 || rankAfter > rankBefore, `rank ${rankBefore} → ${rankAfter}`);

  // The order page no longer offers a review.
  await me.goBack();
  await me.goBack();
  await me.reload();
  assert.equal(await me.getByTestId('review-form').count(), 0);

  // The store's clerk replies publicly.
  await clerk.goto(`${server.base}/stores/${store}`);
  await clerk.getByTestId('reply-text').first().fill('Sorry! We have added two tables for weekends.');
  await clerk.getByTestId('reply-submit').first().click();
  await clerk.waitForURL(new RegExp(`/stores/${store}`));
  await me.goto(`${server.base}/stores/${store}#reviews`);
  assert.match(await me.getByTestId('review-reply').first().innerText(), /added two tables/);
  await me.getByTestId('reviews').scrollIntoViewIfNeeded();
  await me.screenshot({ path: join(artifacts, 'store-reviews.png'), fullPage: true });
  await assertPagesClean(phone);
  await assertPagesClean(staff);
});
