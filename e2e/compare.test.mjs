// Compare & trend, as a team uses it: drop last week's and this week's coverage.json, open
// the "Compare & trend" tab, and read what got better, what got worse and what broke the
// floor. Every figure checked here is checked against the covgap CLI on the same files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { open, load, shot, fixture, dropFiles, ROOT } from './lib.mjs';

const P241 = 'packaging-24.1/coveragepy-7.17.3-branch/coverage.json';
const P250 = 'packaging-25.0/coveragepy-7.17.3-branch/coverage.json';
const SMALL = 'packaging-25.0/coveragepy-7.17.3-branch-contexts-small/coverage.json';
const P250_650 = 'packaging-25.0/coveragepy-6.5.0-branch/coverage.json';
const P250_744 = 'packaging-25.0/coveragepy-7.4.4-branch/coverage.json';

/** The CLI's stdout whatever its exit code (compare exits 1 when the gate fails). */
function covgap(...args) {
  const bin = process.env.COVGAP_BIN || join(ROOT, 'target/debug/covgap');
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`covgap ${args.join(' ')}: ${r.stderr}`);
  return { out: r.stdout, status: r.status };
}
const compareJson = (base, current) => JSON.parse(covgap('compare', fixture(base), fixture(current), '--json').out);

/** The text of [data-field=NAME] inside the compare panel. */
async function field(page, name) {
  return (await page.locator(`.compare [data-field="${name}"]`).first().textContent()).trim();
}

/** The sign and two decimals the CLI's text uses for a change (for values off a tie). */
const pp = d => (d === 0 ? '0.00' : `${d > 0 ? '+' : '-'}${Math.abs(d).toFixed(2)}`);

async function openCompare(page) {
  await page.click('#tab-compare');
  await page.locator('.compare [data-field="compare-verdict"]').waitFor({ timeout: 30_000 });
}

async function dropPair(page, base, current) {
  // This week's report first: the page must still pick the older one as the baseline.
  await dropFiles(page, [
    { path: fixture(current), name: 'this-week.coverage.json' },
    { path: fixture(base), name: 'last-week.coverage.json' },
  ]);
  await page.locator('li.load dd[data-field="total"]').nth(1).waitFor({ timeout: 30_000 });
}

/** The page's comparison equals the CLI's JSON on the same two files. */
async function assertMatchesCli(page, base, current) {
  const cli = compareJson(base, current);
  const t = cli.totals.percent_covered;
  const delta = page.locator('.compare [data-field="compare-total-delta"] .delta');
  assert.equal(Number(await delta.getAttribute('data-value')), t.delta_pp);
  assert.match(await field(page, 'compare-total-delta'), new RegExp(`${pp(t.delta_pp).replace('+', '\\+')} pp$`));
  assert.equal(await field(page, 'compare-base-total'), `${t.base.toFixed(2)}%`);
  assert.equal(await field(page, 'compare-current-total'), `${t.current.toFixed(2)}%`);
  const cov = page.locator('.compare [data-field="compare-covered-delta"] .delta');
  assert.equal(Number(await cov.getAttribute('data-value')), cli.totals.delta.metrics.statements.covered);
  for (const k of ['added', 'removed', 'changed', 'unchanged']) {
    assert.equal(Number(await field(page, `compare-${k}`)), cli.summary[k], k);
  }
  assert.equal(Number(await field(page, 'compare-regressions')), cli.summary.regressions);
  assert.equal(Number(await field(page, 'compare-below-floor')), cli.summary.newly_below_floor);
  const flagged = await page.locator('.compare [data-field="compare-verdict"]').getAttribute('data-flagged');
  assert.equal(flagged, String(cli.summary.newly_below_floor > 0 || cli.summary.regressions > 0));
  // Every flagged row the CLI names is flagged on the page, in words.
  const breached = cli.files.filter(f => f.below_floor).map(f => f.path).sort();
  await page.selectOption('#compare-filter', 'below_floor');
  const rows = page.locator('#compare-table tbody tr');
  assert.equal(await rows.count(), breached.length);
  const paths = (await rows.evaluateAll(trs => trs.map(tr => tr.dataset.path))).sort();
  assert.deepEqual(paths, breached);
  for (const tr of await rows.all()) assert.match(await tr.textContent(), /below floor/);
  await page.selectOption('#compare-filter', 'different');
  return cli;
}

async function scrollTo(page, selector) {
  await page.locator(selector).first().evaluate(el => el.scrollIntoView({ block: 'start' }));
}

test('two releases: the totals, the added files and no flags equal the CLI', async () => {
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);
    await dropPair(page, P241, P250);
    await openCompare(page);
    // Picked by timestamp: last week's report is the baseline although it came second.
    assert.match(await page.locator('#compare-base option:checked').textContent(), /last-week/);
    assert.match(await page.locator('#compare-current option:checked').textContent(), /this-week/);
    const cli = await assertMatchesCli(page, P241, P250);
    assert.equal(cli.failed, false);
    assert.equal(await field(page, 'compare-row-count'), '10 of 16 files');
    // Added files are listed with the word, and the statement-set note is there.
    const spdx = page.locator('#compare-table tr[data-path="src/packaging/licenses/_spdx.py"]');
    assert.match(await spdx.textContent(), /added/);
    assert.match(await page.locator('.compare').textContent(), /line numbers may mean different code/);

    // Sort by the change with the keyboard: a real button in th[aria-sort].
    const th = page.locator('#compare-table th', { hasText: 'Δ pp' });
    await th.locator('button').focus();
    await page.keyboard.press('Enter');
    assert.equal(await th.getAttribute('aria-sort'), 'ascending');

    // The tree rolls the same numbers up by directory.
    await page.click('#compare-layout-tree');
    const top = page.locator('#compare-table tr[data-path="src/packaging"]');
    assert.match(await top.textContent(), /14 → 16/);
    assert.match(await top.textContent(), /\+145/);
    await page.click('#compare-expand');
    await page.locator('#compare-table tr[data-path="src/packaging/licenses/_spdx.py"]').waitFor();
    await scrollTo(page, '.compare-files');
    await shot(page, 'compare-tree-light');
    await page.click('#compare-layout-files');

    // Swapping makes 25.0 the baseline: the two added files become removed ones.
    await page.click('#compare-swap');
    assert.equal(Number(await field(page, 'compare-removed')), cli.summary.added);
    await page.click('#compare-swap');
    assert.match(await field(page, 'compare-basis'), /by their meta\.timestamp/);

    await scrollTo(page, '.compare');
    await shot(page, 'compare-light');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('a collapse below the floor is flagged, in light, dark and narrow; exports equal the CLI', async () => {
  for (const [colorScheme, viewport, name] of [
    ['light', { width: 1280, height: 900 }, 'compare-flagged-light'],
    ['dark', { width: 1280, height: 900 }, 'compare-dark'],
    ['light', { width: 390, height: 844 }, 'compare-narrow'],
  ]) {
    const app = await open({ colorScheme, viewport });
    try {
      const { page } = app;
      await load(page, app.url);
      await dropPair(page, P250, SMALL);
      await openCompare(page);
      const cli = await assertMatchesCli(page, P250, SMALL);
      assert.equal(cli.failed, true);
      assert.equal(cli.summary.below_floor, 14);
      assert.match(await field(page, 'compare-verdict'), /below floor: 14 files dropped below the 50% floor/);
      assert.equal(await field(page, 'compare-floor-count'), '(14)');
      // Same statements in both: the lines that became missing are listed.
      const elf = page.locator('#compare-table tr[data-path="src/packaging/_elffile.py"]');
      assert.match(await elf.locator('td.lost').textContent(), /^11-109$/);

      if (name === 'compare-flagged-light') {
        // Markdown and CSV downloads are exactly what the CLI prints.
        const [md] = await Promise.all([page.waitForEvent('download'), page.click('#compare-download-md')]);
        assert.equal(md.suggestedFilename(), 'covgap-compare.md');
        assert.equal(await readFile(await md.path(), 'utf8'), covgap('compare', fixture(P250), fixture(SMALL), '--format', 'md').out);
        const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#compare-download-csv')]);
        assert.equal(await readFile(await csv.path(), 'utf8'), covgap('compare', fixture(P250), fixture(SMALL), '--format', 'csv').out);
        // A threshold above the fall clears the regressions but not the floor breaches.
        await page.fill('#compare-threshold', '100');
        await page.locator('#compare-threshold').dispatchEvent('change');
        await page.waitForFunction(() => document.querySelector('.compare [data-field="compare-regressions"]').textContent.trim() === '0');
        assert.equal(await field(page, 'compare-below-floor'), '14');
        await page.fill('#compare-threshold', '0');
        await page.locator('#compare-threshold').dispatchEvent('change');
      }
      await scrollTo(page, '.compare');
      await shot(page, name);
      if (name === 'compare-narrow') {
        // Inside the panel nothing but the tables scrolls sideways.
        const overflow = await page.evaluate(() => {
          const sec = document.querySelector('section.compare');
          return sec.scrollWidth - sec.clientWidth;
        });
        assert.ok(overflow <= 0, `the compare panel overflows by ${overflow}px`);
        await scrollTo(page, '.compare-files');
        await shot(page, 'compare-narrow-table');
      }
      assert.deepEqual(app.errors, []);
    } finally {
      await app.close();
    }
  }
});

test('trend over four reports: chart, table beside it, projection, sparklines', async () => {
  for (const [colorScheme, viewport, name] of [
    ['light', { width: 1280, height: 900 }, 'trend-light'],
    ['dark', { width: 1280, height: 900 }, 'trend-dark'],
    ['light', { width: 390, height: 844 }, 'trend-narrow'],
  ]) {
    const app = await open({ colorScheme, viewport });
    try {
      const { page } = app;
      await load(page, app.url);
      const rels = [P250_744, P250, SMALL, P250_650];
      await dropFiles(page, rels.map((rel, i) => ({ path: fixture(rel), name: `run-${i + 1}.coverage.json` })));
      await page.locator('li.load dd[data-field="total"]').nth(3).waitFor({ timeout: 30_000 });
      await openCompare(page);
      const cli = JSON.parse(covgap('trend', ...rels.map(fixture), '--json').out);
      const rows = page.locator('#trend-table tbody tr');
      assert.equal(await rows.count(), cli.points.length);
      // Same order (oldest first) and the same totals as the CLI's trend.
      for (const [k, p] of cli.points.entries()) {
        const row = rows.nth(k);
        assert.match(await row.textContent(), new RegExp(`run-${p.report + 1}\\.coverage\\.json`));
        assert.equal(await row.locator('[data-field="trend-total"]').textContent(), `${p.percent.toFixed(2)}%`);
      }
      assert.equal(await field(page, 'projection-target'), cli.projection_text);
      // The pace over the last two reports only, as `covgap trend --window 2` says.
      await page.selectOption('#trend-window', '2');
      const last2 = JSON.parse(covgap('trend', ...rels.map(fixture), '--window', '2', '--json').out);
      assert.equal(await field(page, 'projection-target'), last2.projection_text);
      await page.selectOption('#trend-window', 'all');
      const svg = page.locator('#trend-chart');
      assert.equal(await svg.getAttribute('role'), 'img');
      assert.equal(await svg.locator('title').first().textContent(), 'Total coverage over 4 reports');
      assert.equal(await svg.locator('circle.point').count(), 4);
      // Sparklines once there are three reports or more.
      await page.selectOption('#compare-filter', 'all');
      assert.equal(await page.locator('#compare-table svg.spark').count(), 16);
      await scrollTo(page, '.trend');
      await shot(page, name);
      assert.deepEqual(app.errors, []);
    } finally {
      await app.close();
    }
  }
});

test('trend with a plan: each phase target is a line on the chart with its own projection', async () => {
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);
    const rels = [SMALL, P250_650, P250_744];
    await dropFiles(page, [
      ...rels.map((rel, i) => ({ path: fixture(rel), name: `run-${i + 1}.coverage.json` })),
      { path: join(ROOT, 'examples/plans/seed-shaped.plan.json'), name: 'coverage-plan.json' },
    ]);
    await page.locator('li.load dd[data-field="total"]').nth(2).waitFor({ timeout: 30_000 });
    await openCompare(page);
    await page.locator('#trend-chart line.ref.phase').first().waitFor({ state: 'attached', timeout: 30_000 });
    const plan = JSON.parse(await readFile(join(ROOT, 'examples/plans/seed-shaped.plan.json'), 'utf8'));
    assert.equal(await page.locator('#trend-chart line.ref.phase').count(), plan.phases.length);
    assert.equal(await page.locator('.projections [data-field="projection-phase"]').count(), plan.phases.length);
    // The plan's floor replaces the default one.
    assert.match(await page.locator('.legend').textContent(), new RegExp(`${plan.floor}% floor`));
    // Load order instead of timestamps: the x axis says so.
    await page.selectOption('#trend-order', 'load');
    assert.match(await page.locator('#trend-chart .axis-title').first().textContent(), /in load order/);
    await page.selectOption('#trend-order', 'time');
    await scrollTo(page, '.trend');
    await shot(page, 'trend-plan-light');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('subpath: the compare view works under /covgap/', async () => {
  const app = await open({ base: '/covgap/' });
  try {
    const { page } = app;
    await load(page, app.url);
    await dropPair(page, P250, SMALL);
    await openCompare(page);
    await assertMatchesCli(page, P250, SMALL);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
