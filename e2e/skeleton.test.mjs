// The walking skeleton, as a person uses it: pick a file, drop a file, drop a bad file,
// try the demo — at the site root and under a GitHub Pages-like sub-path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, load, shot, fixture, toolTotals, dropFiles, headline, n } from './lib.mjs';

const JINJA = 'jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json';
const ATTRS = 'attrs-26.1.0/coveragepy-7.17.3-branch/coverage.json';
const BAD = '_malformed/truncated-mid-token.coverage.json';

async function assertHeadline(page, name, rel) {
  const t = await toolTotals(rel);
  const h = await headline(page, name);
  assert.match(h.format, /coverage\.py JSON, format 3 \(coverage\.py 7\.17\.3\), with branches/);
  assert.equal(n(h.statements), t.num_statements);
  assert.equal(n(h.covered), t.covered_lines);
  assert.equal(n(h.missing), t.missing_lines);
  assert.equal(h.branches, `${t.covered_branches.toLocaleString('en-US')} of ${t.num_branches.toLocaleString('en-US')}`);
  // Exactly what coverage.py displays.
  assert.equal(h.total, `${t.percent_covered_display}%`);
  return h;
}

for (const base of ['/', '/covgap/']) {
  const label = base === '/' ? 'root' : 'subpath';

  test(`${label}: file input, synthetic drop, bad file after good, demo`, async () => {
    const app = await open({ base });
    try {
      const { page } = app;
      await load(page, app.url);
      await shot(page, `${label}-empty`);

      // 1. The file picker.
      await page.setInputFiles('#file-input', fixture(JINJA));
      const h = await assertHeadline(page, 'coverage.json', JINJA);
      assert.equal(n(h.files), 54);

      // 2. A synthetic drop of another real report.
      await dropFiles(page, [{ path: fixture(ATTRS), name: 'attrs.coverage.json' }]);
      await assertHeadline(page, 'attrs.coverage.json', ATTRS);

      // 3. A broken file: a clear error naming it, and what was loaded stays.
      await dropFiles(page, [{ path: fixture(BAD), name: 'broken.json' }]);
      const err = page.locator('li.load.failed .error');
      await err.waitFor();
      const text = await err.textContent();
      // The parsing worker says which format it read the file as.
      assert.match(text, /Could not load broken\.json: read as coverage\.py JSON: the file ends too early/);
      await assertHeadline(page, 'coverage.json', JINJA);
      await assertHeadline(page, 'attrs.coverage.json', ATTRS);
      assert.equal(await page.locator('li.load').count(), 3);
      await shot(page, `${label}-loaded-and-error`);

      // 4. The demo button loads the bundled report (relative URL: works under the sub-path).
      await page.click('#demo');
      await assertHeadline(page, 'demo: jinja2', JINJA);
      await page.waitForSelector('[data-field="total-percent"]');
      await shot(page, `${label}-demo`);
      assert.deepEqual(app.errors, []);
    } finally {
      await app.close();
    }
  });
}
