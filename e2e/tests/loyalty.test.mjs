// Points, stored value and messages in the browser (issue G): the owner sets the program, a
// consumer joins by scanning the store's code, recharges ¥500 and gets ¥50 more, pays a bill with
// the card and earns points; a message from the console reaches the member who opted in and not
// the one who did not.
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

async function joinStore(page, store, optIn) {
  await page.goto(`${server.base}/join/${store}`);
  if (optIn) await page.getByTestId('join-opt-in').check();
  await page.getByTestId('join-submit').click();
  await page.waitForURL(/\/me\/cards$/);
}

test('recharge, pay with the card, earn points; a message reaches only the opted-in member', async () => {
  const staff = await newContext(browser, { viewport: DESKTOP });
  const clerk = await logIn(staff, server.base, 'clerk@demo.lokal');
  await clerk.goto(`${server.base}/merchant/orders`);
  const store = await clerk.getByTestId('orders-store').inputValue();

  // The owner offers "recharge 500, get 50" and two points per yuan.
  const owners = await newContext(browser, { viewport: DESKTOP });
  const owner = await logIn(owners, server.base, 'owner@demo.lokal');
  await owner.goto(`${server.base}/merchant`);
  await owner.getByTestId('loyalty-console-link').first().click();
  await owner.getByTestId('points-per-yuan').fill('2');
  await owner.getByTestId('tiers').fill('500:50\n100:0');
  await owner.getByTestId('save-program').click();
  await owner.waitForURL(/\/loyalty$/);
  assert.equal(await owner.getByTestId('tiers').inputValue(), '100:0\n500:50');
  const desk = owner.url();

  // A consumer scans the store's code and joins with consent; a second one joins without.
  const phone = await newContext(browser, { viewport: PHONE });
  const me = await logIn(phone, server.base, 'consumer@demo.lokal');
  await joinStore(me, store, true);
  const ctx = await newContext(browser, { viewport: PHONE });
  const quiet = await ctx.newPage();
  await quiet.goto(`${server.base}/register`);
  await quiet.fill('#email', 'quiet@demo.lokal');
  await quiet.fill('#display_name', 'Quiet Member');
  await quiet.fill('#password', 'a-long-password');
  await quiet.click('button.primary');
  await quiet.waitForURL(`${server.base}/`);
  await joinStore(quiet, store, false);

  // Recharge ¥500 through the gateway: the card holds ¥550.
  await me.getByTestId('card-link').click();
  await me.waitForURL(/\/me\/cards\/[0-9a-f-]+$/);
  const card = me.url();
  assert.equal((await me.getByTestId('card-stored-value').innerText()).trim(), '¥0');
  await me.getByTestId('recharge-50000').click();
  await me.waitForURL(/\/sandbox\/pay\//);
  assert.match(await me.locator('main').innerText(), /¥500/, 'the gateway asks for what is paid, not the bonus');
  await me.getByTestId('sandbox-pay').click();
  await me.waitForURL(card);
  for (let i = 0; i < 50 && (await me.getByTestId('card-stored-value').innerText()).trim() !== '¥550'; i++) {
    await new Promise((r) => setTimeout(r, 200));
    await me.reload();
  }
  assert.equal((await me.getByTestId('card-stored-value').innerText()).trim(), '¥550');

  // Pay a ¥100 bill at the store with the card (¥10 off every ¥100): ¥90 from the card, at once.
  await me.goto(`${server.base}/pay/${store}`);
  assert.match(await me.getByTestId('pay-with').innerText(), /会员卡储值（余额 ¥550）/);
  await me.getByTestId('bill-amount').fill('100');
  assert.ok(await me.getByTestId('pay-with-card').isChecked());
  await me.screenshot({ path: join(artifacts, 'loyalty-bill-with-card.png'), fullPage: true });
  await me.getByTestId('bill-pay').click();
  await me.waitForURL(/\/track$/);
  await me.locator('[data-testid=track][data-status=completed]').waitFor({ timeout: 15000 });
  await me.goto(card);
  assert.equal((await me.getByTestId('card-stored-value').innerText()).trim(), '¥460');
  assert.equal((await me.getByTestId('card-points').innerText()).trim(), '180', 'two points per yuan of ¥90');
  const change = async (kind) => (await me.locator(`[data-testid=card-line][data-kind=${kind}] [data-testid=card-line-change]`).innerText()).trim();
  assert.equal(await change('points'), '+180 积分');
  assert.equal(await change('card_payment'), '-¥90');
  assert.equal(await change('recharge'), '+¥550');
  assert.match(await me.getByTestId('card-history').innerText(), /获得积分[\s\S]*会员卡支付[\s\S]*充值/);
  await me.screenshot({ path: join(artifacts, 'loyalty-card.png'), fullPage: true });

  // Exchange 100 points for a ¥1 coupon.
  await me.goto(`${server.base}/me/coupons`);
  const coupons = await me.getByTestId('my-coupon').count();
  await me.goto(card);
  await me.getByTestId('exchange-points').fill('100');
  await me.getByTestId('exchange').click();
  await me.waitForURL(/\/me\/coupons$/);
  assert.equal(await me.getByTestId('my-coupon').count(), coupons + 1, 'one more coupon');
  await me.goto(card);
  assert.equal((await me.getByTestId('card-points').innerText()).trim(), '80');
  assert.equal(await me.locator('[data-testid=card-line][data-kind=points_exchange]').count(), 1);

  // The owner messages members: only the one who opted in receives it.
  await owner.goto(desk);
  await owner.getByTestId('message-kind').selectOption('new_deal');
  await owner.getByTestId('message-subject').fill('Hotpot for two');
  await owner.getByTestId('message-body').fill('Two-person set ¥168 this weekend.');
  await owner.getByTestId('send-message').click();
  await owner.waitForURL(desk);
  const sent = owner.getByTestId('sent-message').first();
  assert.equal(await sent.getAttribute('data-delivered'), '1');
  assert.equal(await sent.getAttribute('data-kind'), 'new_deal');
  assert.equal((await sent.getByTestId('sent-delivered').innerText()).trim(), '已送达 1 人');
  assert.match(await sent.innerText(), /新团购 · 全部会员/);
  await owner.screenshot({ path: join(artifacts, 'loyalty-console.png'), fullPage: true });
  await me.goto(`${server.base}/me/messages`);
  assert.match(await me.getByTestId('inbox').innerText(), /Hotpot for two/);
  await quiet.goto(`${server.base}/me/messages`);
  assert.doesNotMatch(await quiet.locator('main').innerText(), /Hotpot for two/);
  await assertPagesClean(phone);
  await assertPagesClean(ctx);
  await assertPagesClean(staff);
  await assertPagesClean(owners);
  await ctx.close();
});
