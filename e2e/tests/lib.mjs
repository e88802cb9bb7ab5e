// Shared helpers: start `lokal serve` on a free port with a fresh data directory, and launch
// Debian's Chromium headless without any network access of its own.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { deflateSync, crc32 } from 'node:zlib';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const artifacts = join(here, '..', 'artifacts');
mkdirSync(artifacts, { recursive: true });

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * Starts the server binary (LOKAL_BIN, default target/debug/lokal) with the demo seed, and
 * `env` (`LOKAL_<SECTION>_<KEY>` settings) added to its environment.
 */
export async function startServer({ env = {} } = {}) {
  const bin = process.env.LOKAL_BIN ?? join(here, '..', '..', 'target', 'debug', 'lokal');
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'lokal-e2e-'));
  const args = ['serve', '--demo', '--port', String(port), '--data-dir', dataDir];
  if (process.env.LOKAL_E2E_DATABASE_URL) args.push('--database-url', process.env.LOKAL_E2E_DATABASE_URL);
  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env, RUST_LOG: 'warn' } });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) return { base, stop: () => proc.kill('SIGTERM'), log: () => log };
    } catch { /* not up yet */ }
    if (proc.exitCode !== null) throw new Error(`lokal exited early:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`lokal did not become ready:\n${log}`);
}

/** Headless Chromium with the flags that keep it off the network. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Opens a page in `context` and logs the demo account `email` in (password `lokal-demo`). */
export async function logIn(context, base, email) {
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('#login', email);
  await page.fill('#password', 'lokal-demo');
  await page.click('button.primary');
  await page.waitForURL(`${base}/`);
  return page;
}

/** The phone every consumer journey is tested on (iPhone 12–14 size). */
export const PHONE = { width: 390, height: 844 };
/** The screen a merchant's back office is tested on. */
export const DESKTOP = { width: 1280, height: 900 };

/**
 * A browser context speaking `locale` (zh-CN unless said: the platform's first language) whose
 * every page is checked as it loads: no untranslated catalogue key (`⟦key⟧`) in its text, the
 * right `<html lang>`, and on a phone no page wider than the screen. `assertPagesClean(ctx)`
 * at the end of a test fails with every problem seen.
 */
export async function newContext(browser, { viewport = PHONE, locale = 'zh-CN' } = {}) {
  const ctx = await browser.newContext({ viewport, locale });
  ctx.problems = [];
  const check = async (page) => {
    try {
      const r = await page.evaluate(() => ({
        url: location.pathname + location.search,
        lang: document.documentElement.lang,
        text: document.body ? document.body.innerText : '',
        wide: document.documentElement.scrollWidth,
        width: window.innerWidth,
      }));
      if (!r.url.startsWith('/sandbox') && !r.url.startsWith('/api/')) {
        const keys = r.text.match(/⟦[^⟧]*⟧/g);
        if (keys) ctx.problems.push(`${r.url}: untranslated ${[...new Set(keys)].join(', ')}`);
        if (r.lang && !r.lang.startsWith(locale.slice(0, 2)) && !ctx.switched) ctx.problems.push(`${r.url}: <html lang="${r.lang}"> in a ${locale} browser`);
        if (viewport.width <= 400 && r.wide > r.width + 1) ctx.problems.push(`${r.url}: ${r.wide}px wide on a ${r.width}px screen`);
      }
    } catch { /* the page navigated away while being checked */ }
  };
  ctx.on('page', (page) => page.on('load', () => { ctx.pending = check(page); }));
  return ctx;
}

/** Fails if any page of `ctx` showed an untranslated key, a wrong language or overflowed. */
export async function assertPagesClean(ctx) {
  for (const page of ctx.pages()) {
    await page.waitForLoadState('load').catch(() => {});
  }
  await ctx.pending;
  if (ctx.problems.length) throw new Error(`page problems:\n${[...new Set(ctx.problems)].join('\n')}`);
}

/** A `w` × `h` PNG of a warm gradient, made here (no file needed). */
export function png(w, h) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  const rows = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) {
      row[1 + x * 3] = 255;
      row[2 + x * 3] = Math.round(80 + 120 * x / w);
      row[3 + x * 3] = Math.round(40 + 100 * y / h);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** For `locator.evaluate`: resolves true once an image has loaded with pixels. */
export const loaded = (img) => new Promise((resolve) => {
  const done = () => resolve(img.naturalWidth > 0);
  if (img.complete && img.naturalWidth > 0) done(); else img.addEventListener('load', done, { once: true });
});
