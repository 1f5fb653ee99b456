// The 50 MB scaled report (synthetic: real reports replicated, totals in MANIFEST.md) loads
// in the page and the table stays small in the DOM. The input lives outside the project
// (../shared or $COVGAP_SCALED); without it this test says so and skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { open, load, shot, headline, n } from './lib.mjs';
import { scaledReport } from './scaled.mjs';

test('the 50 MB report loads; the DOM stays small', async t => {
  const path = await scaledReport();
  if (!path) return t.skip('scaled fixture not found (../shared/fixtures/_scaled or $COVGAP_SCALED)');
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);
    await page.setInputFiles('#file-input', path);
    const h = await headline(page, 'coverage.SCALED-50MB.json');
    // MANIFEST.md: 2,397 files; num_statements 392,848; covered_lines 334,312; display "83".
    assert.equal(n(h.files), 2397);
    assert.equal(n(h.statements), 392848);
    assert.equal(n(h.covered), 334312);
    assert.equal(h.total, '83%');
    const rows = await page.locator('#file-table tbody tr').count();
    assert.equal(rows, 200, 'first page of rows only');
    await page.click('#show-more');
    assert.equal(await page.locator('#file-table tbody tr').count(), 1200);
    await page.click('#tab-tree');
    assert.ok(await page.locator('#tree-table tbody tr').count() <= 300, 'a wide tree starts closed');
    await shot(page, 'bigfile-tree');
    assert.ok(existsSync(path));
  } finally {
    await app.close();
  }
});
