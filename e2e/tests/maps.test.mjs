// Tiled maps (issue H): with `[maps] tile_url` set, a results map and a store's map become
// Leaflet maps over the tiles, with every drawn pin as a marker that leads where the drawn one
// does. The tile server here is a local one that answers every tile with a picture made here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { join } from 'node:path';
import { startServer, launchBrowser, artifacts, newContext, assertPagesClean, PHONE, png } from './lib.mjs';

let tiles;
let tileRequests = 0;
let server;
let browser;

before(async () => {
  const tile = png(256, 256);
  tiles = http.createServer((req, res) => {
    if (!/^\/\d+\/\d+\/\d+\.png$/.test(req.url)) {
      res.writeHead(404).end();
      return;
    }
    tileRequests += 1;
    res.writeHead(200, { 'Content-Type': 'image/png', 'Cache-Control': 'max-age=60' }).end(tile);
  });
  await new Promise((resolve) => tiles.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${tiles.address().port}/{z}/{x}/{y}.png`;
  server = await startServer({ env: { LOKAL_MAPS_TILE_URL: url } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
  tiles?.close();
});

test('nearby stores are pins on a tiled map, and a pin leads to its store', async () => {
  const ctx = await newContext(browser, { viewport: PHONE });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/nearby`);
  const map = page.locator('#results-map');
  await map.locator('.leaflet-box').waitFor();
  await page.locator('#results-map[data-tiles=loaded]').waitFor({ timeout: 15000 });
  assert.ok(tileRequests > 0, 'tiles were asked for');
  // Once tiles show, the drawn map steps aside; its pins are now markers, one for one.
  assert.equal(await map.locator('svg.map').isVisible(), false);
  const drawn = await map.locator('svg .pin[data-kind=store]').count();
  assert.ok(drawn >= 5, `only ${drawn} stores drawn`);
  const markers = map.locator('.leaflet-marker-icon[data-testid=store-pin]');
  assert.equal(await markers.count(), drawn);
  assert.equal(await map.locator('.leaflet-marker-icon[data-testid=me-pin]').count(), 1);
  // A marker carries its store's name and goes to its page.
  const first = map.locator('svg a').first();
  const href = await first.getAttribute('href');
  const name = await first.locator('title').textContent();
  const marker = map.locator(`.leaflet-marker-icon[data-testid=store-pin][title="${name}"]`).first();
  await page.screenshot({ path: join(artifacts, 'nearby-tiled-map.png'), fullPage: true });
  await marker.dispatchEvent('click');
  await page.waitForURL(`${server.base}${href}`);
  // The store's own map is tiled too, with the store and its neighbours.
  await page.locator('#store-map[data-tiles=loaded]').waitFor({ timeout: 15000 });
  assert.equal(await page.locator('#store-map .leaflet-marker-icon[data-testid=me-pin]').count(), 1);
  await assertPagesClean(ctx);
  await ctx.close();
});
