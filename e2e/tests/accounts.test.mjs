// A person registers, logs out, logs in again and looks at the home page and the API reference,
// in a real headless Chromium. Screenshots land in e2e/artifacts/.
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

test('a person registers, logs out and logs back in', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${server.base}/`);
  assert.match(await page.locator('h1').first().innerText(), /What is good near you/);
  await page.screenshot({ path: join(artifacts, 'home-guest.png'), fullPage: true });

  await page.click('text=Register');
  await page.fill('#email', 'browser@e2e.lokal');
  await page.fill('#display_name', 'Browser Person');
  await page.fill('#password', 'correct horse');
  await page.screenshot({ path: join(artifacts, 'register-form.png'), fullPage: true });
  await page.click('button.primary');
  await page.waitForURL(`${server.base}/`);
  assert.equal(await page.getByTestId('greeting').innerText(), 'Welcome back, Browser Person');
  await page.screenshot({ path: join(artifacts, 'home-logged-in.png'), fullPage: true });

  await page.getByTestId('logout').click();
  await page.waitForURL(`${server.base}/`);
  assert.equal(await page.getByTestId('greeting').count(), 0);

  await page.click('text=Log in');
  await page.fill('#login', 'browser@e2e.lokal');
  await page.fill('#password', 'wrong password');
  await page.click('button.primary');
  assert.match(await page.getByTestId('form-error').innerText(), /wrong login or password/);
  await page.screenshot({ path: join(artifacts, 'login-refused.png'), fullPage: true });
  await page.fill('#password', 'correct horse');
  await page.click('button.primary');
  await page.waitForURL(`${server.base}/`);
  assert.equal(await page.getByTestId('greeting').innerText(), 'Welcome back, Browser Person');

  await page.getByTestId('account-link').click();
  assert.match(await page.locator('main').innerText(), /browser@e2e\.lokal/);
  await page.screenshot({ path: join(artifacts, 'account.png'), fullPage: true });
  await page.close();
});

test('a demo operator sees their roles and the API reference renders', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.base}/login`);
  await page.fill('#login', 'admin@demo.lokal');
  await page.fill('#password', 'lokal-demo');
  await page.click('button.primary');
  await page.waitForURL(`${server.base}/`);
  await page.goto(`${server.base}/account`);
  assert.match(await page.locator('main').innerText(), /platform_admin/);
  await page.goto(`${server.base}/api/docs`);
  assert.match(await page.locator('main').innerText(), /\/api\/v1\/auth\/register/);
  await page.screenshot({ path: join(artifacts, 'api-docs.png') });
  await page.close();
});
