// Nothing lost, and clearer everywhere (issue #11 parts 3, 4, 6; #14 parts 1 and 5): the
// compare and plan choices survive switching tabs and live in the URL, a refused edit stays
// at its field with what was typed, an edited plan warns before the page is left and is one
// Undo away when a dropped plan replaces it, a plan says when it changes the Target, the
// newest report is shown, failed loads clear in one click, invisible characters in file
// names are shown, a markdown plan is reviewed before use, and the new exports are the CLI's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, load, shot, fixture, dropFiles, ROOT } from './lib.mjs';

const JINJA = fixture('jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json');
const PLAN = join(ROOT, 'examples/plans/jinja2-demo.plan.json');
const P241 = fixture('packaging-24.1/coveragepy-7.17.3-branch/coverage.json');
const P250 = fixture('packaging-25.0/coveragepy-7.17.3-branch/coverage.json');
const SEED = fixture('seed-plans/003_7431c420d4458ffd.md');
const HOSTILE = fixture('_malformed/hostile-filenames-valid-utf8.coverage.json');
const BIN = process.env.COVGAP_BIN || join(ROOT, 'target/debug/covgap');

function run(...args) {
  try {
    return execFileSync(BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if (e.status === 1 && e.stdout) return e.stdout;
    throw e;
  }
}

async function section(page, slug) {
  await page.click(`#plan-tab-${slug}`);
  await page.waitForSelector(`#plan-tab-${slug}[aria-selected="true"]`);
}

async function dropReportAndPlan(page) {
  await dropFiles(page, [{ path: JINJA, name: 'coverage.json' }]);
  await page.locator('[data-field="total-percent"]').waitFor({ timeout: 30_000 });
  await dropFiles(page, [{ path: PLAN, name: 'jinja2-demo.plan.json' }]);
  await page.locator('li.load [data-field="plan"]').waitFor({ timeout: 30_000 });
}

/** Both packaging reports under ONE name, newest first, in one drop. */
async function dropSameNamed(page) {
  await dropFiles(page, [
    { path: P250, name: 'coverage.json' },
    { path: P241, name: 'coverage.json' },
  ]);
  await page.locator('li.load dd[data-field="total"]').nth(1).waitFor({ timeout: 30_000 });
}

async function view(page, name, selector) {
  if (selector) {
    await page.locator(selector).first().evaluate(el => el.scrollIntoView({ block: 'start' }));
    await page.evaluate(() => window.scrollBy(0, -8));
  }
  return shot(page, name);
}

test('compare and plan choices survive switching tabs, and the URL brings them back', async () => {
  const app = await open({ viewport: { width: 1280, height: 1000 } });
  try {
    const { page } = app;
    await load(page, app.url);
    await dropSameNamed(page);
    // Newest by timestamp is shown (25.0 at 05:42 was given first, 24.1 at 05:41 last).
    assert.match(await page.locator('li.load.current [data-field="card-tell"]').textContent(), /05:42/);
    // Same-named cards are told apart by their timestamps.
    const tells = await page.locator('[data-field="card-tell"]').allTextContents();
    assert.deepEqual(tells, ['2026-11-21 05:42', '2026-11-21 05:41']);
    await dropFiles(page, [{ path: PLAN, name: 'jinja2-demo.plan.json' }]);
    await page.locator('li.load [data-field="plan"]').waitFor({ timeout: 30_000 });
    // A plan changes the Target field: the page says so.
    assert.match(await page.locator('[data-field="notice-target"]').textContent(), /^Target set to 95% from the plan \(it was 80%\)\./);
    await view(page, 'state-notice-target');

    await page.click('#tab-compare');
    await page.locator('.compare [data-field="compare-verdict"]').waitFor({ timeout: 30_000 });
    // The floor is the plan's, and says so.
    assert.equal(await page.inputValue('#compare-floor'), '60');
    assert.equal((await page.locator('[data-field="compare-floor-source"]').textContent()).trim(), "From the plan's floor.");
    await page.click('#compare-swap');
    await page.selectOption('#compare-filter', 'all');
    await page.fill('#compare-search', 'src/**/t*.py');
    await page.fill('#compare-floor', '75');
    await page.press('#compare-floor', 'Enter');
    await page.click('.compare-table th:nth-child(1) button'); // sort by name
    assert.match(await page.locator('[data-field="compare-floor-source"]').textContent(), /Set here\. Use the plan's 60%/);
    const chosen = async () => ({
      base: await page.locator('#compare-base option:checked').textContent(),
      current: await page.locator('#compare-current option:checked').textContent(),
      filter: await page.inputValue('#compare-filter'),
      query: await page.inputValue('#compare-search'),
      floor: await page.inputValue('#compare-floor'),
      sort: await page.locator('.compare-table th[aria-sort="ascending"]').textContent(),
      rows: await page.locator('.compare-table tbody tr').evaluateAll(t => t.map(r => r.dataset.path)),
    });
    const before = await chosen();
    assert.match(before.base, /05:42/);
    assert.deepEqual(before.rows, ['src/packaging/tags.py']);
    await view(page, 'state-compare-choices', '.compare');

    await page.click('#tab-plan');
    await section(page, 'what-if');
    await page.check('#wi-done-0');
    const whatIfTotal = await page.locator('[data-field="plan-total"]').textContent();
    assert.notEqual(whatIfTotal, '92.21%');

    // Switch around: every choice is still there.
    await page.click('#tab-files');
    await page.click('#tab-compare');
    await page.locator('.compare [data-field="compare-verdict"]').waitFor();
    assert.deepEqual(await chosen(), before);
    await page.click('#tab-plan');
    await page.waitForSelector('#plan-tab-what-if[aria-selected="true"]');
    assert.equal(await page.isChecked('#wi-done-0'), true);
    assert.equal(await page.locator('[data-field="plan-total"]').textContent(), whatIfTotal);

    // The URL carries the pair, filter, floor, sort and the plan's sub-tab.
    await page.click('#tab-compare');
    const hash = await page.evaluate(() => location.hash);
    for (const k of ['cmp_base=', 'cmp_current=', 'cmp_show=all', 'cmp_q=', 'cmp_floor=75', 'cmp_sort=name', 'plan=what-if']) {
      assert.ok(hash.includes(k), `${k} in ${hash}`);
    }
    const fresh = await app.context.newPage();
    await load(fresh, app.url + hash);
    await dropSameNamed(fresh);
    await dropFiles(fresh, [{ path: PLAN, name: 'jinja2-demo.plan.json' }]);
    await fresh.locator('li.load [data-field="plan"]').waitFor({ timeout: 30_000 });
    await fresh.locator('.compare [data-field="compare-verdict"]').waitFor({ timeout: 30_000 });
    const restored = {
      base: await fresh.locator('#compare-base option:checked').textContent(),
      current: await fresh.locator('#compare-current option:checked').textContent(),
      filter: await fresh.inputValue('#compare-filter'),
      query: await fresh.inputValue('#compare-search'),
      floor: await fresh.inputValue('#compare-floor'),
      sort: await fresh.locator('.compare-table th[aria-sort="ascending"]').textContent(),
      rows: await fresh.locator('.compare-table tbody tr').evaluateAll(t => t.map(r => r.dataset.path)),
    };
    assert.deepEqual(restored, before);
    await fresh.click('#tab-plan');
    await fresh.waitForSelector('#plan-tab-what-if[aria-selected="true"]');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('a refused edit stays at its field; an edited plan warns before leaving and is one Undo away', async () => {
  const app = await open({ viewport: { width: 1280, height: 1000 } });
  try {
    const { page } = app;
    await load(page, app.url);
    await dropReportAndPlan(page);
    await page.click('#tab-plan');
    await section(page, 'editor');
    const sandbox = await page.locator('fieldset[data-module="sandbox"] input[id$="-effort"]').getAttribute('id');
    await page.fill(`#${sandbox}`, '6-4');
    await page.press(`#${sandbox}`, 'Enter');
    const err = page.locator(`#${sandbox}-error`);
    await err.waitFor();
    assert.match(await err.textContent(), /^module 'sandbox': effort range 6-4 is reversed/);
    assert.equal(await page.inputValue(`#${sandbox}`), '6-4', 'what was typed stays');
    assert.equal(await page.getAttribute(`#${sandbox}`, 'aria-invalid'), 'true');
    assert.equal(await page.getAttribute(`#${sandbox}`, 'aria-describedby'), `${sandbox}-error`);
    // The message is at the field, not far above it.
    const [a, b] = await Promise.all([page.locator(`#${sandbox}`).boundingBox(), err.boundingBox()]);
    assert.ok(Math.abs(b.y - a.y) < 80, `error ${b.y} near field ${a.y}`);
    await view(page, 'state-editor-inline-error', `fieldset[data-module="sandbox"]`);
    await page.fill(`#${sandbox}`, '4-6');
    await page.press(`#${sandbox}`, 'Enter');
    await err.waitFor({ state: 'detached' });

    // Now the plan is edited and in no file: leaving asks first.
    const dialogs = [];
    page.on('dialog', d => { dialogs.push(d.type()); d.dismiss(); });
    await page.fill('#ed-m0-owner', 'kim');
    await page.press('#ed-m0-owner', 'Enter');
    await page.reload().catch(() => {}); // dismissed: the page stays
    assert.deepEqual(dialogs, ['beforeunload']);
    assert.equal(await page.inputValue('#ed-m0-owner'), 'kim', 'the page was not left');

    // A plan dropped over the edited one replaces it, said on screen, one Undo away.
    await dropFiles(page, [{ path: PLAN, name: 'other.plan.json' }]);
    const notice = page.locator('#notice-plan-replaced');
    await notice.waitFor({ timeout: 30_000 });
    assert.match(await notice.textContent(), /^Plan other\.plan\.json replaced your edited plan — Undo/);
    assert.equal(await page.inputValue('#ed-m0-owner'), '');
    await view(page, 'state-plan-replaced');
    await page.click('#notice-undo');
    await notice.waitFor({ state: 'detached' });
    assert.equal(await page.inputValue('#ed-m0-owner'), 'kim');

    // Saved to a file: nothing is lost on leaving, so no question.
    await section(page, 'exports');
    await Promise.all([page.waitForEvent('download'), page.click('#save-plan')]);
    page.removeAllListeners('dialog');
    const after = [];
    page.on('dialog', d => { after.push(d.type()); d.accept(); });
    await page.reload();
    await page.waitForSelector('header.topbar');
    assert.deepEqual(after, []);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('failed loads clear in one click, and errors name the real cause', async () => {
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);
    const dir = await mkdtemp(join(tmpdir(), 'covgap-bad-'));
    const nan = join(dir, 'nan.json');
    await writeFile(nan, '{"meta": {"format": 3}, "files": {}, "totals": {"percent_covered": NaN}}');
    const nover = join(dir, 'plan.json');
    await writeFile(nover, '{"target": 80, "modules": [{"name": "a", "path": "src/a.py"}]}');
    const u16 = join(dir, 'u16.json');
    await writeFile(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"meta": {}}', 'utf16le')]));
    await dropFiles(page, [
      { path: nan, name: 'nan.json' }, { path: nover, name: 'plan.json' }, { path: u16, name: 'u16.json' },
    ]);
    const errors = page.locator('li.load.failed .error');
    await errors.nth(2).waitFor({ timeout: 30_000 });
    const text = await errors.allTextContents();
    assert.match(text[0], /NaN is not valid JSON; /);
    assert.match(text[1], /this looks like a covgap plan but has no "version": add "version": 1/);
    assert.match(text[2], /save it as UTF-8/);
    await dropFiles(page, [{ path: JINJA, name: 'coverage.json' }]);
    await page.locator('[data-field="total-percent"]').waitFor({ timeout: 30_000 });
    await view(page, 'state-failed-loads');
    await page.click('#clear-failed');
    assert.equal(await page.locator('li.load.failed').count(), 0);
    assert.equal(await page.locator('li.load').count(), 1);
    assert.equal(await page.locator('#clear-failed').count(), 0);
  } finally {
    await app.close();
  }
});

test('invisible and bidi characters in file names are shown', async () => {
  for (const [scheme, width] of [['light', 1280], ['dark', 390]]) {
    const app = await open({ colorScheme: scheme, viewport: { width, height: 900 } });
    try {
      const { page } = app;
      await load(page, app.url);
      await dropFiles(page, [{ path: HOSTILE, name: 'hostile.json' }]);
      await page.locator('[data-field="total-percent"]').waitFor({ timeout: 30_000 });
      await page.fill('#filter', 'src/rtl_');
      const names = await page.locator('#file-table tbody .filename').allTextContents();
      assert.deepEqual(names, ['src/rtl_⟨U+202E⟩gnp.exe.py']);
      await page.fill('#filter', 'src/caf');
      const cafe = await page.locator('#file-table tbody .filename').allTextContents();
      assert.equal(cafe.length, 2);
      assert.notEqual(cafe[0], cafe[1], 'NFC and NFD are told apart');
      assert.ok(cafe.includes('src/cafe⟨U+0301⟩.py'), cafe.join(' | '));
      await page.fill('#filter', '');
      // The empty name shows as such.
      assert.equal(await page.locator('#file-table tbody .filename', { hasText: '⟨empty name⟩' }).count(), 1);
      await page.fill('#filter', 'zero');
      await view(page, `state-bidi-${scheme}-${width}`, '.files');
      assert.deepEqual(app.errors, []);
    } finally {
      await app.close();
    }
  }
});

test('a markdown plan is shown as understood before it is used', async () => {
  const app = await open({ viewport: { width: 1280, height: 1000 } });
  try {
    const { page } = app;
    await load(page, app.url);
    await dropFiles(page, [{ path: SEED, name: 'ROADMAP.md' }]);
    const review = page.locator('#import-review');
    await review.waitFor({ timeout: 30_000 });
    // The importer's understood lines and warnings, with line numbers, as `covgap import` says.
    const understood = await page.locator('.import-understood li').allTextContents();
    assert.ok(understood.length > 5, understood.join('\n'));
    assert.ok(understood.every(u => /^line \d+ /.test(u)));
    assert.ok(understood.some(u => /kubernetes_sandbox/.test(u)));
    const stderr = (() => {
      try {
        execFileSync(BIN, ['import', SEED], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        return '';
      } catch (e) { return e.stderr || ''; }
    })();
    const warned = await page.locator('.import-warnings li').count();
    assert.equal(warned > 0, /warning/i.test(stderr) || warned > 0);
    assert.equal(await page.locator('#tab-plan').count(), 0, 'nothing is used yet');
    await view(page, 'state-import-review', '#import-review');
    await page.click('#import-use');
    await review.waitFor({ state: 'detached' });
    await page.locator('li.load [data-field="plan"]').waitFor();
    assert.match(await page.locator('li.load [data-field="plan"]').textContent(), /target 80%/);
    // Cancel leaves nothing behind.
    await dropFiles(page, [{ path: SEED, name: 'again.md' }]);
    await review.waitFor();
    await page.click('#import-cancel');
    await review.waitFor({ state: 'detached' });
    assert.equal(await page.locator('li.load', { hasText: 'again.md' }).count(), 0);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test("new exports are the CLI's, and a what-if is never exported as real", async () => {
  const app = await open({ viewport: { width: 1280, height: 1000 } });
  try {
    const { page } = app;
    await load(page, app.url);
    await dropReportAndPlan(page);
    await page.click('#tab-plan');
    await section(page, 'what-if');
    await page.check('#wi-done-0');
    await section(page, 'exports');
    await page.locator('#export-real').waitFor();
    assert.match(await page.locator('#export-real').textContent(), /real numbers/);
    assert.equal(await page.inputValue('#export-md'), run('plan', JINJA, '--plan', PLAN, '--format', 'md'));
    assert.equal(await page.inputValue('#export-issues'), run('plan', JINJA, '--plan', PLAN, '--format', 'issues'));
    const issuesCsv = run('plan', JINJA, '--plan', PLAN, '--format', 'issues-csv');
    // A text area shows CRLF as LF; the download keeps RFC 4180's CRLF.
    assert.equal(await page.inputValue('#export-issues-csv'), issuesCsv.replace(/\r\n/g, '\n'));
    const golden = await readFile(join(ROOT, 'core/tests/golden/jinja2-demo.compact.md'), 'utf8');
    assert.equal(await page.inputValue('#export-compact'), golden);
    const [d] = await Promise.all([page.waitForEvent('download'), page.click('#download-issues-csv')]);
    assert.equal(d.suggestedFilename(), 'jinja2-demo.issues.csv');
    assert.equal(await readFile(await d.path(), 'utf8'), issuesCsv);
    await view(page, 'state-exports-what-if', '#export-real');
    await view(page, 'state-exports-compact', '#export-compact-title');
    // Phases show a module matching no file, and why, on its row and at its criterion.
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('a module matching no file says so on its row, in the phases and at the criterion', async () => {
  const app = await open({ colorScheme: 'dark', viewport: { width: 390, height: 844 } });
  try {
    const { page } = app;
    await load(page, app.url);
    const dir = await mkdtemp(join(tmpdir(), 'covgap-typo-'));
    const plan = JSON.parse(await readFile(PLAN, 'utf8'));
    plan.modules.find(m => m.name === 'sandbox').path = 'src/jinja2/sandbx.py';
    plan.phases[0].exit.no_file_below_floor = true;
    const typo = join(dir, 'typo.plan.json');
    await writeFile(typo, JSON.stringify(plan));
    await dropFiles(page, [{ path: JINJA, name: 'coverage.json' }]);
    await page.locator('[data-field="total-percent"]').waitFor({ timeout: 30_000 });
    await dropFiles(page, [{ path: typo, name: 'typo.plan.json' }]);
    await page.locator('li.load [data-field="plan"]').waitFor({ timeout: 30_000 });
    await page.click('#tab-plan');
    const row = page.locator('#phase-1 li.missing-module[data-module="sandbox"]');
    await row.waitFor();
    assert.match(await row.textContent(), /no files/);
    assert.match(await row.locator('[data-field="why-empty"]').textContent(), /did you mean src\/jinja2\/sandbox\.py\?/);
    const crit = page.locator('#phase-1 li.criterion', { hasText: 'every module matches files' });
    assert.equal(await crit.getAttribute('data-met'), 'false');
    assert.match(await crit.textContent(), /sandbx/);
    const floor = page.locator('#phase-1 li.criterion', { hasText: 'no file below' });
    assert.equal(await floor.getAttribute('data-met'), 'false');
    assert.ok((await floor.locator('[data-field="criterion-items"] li').count()) > 0);
    await view(page, 'state-missing-module-390-dark', '#phase-1');
    await section(page, 'priorities');
    assert.match(await page.locator('#priority-table tr[data-module="sandbox"] [data-field="why-empty"]').textContent(), /did you mean/);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
