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
    // The page's own bundle has no readers: whatever reads the file is the worker (one is
    // started ahead of the first drop, so listen from the start).
    const workers = [];
    app.page.on('worker', w => workers.push(w.url()));
    await load(app.page, app.url);
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

test('big reports load side by side with progress bars; Cancel removes only its card', async () => {
  const paths = [await big(), await makeScaled({ mb: 32 }), await makeScaled({ mb: 30, out: join(tmpdir(), 'covgap-scaled', 'coverage.SCALED-30MB.json') })];
  for (const colorScheme of ['light', 'dark']) {
    const app = await open({ colorScheme });
    try {
      const { page } = app;
      // Two workers at once, whatever this machine's cores: the third file waits its turn,
      // so its card is still loading when Cancel is pressed.
      await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 2 }));
      await load(page, app.url);
      await dropFiles(page, [{ path: fixture(ATTRS), name: 'attrs.coverage.json' }]);
      const before = await headline(page, 'attrs.coverage.json');
      await page.setInputFiles('#file-input', paths);
      const waiting = card(page, 'SCALED-30MB');
      await waiting.locator('label[data-field="phase"]', { hasText: /^Waiting…/ }).waitFor({ timeout: 30_000 });
      // Cancelled at once, while it still waits its turn (on a busy machine the steps below
      // can take long enough for the other two to finish and this one to start and load).
      const cancel = waiting.getByRole('button', { name: 'Cancel loading coverage.SCALED-30MB.json' });
      // Forced: the bars beside it move on while Playwright waits for a still element.
      await cancel.click({ force: true });
      await waiting.waitFor({ state: 'detached', timeout: 10_000 });
      const c = card(page, 'SCALED-60MB');
      const bar = c.locator('progress');
      await bar.waitFor();
      assert.equal(await bar.getAttribute('max'), '1');
      // The bar is labelled by the step it is at (a <label for> the bar).
      const label = c.locator('label[data-field="phase"]');
      assert.match(await label.textContent(), /^(Starting|Reading|Parsing|Encoding|Preparing)…/);
      assert.equal(await label.getAttribute('for'), await bar.getAttribute('id'));
      await shot(page, `loading-card-${colorScheme}`);
      // The rest of the page answers meanwhile: the loaded report stays shown and usable.
      await page.click('#tab-tree');
      await page.click('#tab-files');
      // The others carry on and load; the report loaded before keeps its figures.
      for (const name of ['coverage.SCALED-60MB.json', 'coverage.SCALED-32MB.json']) {
        await card(page, name).locator('dd[data-field="total"]').waitFor({ timeout: 180_000 });
        assert.match((await headline(page, name)).total, /%$/);
      }
      assert.deepEqual(await headline(page, 'attrs.coverage.json'), before);
      assert.equal(await page.locator('li.load').count(), 3);
      assert.equal(await page.locator('li.load progress').count(), 0);
      assert.deepEqual(app.errors, []);
    } finally {
      await app.close();
    }
  }
});
