// The 50 MB scaled report (synthetic: real reports replicated, totals in MANIFEST.md) loads
// in the page and the table stays small in the DOM. The input lives outside the project
// (../shared or $COVGAP_SCALED); without it this test says so and skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { open, load, shot, headline, n, axe } from './lib.mjs';
import { scaledReport } from './scaled.mjs';

test('the 50 MB report loads; the DOM stays small; every row can be scrolled to', async t => {
  const path = await scaledReport();
  if (!path) return t.skip('scaled fixture not found (../shared/fixtures/_scaled or $COVGAP_SCALED)');
  // axe-core is injected into the page: the CSP would refuse it.
  const app = await open({ bypassCSP: true });
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
    // Every file is in the table, but only the rows on screen (and a margin) are in the page.
    const table = page.locator('#file-table');
    assert.equal(await table.getAttribute('aria-rowcount'), String(2397 + 1));
    const rendered = () => page.locator('#file-table tbody tr:not(.spacer)').count();
    assert.ok(await rendered() <= 80, `${await rendered()} rows rendered`);
    // Whatever the scroll position, the rows on screen are there: the top, the middle and
    // the very last row, each without a gap where rows should be.
    const onScreen = () => page.evaluate(() => {
      const rows = [...document.querySelectorAll('#file-table tbody tr:not(.spacer)')];
      const seen = rows.filter(r => { const b = r.getBoundingClientRect(); return b.bottom > 0 && b.top < innerHeight; });
      const body = document.querySelector('#file-table tbody').getBoundingClientRect();
      const top = Math.max(body.top, 0), bottom = Math.min(body.bottom, innerHeight);
      const covered = seen.reduce((s, r) => { const b = r.getBoundingClientRect(); return s + Math.min(b.bottom, bottom) - Math.max(b.top, top); }, 0);
      return { first: seen[0]?.getAttribute('aria-rowindex'), last: seen.at(-1)?.getAttribute('aria-rowindex'), covered, visible: bottom - top, rows: rows.length };
    });
    for (const at of [0.5, 1]) {
      await page.evaluate(f => window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * f), at);
      await page.waitForFunction(() => new Promise(r => requestAnimationFrame(() => r(true))));
      await page.waitForTimeout(100);
      const s = await onScreen();
      assert.ok(s.first && s.covered >= s.visible - 2, `scrolled to ${at}: rows ${s.first}..${s.last} cover ${s.covered} of ${s.visible} px`);
      assert.ok(s.rows <= 80, `${s.rows} rows rendered`);
      if (at === 1) assert.equal(s.last, String(2397 + 1), 'the last file is reachable');
      await shot(page, `bigfile-table-${at}`);
    }
    // The last row is the last file of the sort (the CLI's order is not the table's: the
    // table sorts by name by default, so check the name order instead).
    const lastName = await page.locator('#file-table tbody tr:not(.spacer)').last().locator('th.path').textContent();
    assert.match(lastName, /^scaled-copy-0014\//);
    // The windowed table (row counts and indices, hidden spacers) passes axe-core.
    assert.deepEqual(await axe(page, 'windowed file table'), []);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.click('#tab-tree');
    assert.ok(await page.locator('#tree-table tbody tr').count() <= 300, 'a wide tree starts closed');
    await shot(page, 'bigfile-tree');
    assert.ok(existsSync(path));
  } finally {
    await app.close();
  }
});
