// Offline: after one visit the app loads and works with the network off and the server
// gone (at the site root and under a GitHub Pages-like sub-path); the service worker's
// cache list is exactly the built files; a new deploy is offered through the update banner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { cp, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { open, load, shot, fixture, dropFiles, headline, distFor, CHROMIUM } from './lib.mjs';
import { serve } from './serve.mjs';
import { postBuild } from '../scripts/post-build.mjs';

const ATTRS = 'attrs-26.1.0/coveragepy-7.17.3-branch/coverage.json';

/** Waits until the service worker is active and controls the page (its cache is full). */
async function controlled(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise(r => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
  });
}

const cacheNames = page => page.evaluate(() => caches.keys());

/** Stops the server without waiting for the browser's idle keep-alive connections. */
const stop = server => Promise.race([server.close(), new Promise(r => setTimeout(r, 2000))]);

/** sw.js's FILES and VERSION, as the post-build hook wrote them. */
async function workerList(dist) {
  const sw = await readFile(join(dist, 'sw.js'), 'utf8');
  return {
    files: JSON.parse(sw.match(/^const FILES = (.*);$/m)[1]),
    version: JSON.parse(sw.match(/^const VERSION = (.*);$/m)[1]),
  };
}

async function filesIn(dist) {
  const all = await readdir(dist, { recursive: true, withFileTypes: true });
  return all.filter(e => e.isFile())
    .map(e => relative(dist, join(e.parentPath ?? e.path, e.name)).split(sep).join('/'))
    .filter(f => f !== 'sw.js')
    .sort();
}

for (const base of ['/', '/covgap/']) {
  const label = base === '/' ? 'root' : 'subpath';

  test(`${label}: the worker caches exactly the files of the build`, async () => {
    const dist = distFor(base);
    const { files, version } = await workerList(dist);
    assert.deepEqual(files, await filesIn(dist));
    assert.ok(files.includes('index.html') && files.includes('demo/coverage.json'));
    assert.ok(files.some(f => f.endsWith('_bg.wasm')));
    assert.match(version, /^[0-9a-f]{16}$/);
  });

  test(`${label}: after one visit, the app works offline with the server stopped`, async () => {
    const app = await open({ base });
    try {
      const { page, context, server } = app;
      await load(page, app.url);
      await controlled(page);
      const { version } = await workerList(distFor(base));
      assert.deepEqual(await cacheNames(page), [`covgap:${app.url}:${version}`]);

      await context.setOffline(true);
      await stop(server);
      const seen = server.requests.length;
      await page.reload();
      await page.waitForSelector('header.topbar', { timeout: 30_000 });
      assert.equal(await page.evaluate(() => navigator.onLine), false);

      // The bundled demo comes from the cache ...
      await page.click('#demo');
      const demo = await headline(page, 'demo: jinja2');
      assert.match(demo.total, /%$/);
      // ... and a dropped report needs no network at all.
      await dropFiles(page, [{ path: fixture(ATTRS), name: 'attrs.coverage.json' }]);
      const attrs = await headline(page, 'attrs.coverage.json');
      assert.match(attrs.total, /%$/);
      await shot(page, `offline-${label}`);

      assert.equal(server.requests.length, seen, 'nothing reached the (stopped) server');
      assert.deepEqual(app.errors, []);
    } finally {
      await app.close();
    }
  });
}

test('a new deploy installs a waiting worker and the banner reloads into it', async () => {
  const base = '/covgap/';
  const tmp = await mkdtemp(join(tmpdir(), 'covgap-update-'));
  const dist = join(tmp, 'dist');
  await cp(distFor(base), dist, { recursive: true });
  const server = await serve({ dir: dist, base });
  const context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 900 }, locale: 'en-US',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    const errors = [];
    page.on('pageerror', e => errors.push(String(e)));
    await load(page, server.url);
    await controlled(page);
    const before = (await workerList(dist)).version;
    assert.equal(await page.locator('#update-banner').count(), 0, 'no banner on a first visit');

    // A new deploy whose file list differs: a stylesheet got a new content hash.
    const css = (await readdir(dist)).find(f => /^offline-[0-9a-f]+\.css$/.test(f));
    const renamed = css.replace(/-[0-9a-f]+\.css$/, '-0000000000000001.css');
    await rename(join(dist, css), join(dist, renamed));
    const html = await readFile(join(dist, 'index.html'), 'utf8');
    await writeFile(join(dist, 'index.html'), html.replace(css, renamed));
    const { version: after } = await postBuild(dist);
    assert.notEqual(after, before);

    // The browser checks sw.js on navigations and every 24 h; ask now.
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    const banner = page.locator('#update-banner');
    await banner.waitFor({ timeout: 30_000 });
    assert.match(await banner.textContent(), /A new version of covgap is ready\./);
    // Until the user accepts, the page keeps running on the version it started with.
    assert.deepEqual((await cacheNames(page)).sort(), [`covgap:${server.url}:${before}`, `covgap:${server.url}:${after}`].sort());
    assert.match(await page.evaluate(() => navigator.serviceWorker.controller.scriptURL), /\/covgap\/sw\.js$/);
    await shot(page, 'offline-update-banner');

    await Promise.all([page.waitForEvent('load'), page.click('#update-reload')]);
    await page.waitForSelector('header.topbar', { timeout: 30_000 });
    await controlled(page);
    assert.equal(await page.locator(`link[href$="${renamed}"]`).count(), 1, 'the new deploy is running');
    assert.equal(await page.locator('#update-banner').count(), 0);
    // The old version's cache is gone; only the new one is left.
    assert.deepEqual(await cacheNames(page), [`covgap:${server.url}:${after}`]);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await server.close();
    await rm(tmp, { recursive: true, force: true });
  }
});
