// Reconciliation in a real browser: the demo operator reconciles yesterday's sandbox bill from
// the form on /admin/reconciliation (the demo's four weeks of purchases and refunds were paid
// through the sandbox) and sees the day agree, in Chinese and then in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, artifacts, logIn, newContext, assertPagesClean, DESKTOP } from './lib.mjs';

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

test('an operator reconciles a day of the demo and it agrees with the books', async () => {
  const ctx = await newContext(browser, { viewport: DESKTOP });
  const admin = await logIn(ctx, server.base, 'admin@demo.lokal');
  await admin.getByTestId('reconciliation-link').click();
  await admin.waitForURL(`${server.base}/admin/reconciliation`);
  assert.equal(await admin.locator('h1').innerText(), '对账');
  await admin.getByTestId('recon-none').waitFor();
  // Two days ago (Beijing time): a day of the demo's history with purchases and refunds.
  const twoDaysAgo = new Date(Date.now() + 8 * 3600e3 - 2 * 86400e3).toISOString().slice(0, 10);
  await admin.locator('select[name=provider]').selectOption('sandbox');
  await admin.locator('input[name=date]').fill(twoDaysAgo);
  await admin.getByTestId('recon-run').click();
  await admin.waitForURL(/done=run/);
  const line = admin.locator(`[data-testid=recon-run-line][data-provider=sandbox][data-date="${twoDaysAgo}"]`);
  await line.waitFor();
  const cells = await line.locator('td').allInnerTexts();
  assert.equal(cells[1], '沙箱');
  assert.ok(Number(cells[2]) >= 0, `bill lines: ${cells}`);
  assert.equal(cells[2], cells[3], `every line matched: ${cells}`);
  assert.equal(cells[4], '0', `no difference: ${cells}`);
  await admin.getByTestId('recon-none').waitFor();
  await admin.screenshot({ path: join(artifacts, 'admin-reconciliation.png'), fullPage: true });
  await assertPagesClean(ctx);

  const en = await newContext(browser, { viewport: DESKTOP, locale: 'en' });
  const adminEn = await logIn(en, server.base, 'admin@demo.lokal');
  await adminEn.goto(`${server.base}/admin/reconciliation`);
  assert.equal(await adminEn.locator('h1').innerText(), 'Reconciliation');
  assert.match(await adminEn.getByTestId('recon-runs').innerText(), /Sandbox/);
  await adminEn.screenshot({ path: join(artifacts, 'admin-reconciliation-en.png'), fullPage: true });
  await assertPagesClean(en);
});
