// Shared helpers for the browser tests: Debian's Chromium driven by playwright-core, the
// built app served on 127.0.0.1, fixtures, screenshots.
import { chromium } from 'playwright-core';
import { mkdtemp, mkdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { serve } from './serve.mjs';
import { createRequire } from 'node:module';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = join(ROOT, 'tests/fixtures');
export const ARTIFACTS = join(ROOT, 'e2e/artifacts');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** The dist folder for a public URL (built by scripts/test before the browser tests). */
export function distFor(base) {
  return base === '/' ? join(ROOT, 'dist') : join(ROOT, 'dist-subpath');
}

/** Starts the server and a fresh browser profile; returns { page, context, server, url, close }.
 *  `bypassCSP` lets a test inject a script of its own (axe-core), which the app's CSP refuses. */
export async function open({ base = '/', colorScheme = 'light', viewport = { width: 1280, height: 900 }, locale = 'en-US', bypassCSP = false } = {}) {
  const dist = distFor(base);
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist} is not built: run scripts/test (or scripts/build)`);
  const server = await serve({ dir: dist, base });
  const profile = await mkdtemp(join(tmpdir(), 'covgap-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    colorScheme,
    locale,
    bypassCSP,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  await mkdir(ARTIFACTS, { recursive: true });
  return {
    page, context, server, url: server.url, errors,
    close: async () => { await context.close(); await server.close(); },
  };
}

/** Goes to the app and waits until Yew has mounted it. */
export async function load(page, url) {
  await page.goto(url);
  await page.waitForSelector('header.topbar', { timeout: 30_000 });
}

export async function shot(page, name) {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

export function fixture(rel) {
  return join(FIXTURES, rel);
}

/** coverage.py's own totals from a fixture report (the truth the page must show). */
export async function toolTotals(rel) {
  return JSON.parse(await readFile(fixture(rel), 'utf8')).totals;
}

/** The covgap CLI's answer on the same file (built by cargo in scripts/test). */
export function cli(...args) {
  const bin = process.env.COVGAP_BIN || join(ROOT, 'target/debug/covgap');
  return JSON.parse(execFileSync(bin, args, { encoding: 'utf8' }));
}

/** Drops files on the page the way a browser does: a DataTransfer and a bubbling drop event. */
export async function dropFiles(page, files, selector = '.app') {
  const payload = [];
  for (const f of files) {
    const bytes = await readFile(f.path);
    payload.push({ name: f.name, b64: bytes.toString('base64') });
  }
  await page.evaluate(({ payload, selector }) => {
    const dt = new DataTransfer();
    for (const { name, b64 } of payload) {
      const bin = atob(b64);
      const u8 = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
      dt.items.add(new File([u8], name, { type: 'application/json' }));
    }
    const target = document.querySelector(selector);
    target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
    target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, { payload, selector });
}

/** The headline numbers of the load card for `name`. */
export async function headline(page, name) {
  const card = page.locator('li.load', { has: page.locator('.load-head .filename', { hasText: name }) }).first();
  await card.locator('dd[data-field="total"]').waitFor({ timeout: 30_000 });
  const get = async f => (await card.locator(`dd[data-field="${f}"]`).textContent()).trim();
  return {
    format: await get('format'), files: await get('files'), statements: await get('statements'),
    covered: await get('covered'), missing: await get('missing'), branches: await get('branches'),
    total: await get('total'),
  };
}

export const n = x => Number(String(x).replace(/,/g, ''));

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe's violations on the page as it is now (or inside `within`), one readable line per
 *  failing node: where, the rule, its impact, the element and why. */
export async function axe(page, where, within = null) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(within => window.axe.run(within ? { include: [within] } : document, { resultTypes: ['violations'] }), within);
  const lines = [];
  for (const v of result.violations) {
    for (const node of v.nodes) {
      const why = (node.any[0] || node.all[0] || node.none[0])?.message || '';
      lines.push(`[${where}] ${v.id} (${v.impact}): ${node.target.join(' ')} — ${why}`);
    }
  }
  return lines;
}

