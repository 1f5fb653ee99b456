// Accessibility (issue #11 part 5): axe-core over every view, in light and dark and at 390 px,
// with real reports and a plan loaded, must find nothing; and the keyboard works as the
// WAI-ARIA patterns say: the help dialog traps focus and gives it back, tab lists move with
// the arrow keys and keep one tab stop, the directory tree is a tree. axe-core is injected
// into a context that bypasses the app's Content-Security-Policy (which rightly refuses it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { open, load, shot, fixture, dropFiles, axe, ROOT, ARTIFACTS } from './lib.mjs';


const P241 = fixture('packaging-24.1/coveragepy-7.17.3-branch/coverage.json');
const P250 = fixture('packaging-25.0/coveragepy-7.17.3-branch/coverage.json');
const SMALL = fixture('packaging-25.0/coveragepy-7.17.3-branch-contexts-small/coverage.json');
const SEED = fixture('seed-plans/003_7431c420d4458ffd.md');
const PLAN = join(ROOT, 'examples/plans/seed-shaped.plan.json');
const SECTIONS = ['phases', 'priorities', 'what-if', 'board', 'editor', 'exports'];
const VIEWS = ['files', 'tree', 'compare', 'plan'];

const MODES = [
  { name: 'light', colorScheme: 'light', viewport: { width: 1280, height: 900 } },
  { name: 'dark', colorScheme: 'dark', viewport: { width: 1280, height: 900 } },
  { name: 'narrow', colorScheme: 'light', viewport: { width: 390, height: 844 } },
  { name: 'narrow-dark', colorScheme: 'dark', viewport: { width: 390, height: 844 } },
];

/** The id (or, failing that, the tag) of the focused element. */
const focused = page => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

async function dropReports(page) {
  await dropFiles(page, [
    { path: P241, name: 'packaging-24.1.coverage.json' },
    { path: SMALL, name: 'packaging-25.0-small.coverage.json' },
    { path: P250, name: 'packaging-25.0.coverage.json' },
  ]);
  await page.locator('li.load dd[data-field="total"]').nth(2).waitFor({ timeout: 30_000 });
  await page.locator('[data-field="total-percent"]').waitFor({ timeout: 30_000 });
}

async function tab(page, slug) {
  await page.click(`#tab-${slug}`);
  await page.waitForSelector(`#tab-${slug}[aria-selected="true"]`);
}

for (const mode of MODES) {
  test(`axe finds nothing on any view (${mode.name})`, async () => {
    const app = await open({ colorScheme: mode.colorScheme, viewport: mode.viewport, bypassCSP: true });
    const found = [];
    try {
      const { page } = app;
      await load(page, app.url);
      found.push(...await axe(page, 'empty'));
      await shot(page, `a11y-${mode.name}-empty`);

      await dropReports(page);
      found.push(...await axe(page, 'summary + file table'));
      await shot(page, `a11y-${mode.name}-files`);

      await tab(page, 'tree');
      await page.click('.tree .controls button:has-text("Expand all")');
      await page.locator('#tree-table .file-row').first().waitFor();
      found.push(...await axe(page, 'tree'));

      await tab(page, 'compare');
      await page.locator('.compare [data-field="compare-verdict"]').waitFor({ timeout: 30_000 });
      await page.locator('#trend-chart').waitFor({ timeout: 30_000 });
      found.push(...await axe(page, 'compare + trend'));
      await page.click('#compare-layout-tree');
      await page.click('#compare-expand');
      found.push(...await axe(page, 'compare tree'));
      await page.click('#compare-layout-files');

      // The seed plan, in markdown: the import preview, then the plan tab's every section.
      await dropFiles(page, [{ path: SEED, name: 'ROADMAP.md' }]);
      await page.locator('#import-review').waitFor({ timeout: 30_000 });
      found.push(...await axe(page, 'import preview'));
      await page.click('#import-use');
      await page.locator('li.load [data-field="plan"]').waitFor({ timeout: 30_000 });
      await tab(page, 'plan');
      for (const s of SECTIONS) {
        await page.click(`#plan-tab-${s}`);
        await page.waitForSelector(`#plan-tab-${s}[aria-selected="true"]`);
        found.push(...await axe(page, `plan ${s} (seed)`));
      }
      // A plan whose modules match this report's files.
      await dropFiles(page, [{ path: PLAN, name: 'coverage-plan.json' }]);
      await page.locator('#plan-title').waitFor({ timeout: 30_000 });
      for (const s of SECTIONS) {
        await page.click(`#plan-tab-${s}`);
        await page.waitForSelector(`#plan-tab-${s}[aria-selected="true"]`);
        found.push(...await axe(page, `plan ${s}`));
      }
      await page.click('#plan-tab-phases');
      await shot(page, `a11y-${mode.name}-plan`);

      await page.click('#help-button');
      await page.locator('[role="dialog"]').waitFor();
      found.push(...await axe(page, 'help'));
      await shot(page, `a11y-${mode.name}-help`);
      await page.keyboard.press('Escape');
      await page.locator('[role="dialog"]').waitFor({ state: 'detached' });

      // The file view, opened from the file table of a report given alone: without its
      // source first (the missing ranges only), then with the project's folder picked.
      await load(page, app.url);
      await dropFiles(page, [{ path: SMALL, name: 'coverage.json' }]);
      await page.waitForSelector('#file-table a.file-open', { timeout: 30_000 });
      await page.click('#file-table a.file-open[data-open="src/packaging/specifiers.py"]');
      await page.locator('#file-view .sv-missing').first().waitFor();
      found.push(...await axe(page, 'file view without source', '#file-view'));
      await page.click('#sv-back');
      await page.waitForSelector('#file-table a.file-open');
      await page.setInputFiles('#source-folder-input', join(ROOT, 'tests/sources/packaging-25.0'));
      await page.waitForFunction(() => /found (their|its) source/.test(document.querySelector('#source-summary')?.textContent || ''));
      await page.click('#file-table a.file-open[data-open="src/packaging/version.py"]');
      await page.waitForSelector('.sv-code [data-line]');
      found.push(...await axe(page, 'file view', '#file-view'));
      await shot(page, `a11y-${mode.name}-file-view`);
      assert.deepEqual(app.errors, []);
    } finally {
      await app.close();
    }
    assert.equal(found.length, 0, `axe found ${found.length} problems:\n${found.join('\n')}`);
  });
}

test('the help dialog takes the focus, keeps it inside, and gives it back when closed', async () => {
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);
    await dropReports(page);
    // Opened from its button with the keyboard.
    await page.focus('#help-button');
    await page.keyboard.press('Enter');
    await page.locator('[role="dialog"]').waitFor();
    assert.equal(await focused(page), 'help-close', 'the focus moves into the dialog');
    const inside = () => page.evaluate(() => !!document.activeElement?.closest('#help-dialog'));
    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      assert.ok(await inside(), `after ${key} the focus is still in the dialog (it is on ${await focused(page)})`);
    }
    await page.keyboard.press('Escape');
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    assert.equal(await focused(page), 'help-button', 'Escape gives the focus back to the opener');
    // Opened with "?" from a tab, closed with its Close button: back on that tab.
    await page.focus('#tab-files');
    await page.keyboard.press('?');
    await page.locator('[role="dialog"]').waitFor();
    assert.equal(await focused(page), 'help-close');
    await page.keyboard.press('Enter');
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    assert.equal(await focused(page), 'tab-files');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('the view tabs and the plan tabs: one tab stop, arrow keys, Home and End', async () => {
  const app = await open({ viewport: { width: 1280, height: 1000 } });
  try {
    const { page } = app;
    await load(page, app.url);
    await dropReports(page);
    await dropFiles(page, [{ path: PLAN, name: 'coverage-plan.json' }]);
    await page.locator('li.load [data-field="plan"]').waitFor({ timeout: 30_000 });
    const stops = sel => page.locator(sel).evaluateAll(ts => ts.map(t => `${t.id}:${t.getAttribute('aria-selected')}:${t.tabIndex}`));
    assert.deepEqual(await stops('.tabs [role="tab"]'),
      ['tab-files:true:0', 'tab-tree:false:-1', 'tab-compare:false:-1', 'tab-plan:false:-1']);
    assert.equal(await page.getAttribute('#panel', 'aria-labelledby'), 'tab-files');
    await page.focus('#tab-files');
    const expectTab = async (key, id) => {
      await page.keyboard.press(key);
      await page.waitForSelector(`#${id}[aria-selected="true"]`);
      assert.equal(await focused(page), id, `${key} focuses ${id}`);
    };
    await expectTab('ArrowRight', 'tab-tree');
    assert.equal(await page.getAttribute('#panel', 'aria-labelledby'), 'tab-tree');
    assert.equal(await page.locator('#tree-table').count(), 1);
    await expectTab('ArrowLeft', 'tab-files');
    await expectTab('ArrowLeft', 'tab-plan');
    await expectTab('Home', 'tab-files');
    await expectTab('End', 'tab-plan');
    assert.deepEqual(await stops('.tabs [role="tab"]'),
      ['tab-files:false:-1', 'tab-tree:false:-1', 'tab-compare:false:-1', 'tab-plan:true:0']);
    // Tab leaves the tab list: the next stop is in the panel, not another view tab.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => !!document.activeElement?.closest('#panel')), true);
    assert.equal(await page.evaluate(() => !!document.activeElement?.closest('.tabs')), false);
    // The plan's own tab list, the same way.
    await page.focus('#plan-tab-phases');
    const expectSection = async (key, slug) => {
      await page.keyboard.press(key);
      await page.waitForSelector(`#plan-tab-${slug}[aria-selected="true"]`);
      assert.equal(await focused(page), `plan-tab-${slug}`);
      assert.equal(await page.getAttribute('#plan-section', 'aria-labelledby'), `plan-tab-${slug}`);
    };
    await expectSection('ArrowRight', 'priorities');
    await expectSection('End', 'exports');
    await expectSection('ArrowRight', 'phases');
    await expectSection('ArrowLeft', 'exports');
    await expectSection('Home', 'phases');
    assert.equal(await page.locator('.plan-tabs [role="tab"][tabindex="0"]').count(), 1);
    assert.deepEqual(VIEWS.map(v => `tab-${v}`), await page.locator('.tabs [role="tab"]').evaluateAll(ts => ts.map(t => t.id)));
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('the directory tree is a treegrid: one tab stop, Up/Down/Home/End, Right/Left, Enter', async () => {
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);
    await dropReports(page);
    await page.click('#tab-tree');
    const grid = page.locator('#tree-table');
    assert.equal(await grid.getAttribute('role'), 'treegrid');
    const rows = grid.locator('tbody tr[aria-level]');
    const row = () => page.evaluate(() => {
      const r = document.activeElement.closest('tr');
      return r && { path: r.dataset.path, level: Number(r.getAttribute('aria-level')), expanded: r.getAttribute('aria-expanded') };
    });
    const path = async key => { await page.keyboard.press(key); return (await row()).path; };
    assert.equal(await grid.locator('tbody tr[tabindex="0"]').count(), 1, 'one tab stop');
    // Tab from the Collapse all button lands on the tree's one stop: the first row.
    const collapse = '.tree .controls button:has-text("Collapse all")';
    await page.click(collapse);
    await page.keyboard.press('Tab');
    const first = await row();
    assert.deepEqual(first, { path: await rows.first().getAttribute('data-path'), level: 1, expanded: 'false' });
    // Right opens a closed directory, and again goes to its first child; Left goes back up.
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector(`#tree-table tr[data-path="${first.path}"][aria-expanded="true"]`);
    assert.equal((await row()).path, first.path, 'opening keeps the focus');
    await page.keyboard.press('ArrowRight');
    const child = await row();
    assert.equal(child.level, 2);
    assert.ok(child.path.startsWith(`${first.path}/`), child.path);
    assert.equal(child.expanded, 'false');
    await page.keyboard.press('ArrowLeft');
    assert.equal((await row()).path, first.path, 'Left goes to the parent');
    // Everything open; Tab comes back to the row that had the focus.
    await page.click('.tree .controls button:has-text("Expand all")');
    await page.focus(collapse);
    await page.keyboard.press('Tab');
    assert.equal((await row()).path, first.path);
    // Down and Up walk the rows in sight; End and Home go to the last and the first.
    const inSight = await rows.evaluateAll(rs => rs.map(r => r.dataset.path));
    assert.ok(inSight.length > 3, inSight.join(' '));
    assert.equal(await path('ArrowDown'), inSight[1]);
    assert.equal(await path('ArrowDown'), inSight[2]);
    assert.equal(await path('ArrowUp'), inSight[1]);
    assert.equal(await path('End'), inSight[inSight.length - 1]);
    assert.equal(await path('Home'), inSight[0]);
    // Enter closes and opens a directory; Left on an open one closes it.
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#tree-table tr[data-path="${first.path}"][aria-expanded="false"]`);
    assert.equal(await grid.locator(`tbody tr[data-path^="${first.path}/"]`).count(), 0, 'its rows are gone');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#tree-table tr[data-path="${first.path}"][aria-expanded="true"]`);
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector(`#tree-table tr[data-path="${first.path}"][aria-expanded="false"]`);
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector(`#tree-table tr[data-path="${first.path}"][aria-expanded="true"]`);
    // The tab stop follows the focus: leave the tree and come back to the same row.
    await page.keyboard.press('End');
    const last = (await row()).path;
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    assert.equal((await row()).path, last);
    assert.equal(await grid.locator('tbody tr[tabindex="0"]').count(), 1);
    await shot(page, 'a11y-tree-keyboard');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

for (const colorScheme of ['light', 'dark']) {
  test(`at 390 px (${colorScheme}) the verdict is above the fold and the file table scrolls in a focusable region`, async () => {
    const app = await open({ colorScheme, viewport: { width: 390, height: 844 } });
    try {
      const { page } = app;
      await load(page, app.url);
      await dropReports(page);
      await page.evaluate(() => window.scrollTo(0, 0));
      const verdict = await page.locator('[data-field="verdict"]').boundingBox();
      assert.ok(verdict.y >= 0 && verdict.y + verdict.height <= 844, `the verdict is at ${verdict.y}..${verdict.y + verdict.height}`);
      await shot(page, `a11y-390-${colorScheme}-top`);
      const wrap = page.locator('#file-table').locator('xpath=..');
      assert.equal(await wrap.getAttribute('role'), 'region');
      assert.equal(await wrap.getAttribute('tabindex'), '0');
      assert.ok(await wrap.getAttribute('aria-label'));
      const { scroll, client } = await wrap.evaluate(w => ({ scroll: w.scrollWidth, client: w.clientWidth }));
      assert.ok(scroll > client, `the table is wider than its region (${scroll} > ${client})`);
      // Rows stay a line or two tall: the paths get room and the table scrolls sideways.
      const heights = await page.locator('#file-table tbody tr').evaluateAll(rs => rs.map(r => r.getBoundingClientRect().height));
      assert.ok(Math.max(...heights) < 80, `rows up to ${Math.max(...heights)} px tall`);
      // The region is the tab stop after the table's last control, scrolls with the
      // keyboard, and shows that it has the focus.
      await page.focus('#hide-empty');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement === document.querySelector('#file-table').parentElement), true);
      const outline = await wrap.evaluate(w => getComputedStyle(w).outlineStyle);
      assert.equal(outline, 'solid');
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => document.querySelector('#file-table').parentElement.scrollLeft > 0);
      await wrap.scrollIntoViewIfNeeded();
      await shot(page, `a11y-390-${colorScheme}-table`);
      assert.deepEqual(app.errors, []);
    } finally {
      await app.close();
    }
  });
}
