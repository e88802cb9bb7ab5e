// A person registers, logs out, logs in again and looks at the home page and the API reference,
// in a real headless Chromium, in Chinese (the platform's first language). Screenshots land in
// e2e/artifacts/.
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

test('a person registers, logs out and logs back in', async () => {
  const ctx = await newContext(browser, { viewport: PHONE });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/`);
  assert.equal(await page.getByTestId('hero-guest').innerText(), '附近有什么好吃好玩的？');
  await page.screenshot({ path: join(artifacts, 'home-guest.png'), fullPage: true });

  await page.getByTestId('register-link').first().click();
  await page.waitForURL(`${server.base}/register`);
  await page.fill('#email', 'browser@e2e.lokal');
  await page.fill('#display_name', 'Browser Person');
  await page.fill('#password', 'correct horse');
  await page.screenshot({ path: join(artifacts, 'register-form.png'), fullPage: true });
  await page.getByTestId('auth-submit').click();
  await page.waitForURL(`${server.base}/`);
  assert.equal(await page.getByTestId('greeting').innerText(), '欢迎回来，Browser Person');
  await page.screenshot({ path: join(artifacts, 'home-logged-in.png'), fullPage: true });

  await page.getByTestId('logout').click();
  await page.waitForURL(`${server.base}/`);
  assert.equal(await page.getByTestId('greeting').count(), 0);
  assert.equal(await page.getByTestId('hero-guest').count(), 1);

  await page.getByTestId('login-link').click();
  await page.waitForURL(`${server.base}/login`);
  await page.fill('#login', 'browser@e2e.lokal');
  await page.fill('#password', 'wrong password');
  await page.getByTestId('auth-submit').click();
  // The refusal's wording belongs to the login page; here it is enough that it says no.
  assert.ok((await page.getByTestId('form-error').innerText()).trim().length > 0, 'the login is refused');
  await page.screenshot({ path: join(artifacts, 'login-refused.png'), fullPage: true });
  await page.fill('#password', 'correct horse');
  await page.getByTestId('auth-submit').click();
  await page.waitForURL(`${server.base}/`);
  assert.equal(await page.getByTestId('greeting').innerText(), '欢迎回来，Browser Person');

  await page.getByTestId('account-link').click();
  assert.match(await page.locator('main').innerText(), /browser@e2e\.lokal/);
  await page.screenshot({ path: join(artifacts, 'account.png'), fullPage: true });
  await assertPagesClean(ctx);
  await ctx.close();
});

test('a demo operator sees their roles and the API reference renders', async () => {
  const ctx = await newContext(browser, { viewport: DESKTOP });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/login`);
  await page.fill('#login', 'admin@demo.lokal');
  await page.fill('#password', 'lokal-demo');
  await page.getByTestId('auth-submit').click();
  await page.waitForURL(`${server.base}/`);
  await page.goto(`${server.base}/account`);
  assert.match(await page.locator('main').innerText(), /平台运营/);
  await page.goto(`${server.base}/api/docs`);
  assert.match(await page.locator('main').innerText(), /\/api\/v1\/auth\/register/);
  await page.screenshot({ path: join(artifacts, 'api-docs.png') });
  await assertPagesClean(ctx);
  await ctx.close();
});
