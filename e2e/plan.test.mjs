// The plan view as a team uses it: drop the jinja2 report and its plan, read the phases
// against `covgap check`, sort priorities, try a what-if, move a card, export Markdown and
// compare it with `covgap plan`, edit the plan and save it, and make a plan from a report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, load, shot, fixture, dropFiles, ROOT } from './lib.mjs';

const JINJA = fixture('jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json');
const PLAN = join(ROOT, 'examples/plans/jinja2-demo.plan.json');
const BIN = process.env.COVGAP_BIN || join(ROOT, 'target/debug/covgap');

/** The CLI's text output; `covgap check` exits 1 on a failing phase, which is not an error here. */
function run(...args) {
  try {
    return execFileSync(BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if (e.status === 1 && e.stdout) return e.stdout;
    throw e;
  }
}

/** `covgap check`'s criterion lines as { met, label, detail }. */
function checkCriteria(out) {
  return out.split('\n')
    .filter(l => /^ {2}(✅ met|⏳ unmet)/.test(l))
    .map(l => {
      const met = l.includes('✅ met');
      const rest = l.replace(/^ {2}(✅ met|⏳ unmet)\s+/, '');
      const i = rest.indexOf(': ');
      return { met, label: rest.slice(0, i), detail: rest.slice(i + 2) };
    });
}

/** The criteria of a phase card on the page. */
async function pageCriteria(page, phase) {
  return page.locator(`#phase-${phase} li.criterion`).evaluateAll(lis => lis.map(li => ({
    met: li.dataset.met === 'true',
    mark: li.querySelector('.mark').textContent,
    label: li.querySelector('.criterion-label').textContent,
    detail: li.querySelector('.criterion-detail').textContent,
  })));
}

async function section(page, slug) {
  await page.click(`#plan-tab-${slug}`);
  await page.waitForSelector(`#plan-tab-${slug}[aria-selected="true"]`);
}

async function loadBoth(page) {
  await dropFiles(page, [{ path: JINJA, name: 'coverage.json' }]);
  await page.locator('[data-field="total-percent"]').waitFor({ timeout: 30_000 });
  await dropFiles(page, [{ path: PLAN, name: 'jinja2-demo.plan.json' }]);
  await page.click('#tab-plan');
  await page.locator('#phase-1').waitFor({ timeout: 30_000 });
}

/** A screenshot with `selector` (default: the plan view's tabs) at the top of the window. */
async function planShot(page, name, selector = '.plan-tabs') {
  await page.locator(selector).first().evaluate(el => el.scrollIntoView({ block: 'start' }));
  await page.evaluate(() => window.scrollBy(0, -8));
  return shot(page, name);
}

async function download(page, selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: d.suggestedFilename(), text: await readFile(await d.path(), 'utf8') };
}

test('phases, priorities, what-if, board, exports and editor agree with the CLI', async () => {
  const app = await open({ viewport: { width: 1280, height: 1000 } });
  try {
    const { page, context } = app;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    await load(page, app.url);
    await loadBoth(page);

    // --- Phases: every phase's criteria are `covgap check --phase N`'s, number for number.
    assert.equal(await page.locator('[data-field="plan-total"]').textContent(), '92.21%');
    assert.match(await page.locator('[data-field="plan-current-phase"]').textContent(), /^Phase 1 of 3: Security first/);
    assert.equal(await page.locator('.phase.current').getAttribute('id'), 'phase-1');
    for (const n of [1, 2, 3]) {
      const cli = checkCriteria(run('check', JINJA, '--plan', PLAN, '--phase', String(n)));
      const onPage = await pageCriteria(page, n);
      assert.equal(onPage.length, cli.length, `phase ${n}: as many criteria as covgap check`);
      onPage.forEach((c, i) => {
        assert.equal(c.label, cli[i].label);
        assert.equal(c.detail, cli[i].detail);
        assert.equal(c.met, cli[i].met, `${c.label}: met/unmet`);
        assert.equal(c.mark, cli[i].met ? '✅ met' : '⏳ unmet');
      });
    }
    await planShot(page, 'plan-phases', '.plan');

    // --- Priorities: CLI order by default; any column sorts; quick wins.
    await section(page, 'priorities');
    const rows = () => page.locator('#priority-table tbody tr').evaluateAll(trs => trs.map(t => t.dataset.module));
    const json = JSON.parse(run('plan', JINJA, '--plan', PLAN, '--format', 'json'));
    assert.deepEqual(await rows(), json.priority_order);
    await page.click('#priority-table th:nth-child(2) button');
    assert.equal(await page.locator('#priority-table th:nth-child(2)').getAttribute('aria-sort'), 'descending');
    await page.click('#priority-table th:nth-child(2) button');
    assert.equal(await page.locator('#priority-table th:nth-child(2)').getAttribute('aria-sort'), 'ascending');
    assert.equal((await rows())[0], 'bccache');
    await page.click('#quick-wins');
    assert.equal(await page.locator('#quick-wins').getAttribute('aria-pressed'), 'true');
    assert.deepEqual(await rows(), json.quick_wins);
    assert.equal(await page.locator('[data-field="cheapest-total"]').textContent(), '92.21% → 94.54%');
    await planShot(page, 'plan-priorities', '.plan-status');
    await page.click('#quick-wins');
    await page.click('#priority-table th:nth-child(6) button'); // back to impact, largest first
    assert.deepEqual(await rows(), json.priority_order);

    // --- What-if: the cheapest path, tried, passes the plan; a slider moves the total.
    await page.click('#cheapest-try');
    await page.waitForSelector('#plan-tab-what-if[aria-selected="true"]');
    assert.match(await page.locator('[data-field="plan-verdict"]').textContent(), /✅ passes/);
    assert.equal(await page.locator('[data-field="plan-total"]').textContent(), '94.54%');
    await page.click('#what-if-reset');
    assert.equal(await page.locator('[data-field="plan-total"]').textContent(), '92.21%');
    await page.check('#wi-done-0'); // bccache
    const afterDone = await page.locator('[data-field="plan-total"]').textContent();
    assert.notEqual(afterDone, '92.21%');
    await page.locator('#wi-1').fill('90'); // sandbox to 90%
    const p1 = page.locator('.phase-summary li[data-phase="1"] [data-field="phase-met"]');
    assert.match(await p1.textContent(), /^4 of 5 criteria met · current$/);
    assert.match(await page.locator('[data-field="plan-total"]').textContent(), /^92\.\d\d%$/);
    await planShot(page, 'plan-what-if', '.plan-status');
    await page.click('#what-if-reset-top');
    assert.equal(await page.locator('[data-field="plan-total"]').textContent(), '92.21%');

    // --- Board: derived columns; a select moves a card and the plan keeps it; undo.
    await section(page, 'board');
    const column = key => page.locator(`[data-column="${key}"] li.card`).evaluateAll(l => l.map(x => x.dataset.module));
    assert.deepEqual(await column('in_progress'), ['sandbox', 'ext']);
    assert.equal((await column('backlog')).length, 7);
    await page.selectOption('#status-0', 'review');
    assert.deepEqual(await column('review'), ['bccache']);
    assert.match(await page.locator('[data-column="review"] .card-note').textContent(), /numbers say backlog/);
    await planShot(page, 'plan-board');
    assert.equal(await page.locator('#plan-undo').isDisabled(), false);
    await page.click('#plan-undo');
    assert.deepEqual(await column('review'), []);

    // --- Exports: the Markdown is `covgap plan --format md`, in the preview, the download
    // and the clipboard; CSV and the gate config are the CLI's too.
    await section(page, 'exports');
    const md = run('plan', JINJA, '--plan', PLAN, '--format', 'md');
    assert.equal(await page.locator('#export-md').inputValue(), md);
    const mdFile = await download(page, '#download-md');
    assert.equal(mdFile.name, 'jinja2-demo.md');
    assert.equal(mdFile.text, md);
    await page.click('#copy-md');
    await page.locator('#export-notice').waitFor();
    if ((await page.locator('#export-notice').textContent()).includes('copied')) {
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), md);
    }
    const csv = run('plan', JINJA, '--plan', PLAN, '--format', 'csv');
    assert.equal((await download(page, '#download-csv')).text, csv);
    assert.equal(await page.locator('#export-gate').inputValue(), run('plan', JINJA, '--plan', PLAN, '--format', 'pyproject'));
    await page.check('#gate-coveragerc');
    assert.equal(await page.locator('#export-gate').inputValue(), run('plan', JINJA, '--plan', PLAN, '--format', 'coveragerc'));
    const saved = await download(page, '#save-plan');
    assert.equal(saved.name, 'jinja2-demo.plan.json');
    // The same plan; only keys at their defaults ("precision": 0) are left out.
    const original = JSON.parse(await readFile(PLAN, 'utf8'));
    delete original.precision;
    assert.deepEqual(JSON.parse(saved.text), original);
    await planShot(page, 'plan-exports');
    await planShot(page, 'plan-exports-gate', '#export-gate-title');

    // --- Editor: edit targets and see the totals and criteria follow; a bad value is refused.
    await section(page, 'editor');
    assert.equal(await page.inputValue('#ed-target'), '95');
    assert.equal(await page.inputValue('#ed-m0-effort'), '3-4');
    await page.fill('#ed-m0-target', '120');
    await page.press('#ed-m0-target', 'Enter');
    // Refused at the field, naming the module, with what was typed kept.
    assert.match(await page.locator('#ed-m0-target-error').textContent(), /^module 'bccache': target must be a percentage from 0 to 100, not 120/);
    assert.equal(await page.inputValue('#ed-m0-target'), '120');
    await page.fill('#ed-m0-target', '55');
    await page.press('#ed-m0-target', 'Enter');
    await page.locator('#ed-m0-target-error').waitFor({ state: 'detached' });
    await page.fill('#ed-target', '92');
    await page.press('#ed-target', 'Enter');
    assert.match(await page.locator('[data-field="plan-verdict"]').textContent(), /✅ passes/);
    await planShot(page, 'plan-editor', '.plan-status');
    // A "module at least" criterion added to phase 1 shows up, judged, in the phase.
    await page.selectOption('#ed-p0-al-module', 'ext');
    await page.fill('#ed-p0-al-value', '70');
    await page.click('#ed-p0-al-add');
    assert.equal(await page.inputValue('#ed-p0-al0'), '70');
    await planShot(page, 'plan-editor-phases', '#ed-phases-title');
    await section(page, 'phases');
    const bcc = page.locator('#phase-1 li.criterion', { hasText: 'bccache ≥ 55%' });
    assert.equal(await bcc.getAttribute('data-met'), 'true');
    const ext = page.locator('#phase-1 li.criterion', { hasText: 'ext ≥ 70%' });
    assert.equal(await ext.getAttribute('data-met'), 'true');
    // The saved file, run through the CLI, gives the page's Markdown.
    await section(page, 'exports');
    const edited = await download(page, '#save-plan');
    const dir = await mkdtemp(join(tmpdir(), 'covgap-plan-'));
    const editedPath = join(dir, 'edited.plan.json');
    await writeFile(editedPath, edited.text);
    assert.equal(await page.locator('#export-md').inputValue(), run('plan', JINJA, '--plan', editedPath, '--format', 'md'));
    const cli = checkCriteria(run('check', JINJA, '--plan', editedPath, '--phase', '1'));
    assert.deepEqual(cli.map(c => c.met), [false, true, true, false, false, false]);
    assert.deepEqual(cli.map(c => c.label), (await pageCriteriaFromExport(page, 1)).map(c => c.label));
    // Undo three times: back to the file as loaded.
    for (let i = 0; i < 3; i++) await page.click('#plan-undo');
    assert.equal(await page.locator('#export-md').inputValue(), md);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('a plan made from the report, at 390px in dark mode', async () => {
  const app = await open({ colorScheme: 'dark', viewport: { width: 390, height: 844 } });
  try {
    const { page } = app;
    await load(page, app.url);
    await dropFiles(page, [{ path: JINJA, name: 'coverage.json' }]);
    await page.locator('[data-field="total-percent"]').waitFor({ timeout: 30_000 });
    await page.click('#tab-plan');
    await page.locator('#plan-create').waitFor();
    // The least covered part of jinja2 is bccache.py (58.50%).
    assert.equal(await page.locator('#plan-create li').first().locator('.filename').textContent(), 'src/jinja2/bccache.py');
    assert.equal(await page.inputValue('#create-target'), '95');
    await page.fill('#create-floor', '60');
    await planShot(page, 'plan-create-390-dark', '.plan');
    await page.click('#create-plan');
    await page.locator('#phase-1').waitFor();
    assert.match(await page.locator('#plan-title').textContent(), /coverage\.json: to 95%/);
    // Phases like a roadmap's: a few modules each, the target stepped up with fail_under.
    assert.equal(await page.locator('.phase .phase-modules li').count(), 8);
    assert.ok(await page.locator('.phase').count() >= 2);
    assert.match(await page.locator('#phase-1').textContent(), /no module below 60% \(combined\)/);
    assert.match(await page.locator('#phase-1').textContent(), /fail_under raised to/);
    await planShot(page, 'plan-phases-390-dark', '.plan');
    // The made plan is a plan file the CLI reads, with the same verdicts.
    await section(page, 'exports');
    const made = await download(page, '#save-plan');
    assert.equal(made.name, 'coverage-plan.json');
    const dir = await mkdtemp(join(tmpdir(), 'covgap-plan-'));
    await writeFile(join(dir, 'made.plan.json'), made.text);
    const cli = checkCriteria(run('check', JINJA, '--plan', join(dir, 'made.plan.json')));
    const onPage = await pageCriteriaFromExport(page);
    assert.deepEqual(onPage.map(({ met, label, detail }) => ({ met, label, detail })), cli);
    for (const s of ['priorities', 'what-if', 'board', 'editor', 'exports']) {
      await section(page, s);
      await planShot(page, `plan-${s}-390-dark`);
    }
    // Nothing is wider than the screen.
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `page is ${wide}px wide`);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

/** The criteria of phase `n`, read from the phases section; back to the exports after. */
async function pageCriteriaFromExport(page, n = 1) {
  await section(page, 'phases');
  const c = await pageCriteria(page, n);
  await section(page, 'exports');
  return c;
}

test('dark mode at 1280px: phases and board', async () => {
  const app = await open({ colorScheme: 'dark', viewport: { width: 1280, height: 900 } });
  try {
    const { page } = app;
    await load(page, app.url);
    await loadBoth(page);
    await planShot(page, 'plan-phases-dark', '.plan');
    await section(page, 'board');
    await planShot(page, 'plan-board-dark');
    await section(page, 'what-if');
    await page.check('#wi-done-0');
    await planShot(page, 'plan-what-if-dark', '.plan-status');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('the seed-shaped plan on the packaging report: every phase as covgap check says', async () => {
  const report = fixture('packaging-25.0/coveragepy-7.17.3-branch-contexts-small/coverage.json');
  const plan = join(ROOT, 'examples/plans/seed-shaped.plan.json');
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);
    await dropFiles(page, [{ path: report, name: 'coverage.json' }]);
    await page.locator('[data-field="total-percent"]').waitFor({ timeout: 30_000 });
    await dropFiles(page, [{ path: plan, name: 'seed-shaped.plan.json' }]);
    await page.click('#tab-plan');
    await page.locator('#phase-4').waitFor({ timeout: 30_000 });
    for (const n of [1, 2, 3, 4]) {
      const cli = checkCriteria(run('check', report, '--plan', plan, '--phase', String(n)));
      const onPage = await pageCriteria(page, n);
      assert.deepEqual(onPage.map(({ met, label, detail }) => ({ met, label, detail })), cli, `phase ${n}`);
    }
    await planShot(page, 'plan-seed-phases', '.plan');
    await section(page, 'exports');
    assert.equal(await page.locator('#export-md').inputValue(), run('plan', report, '--plan', plan, '--format', 'md'));
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
