// Privacy and CSP: a whole session (load, demo, reports, a plan, every tab, every export)
// asks for nothing but the app's own files from its own origin, triggers no
// Content-Security-Policy violation, and hostile file names render as inert text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { open, load, shot, fixture, dropFiles, headline, distFor, ROOT } from './lib.mjs';

const JINJA = 'jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json';
const ATTRS = 'attrs-26.1.0/coveragepy-7.17.3-branch/coverage.json';
const HOSTILE = '_malformed/hostile-filenames-valid-utf8.coverage.json';
const PLAN = join(ROOT, 'examples/plans/jinja2-demo.plan.json');
const EVIL_NAME = '<img src=x onerror=window.__pwned=1>.json';
// Names inside the hostile report that would run code if they were parsed as markup.
const HOSTILE_NAMES = [
  "src/<script>alert('xss-1')</script>.py",
  'src/"><img src=x onerror=alert(2)>.py',
  'src/</title></head><body onload=alert(3)>.py',
];

/** The URL paths the app may ask for: its built files, its folder, and the worker. */
async function allowedPaths(base) {
  const dist = distFor(base);
  const all = await readdir(dist, { recursive: true, withFileTypes: true });
  const files = all.filter(e => e.isFile())
    .map(e => relative(dist, join(e.parentPath ?? e.path, e.name)).split(sep).map(encodeURIComponent).join('/'));
  return new Set([base, ...files.map(f => base + f)]);
}

/** What the app's CSP must be, given the served index.html (hashes of its inline scripts). */
function expectedCsp(html) {
  const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter(m => !/\ssrc\s*=/i.test(m[1]));
  assert.equal(inline.length, 1, "Trunk's boot script is the only inline script");
  const hash = createHash('sha256').update(inline[0][2]).digest('base64');
  return `default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-${hash}'; style-src 'self'; ` +
    "img-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; " +
    "base-uri 'self'; form-action 'none'";
}

/** Clicks every export-like button in the open tab (download, copy, export). */
async function clickExports(page) {
  const buttons = page.locator('#panel button, #panel a[download]').filter({ hasText: /export|download|copy|csv|markdown|json/i });
  const n = await buttons.count();
  for (let i = 0; i < n; i++) {
    const b = buttons.nth(i);
    if (await b.isVisible() && await b.isEnabled()) await b.click();
  }
  return n;
}

for (const base of ['/', '/covgap/']) {
  const label = base === '/' ? 'root' : 'subpath';

  test(`${label}: a whole session stays on the app's own files, under its CSP`, async () => {
    const app = await open({ base });
    try {
      const { page, context, server } = app;
      const origin = new URL(app.url).origin;
      const seen = new Set();
      const record = r => seen.add(r.url());
      page.on('request', record);
      context.on('request', record);
      const sockets = [];
      page.on('websocket', ws => sockets.push(ws.url()));
      const downloads = [];
      page.on('download', d => downloads.push(d.suggestedFilename()));
      await page.addInitScript(() => {
        window.__csp = [];
        document.addEventListener('securitypolicyviolation', e => {
          window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
        });
      });

      // The CSP is in the index.html the server sends, before anything it governs.
      const html = await (await fetch(app.url)).text();
      const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/);
      assert.ok(meta, 'CSP meta in the served index.html');
      assert.equal(meta[1], expectedCsp(html));
      assert.ok(html.indexOf(meta[0]) < html.indexOf('<script'), 'the CSP comes before every script');
      assert.ok(html.indexOf(meta[0]) < html.indexOf('<link'), 'and before every stylesheet');
      assert.doesNotMatch(html, /\sstyle\s*=/i, 'no inline styles');

      await load(page, app.url);
      assert.equal(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content'), meta[1]);

      // Demo, two reports, a plan.
      await page.click('#demo');
      await headline(page, 'demo: jinja2');
      await dropFiles(page, [
        { path: fixture(JINJA), name: 'jinja2.coverage.json' },
        { path: fixture(ATTRS), name: 'attrs.coverage.json' },
      ]);
      await headline(page, 'jinja2.coverage.json');
      await headline(page, 'attrs.coverage.json');
      await dropFiles(page, [{ path: PLAN, name: 'jinja2-demo.plan.json' }]);
      await page.locator('[data-field="plan"]').waitFor({ timeout: 30_000 });

      // Every tab, and every export it offers.
      let exports = 0;
      for (const tab of ['files', 'tree', 'compare', 'plan']) {
        await page.click(`#tab-${tab}`);
        assert.equal(await page.locator(`#tab-${tab}`).getAttribute('aria-selected'), 'true');
        exports += await clickExports(page);
      }
      await page.locator('#panel').scrollIntoViewIfNeeded();
      await shot(page, `privacy-${label}-plan`);

      // Hostile names: inside a report, and as the dropped file's own name.
      await dropFiles(page, [{ path: fixture(HOSTILE), name: 'hostile-filenames-valid-utf8.coverage.json' }]);
      await headline(page, 'hostile-filenames-valid-utf8.coverage.json');
      await dropFiles(page, [{ path: fixture(ATTRS), name: EVIL_NAME }]);
      await headline(page, EVIL_NAME);
      const names = await page.locator('li.load .load-head .filename').allTextContents();
      assert.ok(names.includes(EVIL_NAME), `the file name is shown literally: ${names}`);
      await page.locator('li.load', { has: page.locator('.filename', { hasText: 'hostile-filenames' }) })
        .getByRole('button', { name: /^Show/ }).click();
      await page.click('#tab-files');
      await page.fill('#filter', 'alert');
      await page.locator('#file-table tbody tr').nth(HOSTILE_NAMES.length - 1).waitFor();
      const table = await page.locator('#file-table').textContent();
      for (const name of HOSTILE_NAMES) assert.ok(table.includes(name), `rendered as text: ${name}`);
      await page.locator('#file-table').scrollIntoViewIfNeeded();
      await shot(page, `privacy-${label}-hostile`);
      const dom = await page.evaluate(() => ({
        pwned: window.__pwned,
        imgs: document.querySelectorAll('img').length,
        handlers: [...document.querySelectorAll('*')].flatMap(el =>
          [...el.attributes].filter(a => /^on/i.test(a.name)).map(a => `${el.tagName} ${a.name}`)),
        scripts: [...document.querySelectorAll('script')].map(s => s.src || 'inline'),
      }));
      assert.equal(dom.pwned, undefined);
      assert.equal(dom.imgs, 0, 'no <img> was created from a name');
      assert.deepEqual(dom.handlers, [], 'no inline event handler anywhere');
      assert.equal(dom.scripts.length, 2, `only the boot script and the worker registration: ${dom.scripts}`);

      // No violation in the whole session.
      assert.deepEqual(await page.evaluate(() => window.__csp), []);

      // Every request: the app's own origin, one of its own files.
      const allowed = await allowedPaths(base);
      assert.ok(seen.size > 0);
      for (const u of seen) {
        const url = new URL(u);
        if (url.protocol === 'blob:' || url.protocol === 'data:') {
          // Made in the page (exports): not network requests.
          assert.ok(url.protocol === 'data:' || u.startsWith(`blob:${origin}/`), u);
          continue;
        }
        assert.equal(url.origin, origin, `request to another origin: ${u}`);
        assert.ok(allowed.has(url.pathname), `request for something not in dist: ${u}`);
      }
      for (const path of server.requests) {
        assert.ok(allowed.has(new URL(path, origin).pathname), `the server was asked for ${path}`);
      }
      assert.deepEqual(sockets, []);
      assert.deepEqual(app.errors, []);

      // The policy is really enforced: an injected inline script and inline style are
      // blocked and reported.
      const blocked = await page.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.__inline = 1';
        document.head.append(s);
        document.body.setAttribute('style', 'outline: 1px solid red');
        return new Promise(r => setTimeout(() => r({ inline: window.__inline, csp: window.__csp }), 200));
      });
      assert.equal(blocked.inline, undefined);
      assert.ok(blocked.csp.some(v => v.startsWith('script-src')), blocked.csp.join('\n'));
      assert.ok(blocked.csp.some(v => v.startsWith('style-src')), blocked.csp.join('\n'));
      console.log(`${label}: ${seen.size} distinct requests, ${exports} export buttons clicked, ${downloads.length} downloads`);
    } finally {
      await app.close();
    }
  });
}
