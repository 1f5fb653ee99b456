// Loading through the parsing worker, as a user does it (docs/worker.md): a dropped file and
// a picked one, the loading card's progress bar and its Cancel button, an error from the
// worker on a broken file, several files at once, and the loading card's screenshots in
// light and dark. Offline loads (demo and a dropped file, through the worker, with the
// server stopped) are in offline.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { open, load, fixture, toolTotals, headline, dropFiles, shot, n } from './lib.mjs';
import { makeScaled } from '../scripts/make-scaled.mjs';

const JINJA = 'jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json';
const ATTRS = 'attrs-26.1.0/coveragepy-7.17.3-branch/coverage.json';
const TRUNCATED = '_malformed/truncated-mid-token.coverage.json';

/** A report big enough that its load is still under way when the test looks at it. */
const big = () => makeScaled({ mb: 60, out: join(tmpdir(), 'covgap-scaled', 'coverage.SCALED-60MB.json') });

const card = (page, name) =>
  page.locator('li.load', { has: page.locator('.load-head .filename', { hasText: name }) }).first();

/** Picks files with the page's own file input, as the "choose files" link does: paths, or
 *  [path, name] to give a fixture a name of its own. */
async function pick(page, files) {
  const given = [];
  for (const f of files) {
    const [path, name] = typeof f === 'string' ? [f, basename(f)] : f;
    given.push({ name, mimeType: 'application/json', buffer: await readFile(path) });
  }
  await page.setInputFiles('#file-input', given);
}

test('a dropped report loads through the worker and gives coverage.py\'s totals', async () => {
  const app = await open();
  try {
    await load(app.page, app.url);
    // The page's own bundle has no readers: whatever reads the file is the worker.
    const workers = [];
    app.page.on('worker', w => workers.push(w.url()));
    await dropFiles(app.page, [{ path: fixture(JINJA), name: 'jinja.coverage.json' }]);
    const h = await headline(app.page, 'jinja.coverage.json');
    const t = await toolTotals(JINJA);
    assert.equal(n(h.statements), t.num_statements);
    assert.equal(n(h.covered), t.covered_lines);
    assert.equal(h.total, `${t.percent_covered_display}%`);
    assert.ok(workers.some(u => u.endsWith('/worker_loader.js')), workers.join(' '));
    await app.page.locator('[data-field="total-percent"]').first().waitFor();
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('picked files load in parallel; a broken one says which file and why, and nothing else is lost', async () => {
  const app = await open();
  try {
    await load(app.page, app.url);
    await dropFiles(app.page, [{ path: fixture(ATTRS), name: 'attrs.coverage.json' }]);
    const before = await headline(app.page, 'attrs.coverage.json');
    await pick(app.page, [[fixture(JINJA), 'jinja.coverage.json'], fixture(TRUNCATED)]);
    const error = card(app.page, 'truncated-mid-token').locator('p.error');
    await error.waitFor({ timeout: 30_000 });
    const text = (await error.textContent()).trim();
    assert.match(text, /^Could not load truncated-mid-token\.coverage\.json: read as coverage\.py JSON: /);
    assert.match(text, /ends too early|end of file|truncated|EOF/i);
    const jinja = await headline(app.page, 'jinja.coverage.json');
    assert.equal(n(jinja.statements), (await toolTotals(JINJA)).num_statements);
    // The report loaded before is still there, with the same figures.
    assert.deepEqual(await headline(app.page, 'attrs.coverage.json'), before);
    assert.equal(await app.page.locator('li.load.failed').count(), 1);
    assert.equal(await app.page.locator('li.load progress').count(), 0, 'no progress bar once loads end');
  } finally {
    await app.close();
  }
});

test('a big report shows a progress bar and a Cancel button; Cancel removes only its card', async () => {
  const path = await big();
  for (const colorScheme of ['light', 'dark']) {
    const app = await open({ colorScheme });
    try {
      const { page } = app;
      await load(page, app.url);
      await dropFiles(page, [{ path: fixture(ATTRS), name: 'attrs.coverage.json' }]);
      const before = await headline(page, 'attrs.coverage.json');
      await page.setInputFiles('#file-input', path);
      const c = card(page, 'SCALED-60MB');
      const bar = c.locator('progress');
      await bar.waitFor({ timeout: 30_000 });
      assert.equal(await bar.getAttribute('max'), '1');
      // The bar is labelled by the step it is at, and its value moves on as bytes are read.
      const label = await c.locator('label[data-field="phase"]').textContent();
      assert.match(label, /^(Starting|Waiting|Reading|Parsing|Encoding|Preparing)…/);
      assert.equal(await page.locator(`#${await bar.getAttribute('id')}`).count(), 1);
      await page.waitForFunction(() => Number(document.querySelector('li.load progress')?.value || 0) > 0);
      // The rest of the page answers meanwhile: the loaded report can be shown.
      await card(page, 'attrs.coverage.json').locator('dd[data-field="total"]').waitFor();
      await shot(page, `loading-card-${colorScheme}`);
      const cancel = c.getByRole('button', { name: /^Cancel loading/ });
      assert.equal(await cancel.count(), 1);
      // Forced: the bar beside it moves on while Playwright waits for a still element.
      await cancel.click({ force: true });
      await c.waitFor({ state: 'detached', timeout: 10_000 });
      assert.equal(await page.locator('li.load').count(), 1);
      assert.deepEqual(await headline(page, 'attrs.coverage.json'), before);
      assert.match(await page.locator('#announcer').textContent(), /Cancelled loading/);
      // The next load works.
      await dropFiles(page, [{ path: fixture(JINJA), name: 'after-cancel.json' }]);
      assert.match((await headline(page, 'after-cancel.json')).total, /%$/);
      assert.deepEqual(app.errors, []);
    } finally {
      await app.close();
    }
  }
});
