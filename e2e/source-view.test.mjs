// The file view in the real app: a report dropped on the page, a real project's folder
// picked with "Add source folder…" (#source-folder-input), files opened from the table by
// their links (#/file?path=…&report=…), every line's status checked against the report's
// own lists for coverage.py, Istanbul, LCOV and Cobertura; j/k/u, back and forward, a link
// that reopens a file, a dropped folder walked without reading its files, the 5,000-line
// file's render time (printed, not asserted), and screenshots (light, dark, 390 px).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, load, shot, fixture, dropFiles, ROOT, ARTIFACTS } from './lib.mjs';

const SOURCES = join(ROOT, 'tests/sources');
const CTX = 'packaging-25.0/coveragepy-7.17.3-branch-contexts-small/coverage.json';
const FULL = 'packaging-25.0/coveragepy-7.17.3-branch/coverage.json';

/** Drops a report on the page: a fixture path, or an object written to a file first. */
async function dropReport(page, report, name = 'coverage.json') {
  let path = report;
  if (typeof report !== 'string') {
    path = join(await mkdtemp(join(tmpdir(), 'covgap-sv-')), name);
    await writeFile(path, JSON.stringify(report));
  }
  await dropFiles(page, [{ name, path }]);
  await page.waitForSelector('#file-table a.file-open', { timeout: 30_000 });
}

async function pickFolder(page, dir) {
  await page.setInputFiles('#source-folder-input', dir);
  await page.waitForFunction(() => /found (their|its) source/.test(document.querySelector('#source-summary')?.textContent || ''));
  return (await page.textContent('#source-summary')).trim();
}

/** Opens a report file from the table by its link; `path` is its path in the report. */
async function openFile(page, path, { source = true } = {}) {
  await page.click(`#file-table a.file-open[data-open="${path}"]`);
  await page.waitForSelector(source ? '.sv-code [data-line]' : '#file-view');
}

/** Back to the list with the view's own button. */
async function back(page) {
  await page.click('#sv-back');
  await page.waitForSelector('#file-table a.file-open');
}

/** Every line of the code pane, scrolling through it: [number, status|null, text]. */
async function allRows(page) {
  return page.evaluate(async () => {
    const pane = document.querySelector('.sv-code');
    const total = Number(pane.dataset.lines);
    const seen = new Map();
    const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    for (let top = 0, guard = 0; seen.size < total && guard < 2000; top += 20 * 150, guard++) {
      pane.scrollTop = top;
      await frame();
      for (const el of pane.querySelectorAll('[data-line]')) {
        seen.set(Number(el.dataset.line), [Number(el.dataset.line), el.dataset.status ?? null, el.querySelector('.sv-text').textContent]);
      }
    }
    pane.scrollTop = 0;
    await frame();
    return [...seen.values()].sort((a, b) => a[0] - b[0]);
  });
}

/** The status coverage.py's lists give each line (htmlcov's precedence). */
function expectedStatus(f, n) {
  const partial = new Set(f.missing_branches.map(a => a[0]));
  if (f.excluded_lines.includes(n)) return 'excluded';
  if (f.missing_lines.includes(n)) return 'missing';
  if (partial.has(n)) return 'partial';
  if (f.executed_lines.includes(n)) return 'covered';
  return null;
}

/** Lines as compilers count them (\n, \r\n, \r), without a final empty one. */
function lines(text) {
  const v = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (v.length && v[v.length - 1] === '') v.pop();
  return v;
}

/** Opens `path`, and checks every row's number, text and status (`expected(n)`). */
async function checkRows(page, path, srcRel, expected) {
  const src = lines(await readFile(join(SOURCES, srcRel), 'utf8'));
  await openFile(page, path);
  await page.waitForFunction(() => /^Source: /.test(document.querySelector('[data-field="source-state"]').textContent));
  const rows = await allRows(page);
  assert.equal(rows.length, src.length, `${path}: one row per source line`);
  let marked = 0;
  for (const [n, status, text] of rows) {
    assert.equal(status, expected(n), `${path} line ${n}`);
    assert.equal(text, src[n - 1], `${path} line ${n} text`);
    if (status) marked++;
  }
  assert.ok(marked > 0, `${path}: some lines carry a status`);
  assert.equal(await page.locator('.sv-warn').count(), 0, `${path}: the source fits`);
  return rows;
}

async function checkEveryLine(page, report, path, srcRel) {
  const f = report.files[path];
  return checkRows(page, path, srcRel, n => expectedStatus(f, n));
}

/**
 * A coverage.py report of a real run made worse on purpose, consistently (lists, arcs,
 * regions, summaries and totals): some statements missing and some branches partial, so
 * the packaging sources show every status. Derived from the real 100% report.
 */
function degrade(report, plan) {
  const r = structuredClone(report);
  const numbers = x => {
    const s = x.summary;
    s.covered_lines = x.executed_lines.length;
    s.missing_lines = x.missing_lines.length;
    s.covered_branches = x.executed_branches.length;
    s.missing_branches = x.missing_branches.length;
    const missing = new Set(x.missing_lines);
    s.num_partial_branches = x.missing_branches.filter(a => !missing.has(a[0])).length;
    s.percent_covered = s.num_statements === 0 ? 100 : (100 * (s.covered_lines + s.covered_branches)) / (s.num_statements + s.num_branches);
    s.percent_covered_display = display(s.percent_covered);
    s.percent_statements_covered = s.num_statements === 0 ? 100 : (100 * s.covered_lines) / s.num_statements;
    s.percent_statements_covered_display = display(s.percent_statements_covered);
    s.percent_branches_covered = s.num_branches === 0 ? 100 : (100 * s.covered_branches) / s.num_branches;
    s.percent_branches_covered_display = display(s.percent_branches_covered);
  };
  const apply = (x, gone, partialFrom) => {
    const miss = x.executed_lines.filter(n => gone(n));
    x.executed_lines = x.executed_lines.filter(n => !gone(n));
    x.missing_lines = [...x.missing_lines, ...miss].sort((a, b) => a - b);
    const arcs = [];
    const kept = [];
    const taken = new Set();
    for (const a of x.executed_branches) {
      // Arcs from a missing line were never taken; one arc of each chosen line neither.
      if (gone(a[0]) || (partialFrom.has(a[0]) && !taken.has(a[0]))) {
        arcs.push(a);
        if (!gone(a[0])) taken.add(a[0]);
      } else {
        kept.push(a);
      }
    }
    x.executed_branches = kept;
    x.missing_branches = [...x.missing_branches, ...arcs].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    numbers(x);
  };
  for (const [path, { ranges, partial }] of Object.entries(plan)) {
    const f = r.files[path];
    const gone = n => ranges.some(([a, b]) => a <= n && n <= b);
    const partialFrom = new Set(partial);
    apply(f, gone, partialFrom);
    for (const kind of ['functions', 'classes']) {
      for (const region of Object.values(f[kind] || {})) apply(region, gone, partialFrom);
    }
  }
  const t = r.totals;
  for (const k of ['covered_lines', 'missing_lines', 'covered_branches', 'missing_branches', 'num_partial_branches']) {
    t[k] = Object.values(r.files).reduce((s, f) => s + f.summary[k], 0);
  }
  t.percent_covered = (100 * (t.covered_lines + t.covered_branches)) / (t.num_statements + t.num_branches);
  t.percent_covered_display = display(t.percent_covered);
  return r;
}

/** coverage.py's display_covered at precision 0: never 0 or 100 unless exact. */
function display(pc) {
  if (pc > 0 && pc < 1) return '1';
  if (pc > 99 && pc < 100) return '99';
  const f = Math.floor(pc);
  const r = pc - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(pc);
  return String(r);
}

/** Branch lines with two arcs taken, for making partial ones. */
function branchLines(f, count, avoid) {
  const by = new Map();
  for (const [a] of f.executed_branches) by.set(a, (by.get(a) || 0) + 1);
  return [...by.entries()].filter(([l, c]) => c === 2 && !avoid(l)).map(([l]) => l).slice(0, count);
}

async function degradedPackaging() {
  const full = JSON.parse(await readFile(fixture(FULL), 'utf8'));
  const plan = {};
  for (const [path, ranges] of [
    ['src/packaging/version.py', [[205, 226], [440, 470]]],
    ['src/packaging/specifiers.py', [[300, 330], [700, 720], [900, 925]]],
    ['src/packaging/utils.py', [[60, 75]]],
  ]) {
    const gone = n => ranges.some(([a, b]) => a <= n && n <= b);
    plan[path] = { ranges, partial: branchLines(full.files[path], 4, gone) };
  }
  return degrade(full, plan);
}

test('a picked folder: every line of several files against coverage.py\'s lists; j/k/u, back and forward, links', async () => {
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);

    // The real low-coverage report with contexts, dropped on the page.
    const ctx = JSON.parse(await readFile(fixture(CTX), 'utf8'));
    await dropReport(page, ctx);
    // Before a folder: the bar offers one; nothing is matched yet.
    assert.equal(await page.locator('#add-source-folder').count(), 1);
    assert.equal(await page.locator('#source-summary').count(), 0);
    assert.equal(await pickFolder(page, join(SOURCES, 'packaging-25.0')), 'All 16 report files found their source.');
    assert.equal(await page.locator('#source-unmatched').count(), 0);
    for (const path of ['src/packaging/_structures.py', 'src/packaging/version.py', 'src/packaging/__init__.py']) {
      await checkEveryLine(page, ctx, path, `packaging-25.0/${path}`);
      // Its own URL, naming the report.
      const hash = await page.evaluate(() => location.hash);
      assert.ok(hash.startsWith(`#/file?path=${path}&report=coverage.json`), hash);
      if (path.endsWith('_structures.py')) {
        // The tests that ran a line, from the report's contexts.
        const n = Number(Object.entries(ctx.files[path].contexts).find(([, c]) => c.length > 1)[0]);
        await page.click(`.sv-line[data-line="${n}"] .sv-num`);
        await page.waitForSelector(`.sv-detail[data-detail-line="${n}"]`);
        const shown = await page.locator('.sv-contexts li').allTextContents();
        assert.deepEqual(shown, ctx.files[path].contexts[String(n)].map(c => c || '(empty)'));
        assert.match(await page.evaluate(() => location.hash), new RegExp(`&line=${n}(&|$)`));
      }
      await back(page);
      assert.match(await page.evaluate(() => location.hash), /^#\/files/);
    }

    // The browser's back and forward buttons move between the list and the file.
    await openFile(page, 'src/packaging/utils.py');
    await page.goBack();
    await page.waitForSelector('#file-table a.file-open');
    assert.equal(await page.locator('#file-view').count(), 0);
    await page.goForward();
    await page.waitForSelector('.sv-code [data-line]');
    assert.equal(await page.textContent('#sv-title'), 'src/packaging/utils.py');
    await back(page);

    // From the directory tree too.
    await page.click('#tab-tree');
    await page.click('#tree-table a.file-open[data-open="src/packaging/tags.py"]');
    await page.waitForSelector('.sv-code [data-line]');
    assert.match(await page.evaluate(() => location.hash), /&tab=tree/);
    await page.keyboard.press('u');
    await page.waitForSelector('.tree a.file-open, [data-path] a.file-open');
    await page.click('#tab-files');

    // A link reopens the file with the same report: a fresh page, the report dropped
    // again and the folder added again (nothing was stored).
    await openFile(page, 'src/packaging/version.py');
    const link = page.url();
    await page.goto('about:blank');
    await page.goto(link);
    await page.waitForSelector('[data-field="file-missing-note"]');
    assert.match(await page.textContent('[data-field="file-missing-note"]'), /load that report/);
    await dropFiles(page, [{ name: 'coverage.json', path: fixture(CTX) }]);
    await page.waitForSelector('#sv-title');
    assert.equal(await page.textContent('#sv-title'), 'src/packaging/version.py');
    assert.match(await page.textContent('[data-field="source-state"]'), /No source/);
    // Without a folder, the report's own lists.
    assert.ok(await page.locator('.sv-missing li').count() > 0);
    await page.setInputFiles('#source-folder-input', join(SOURCES, 'packaging-25.0'));
    await page.waitForSelector('.sv-code [data-line]');
    await page.goto('about:blank');
    await page.goto(app.url);
    await page.waitForSelector('header.topbar');

    // The real 100% report with gaps made in it: missing, partial, covered, excluded.
    const bad = await degradedPackaging();
    await dropReport(page, bad);
    await pickFolder(page, join(SOURCES, 'packaging-25.0'));
    for (const path of ['src/packaging/version.py', 'src/packaging/specifiers.py', 'src/packaging/utils.py', 'src/packaging/tags.py']) {
      const rows = await checkEveryLine(page, bad, path, `packaging-25.0/${path}`);
      const f = bad.files[path];
      // The file's figure, as coverage.py displays it at precision 0.
      assert.equal(await page.textContent('[data-field="file-total"]'), `${f.summary.percent_covered_display}%`);
      // Partial lines say which arcs were not taken, in coverage.py's words.
      for (const [from, to] of f.missing_branches.filter(a => !f.missing_lines.includes(a[0]))) {
        const words = to > 0 ? `line ${from} didn't jump to line ${to}` : `line ${from} didn't `;
        const item = page.locator(`.sv-partial li[data-ref-line="${from}"]`);
        assert.match(await item.textContent(), new RegExp(words.replace(/[()]/g, '\\$&')));
      }
      if (path !== 'src/packaging/version.py') { await back(page); continue; }

      // j/k: the starts of the uncovered chunks, in order, wrapping; u: back to the list.
      const chunks = [];
      let prevGap = false;
      for (const [n, status] of rows) {
        if (status === null) continue;
        const gap = status === 'missing' || status === 'partial';
        if (gap && !prevGap) chunks.push(n);
        prevGap = gap;
      }
      assert.ok(chunks.length >= 4, `${chunks}`);
      await page.focus('.sv-code');
      const selected = async () => Number(await page.getAttribute('.sv-line.sel', 'data-line'));
      for (const want of chunks) {
        await page.keyboard.press('j');
        await page.waitForSelector(`.sv-line.sel[data-line="${want}"]`);
        // The selected line is scrolled into view.
        const inView = await page.evaluate(() => {
          const p = document.querySelector('.sv-code').getBoundingClientRect();
          const r = document.querySelector('.sv-line.sel').getBoundingClientRect();
          return r.top >= p.top && r.bottom <= p.bottom;
        });
        assert.ok(inView, `line ${want} in view`);
      }
      await page.keyboard.press('j');
      await page.waitForSelector(`.sv-line.sel[data-line="${chunks[0]}"]`);
      assert.equal(await selected(), chunks[0], 'j wraps to the first chunk');
      await page.keyboard.press('k');
      await page.waitForSelector(`.sv-line.sel[data-line="${chunks[chunks.length - 1]}"]`);
      await page.keyboard.press('k');
      await page.waitForSelector(`.sv-line.sel[data-line="${chunks[chunks.length - 2]}"]`);
      assert.equal(await selected(), chunks[chunks.length - 2]);
      await page.keyboard.press('u');
      await page.waitForSelector('#file-table a.file-open[data-open="src/packaging/version.py"]');
    }
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('a compare row opens the file of the pair\'s current report', async () => {
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);
    const old = fixture('packaging-24.1/coveragepy-7.17.3-branch/coverage.json');
    const now = fixture(FULL);
    await dropFiles(page, [{ name: 'coverage-24.1.json', path: old }, { name: 'coverage-25.0.json', path: now }]);
    await page.waitForSelector('#file-table a.file-open');
    await pickFolder(page, join(SOURCES, 'packaging-25.0'));
    await page.click('#tab-compare');
    await page.click('#compare-table button.file-open[data-open="src/packaging/version.py"]');
    await page.waitForSelector('.sv-code [data-line]');
    const hash = await page.evaluate(() => location.hash);
    // The pair's current report is the newer one (by the reports' timestamps).
    const [a, b] = [JSON.parse(await readFile(old, 'utf8')), JSON.parse(await readFile(now, 'utf8'))];
    const [newer, name] = a.meta.timestamp > b.meta.timestamp ? [a, 'coverage-24.1.json'] : [b, 'coverage-25.0.json'];
    assert.ok(hash.startsWith(`#/file?path=src/packaging/version.py&report=${name}`), hash);
    assert.match(hash, /&tab=compare/);
    const f = newer.files['src/packaging/version.py'];
    assert.equal(await page.textContent('[data-field="file-total"]'), `${f.summary.percent_covered_display}%`);
    // Back is the compare tab again.
    await page.click('#sv-back');
    await page.waitForSelector('#compare-table');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('a source that is not the measured code is called out; unmatched files are listed', async () => {
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);
    // packaging 24.1's report read with 25.0's sources.
    await dropReport(page, fixture('packaging-24.1/coveragepy-7.17.3-branch/coverage.json'));
    await pickFolder(page, join(SOURCES, 'packaging-25.0'));
    await openFile(page, 'src/packaging/version.py', { source: false });
    const warn = page.locator('.sv-warn').first();
    await warn.waitFor();
    assert.equal(await warn.getAttribute('role'), 'alert');
    assert.match(await warn.textContent(), /The source differs from the measured code/);
    await page.locator('.sv').screenshot({ path: join(ARTIFACTS, 'source-view-differs.png') });
    await back(page);

    // A folder holding only part of the project: the others are named.
    const some = await mkdtemp(join(tmpdir(), 'covgap-sv-part-'));
    await mkdir(join(some, 'src/packaging'), { recursive: true });
    await writeFile(join(some, 'src/packaging/tags.py'), await readFile(join(SOURCES, 'packaging-25.0/src/packaging/tags.py')));
    await page.click('#sources .sources-folder button');
    await page.setInputFiles('#source-folder-input', some);
    await page.waitForFunction(() => /1 of \d+ report files found its source/.test(document.querySelector('#source-summary')?.textContent || ''));
    const n = JSON.parse(await readFile(fixture('packaging-24.1/coveragepy-7.17.3-branch/coverage.json'), 'utf8'));
    const others = Object.keys(n.files).filter(p => !p.endsWith('/tags.py'));
    await page.click('#source-unmatched summary');
    assert.deepEqual((await page.locator('#source-unmatched li').allTextContents()).sort(), others.sort());
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('a dropped folder is walked without reading its files; only the opened file is read', async () => {
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);
    const report = {
      meta: { format: 3, version: '7.17.3', branch_coverage: false, show_contexts: false },
      files: {
        'a.py': { executed_lines: [1], missing_lines: [], excluded_lines: [], summary: { covered_lines: 1, num_statements: 1, missing_lines: 0, excluded_lines: 0, percent_covered: 100, percent_covered_display: '100' } },
        'src/b.py': { executed_lines: [], missing_lines: [1], excluded_lines: [], summary: { covered_lines: 0, num_statements: 1, missing_lines: 1, excluded_lines: 0, percent_covered: 0, percent_covered_display: '0' } },
      },
      totals: { covered_lines: 1, num_statements: 2, missing_lines: 1, excluded_lines: 0, percent_covered: 50, percent_covered_display: '50' },
    };
    await dropReport(page, report);
    // A real drag of a folder cannot be made from a test: the drop carries one item whose
    // entry is a directory shaped like Chromium's (readEntries hands out batches of 100
    // until an empty one; file() is the only way to the bytes).
    await page.evaluate(() => {
      window.fileCalls = 0;
      const file = (name, text) => ({
        isFile: true, isDirectory: false, name,
        file(ok) { window.fileCalls++; setTimeout(() => ok(new File([text], name)), 0); },
      });
      const dir = (name, children) => ({
        isFile: false, isDirectory: true, name,
        createReader() {
          let at = 0;
          return { readEntries(ok) { const b = children.slice(at, at + 100); at += b.length; setTimeout(() => ok(b), 0); } };
        },
      });
      const many = Array.from({ length: 250 }, (_, i) => file(`m${String(i).padStart(3, '0')}.py`, `x = ${i}\n`));
      const root = dir('proj', [
        file('a.py', 'print("a")\n'),
        dir('.git', [file('HEAD', 'ref: x\n')]),
        dir('src', [dir('pkg', many), file('b.py', 'b = 2\n')]),
      ]);
      // Each read of dt.items[i] is a new object: the entry is given through the prototype,
      // for the one File that stands for the folder.
      const marker = new File([''], 'proj', { type: 'application/x-covgap-test-folder' });
      const own = DataTransferItem.prototype.webkitGetAsEntry;
      DataTransferItem.prototype.webkitGetAsEntry = function () {
        const f = this.getAsFile();
        return f && f.type === marker.type ? root : own.call(this);
      };
      const dt = new DataTransfer();
      dt.items.add(marker);
      const target = document.querySelector('.app');
      target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
      target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
    });
    await page.waitForFunction(() => /found their source/.test(document.querySelector('#source-summary')?.textContent || ''));
    assert.equal((await page.textContent('#source-summary')).trim(), 'All 2 report files found their source.');
    // 252 files listed (not .git's), none read.
    assert.match(await page.textContent('#sources .sources-folder'), /^proj\/ 252 files/);
    assert.equal(await page.evaluate(() => window.fileCalls), 0);
    // Opening a file reads it, and only it.
    await openFile(page, 'src/b.py');
    assert.equal(await page.textContent('.sv-line[data-line="1"] .sv-text'), 'b = 2');
    assert.equal(await page.getAttribute('.sv-line[data-line="1"]', 'data-status'), 'missing');
    assert.equal(await page.evaluate(() => window.fileCalls), 1);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('kept for offline review: the sources the report names are kept with it, and it says so', async () => {
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);
    await dropReport(page, fixture(CTX));
    assert.doesNotMatch(await page.textContent('.keep-bar'), /source/);
    await pickFolder(page, join(SOURCES, 'packaging-25.0'));
    assert.match(await page.textContent('.keep-bar .kept'), /Keeping includes the 16 source files of the loaded reports/);
    await page.click('#keep');
    await page.waitForFunction(() => /with 16 source files in this browser/.test(document.querySelector('.keep-message')?.textContent || ''));
    assert.match(await page.textContent('[data-field="kept"]'), /Kept in this browser: 1 file, with 16 source files, /);
    // A new visit: the report and its sources come back; a file opens with its source.
    await page.reload();
    await page.waitForFunction(() => /All 16 report files found their source/.test(document.querySelector('#source-summary')?.textContent || ''), null, { timeout: 30_000 });
    assert.match(await page.textContent('.keep-message'), /Restored 1 kept file, with 16 source files/);
    await openFile(page, 'src/packaging/version.py');
    assert.match(await page.textContent('[data-field="source-state"]'), /^Source: packaging-25\.0\/src\/packaging\/version\.py/);
    await back(page);
    await page.click('#forget');
    await page.waitForFunction(() => /Forgot the kept files/.test(document.querySelector('.keep-message')?.textContent || ''));
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

/** A coverage.py-shaped report of zod's types.ts (5,138 lines) from the v8 LCOV's lines. */
async function zodTypesReport() {
  const lcov = await readFile(fixture('zod-4.1.12/vitest-4.1.12-coverage-v8/lcov.info'), 'utf8');
  const rec = lcov.split('end_of_record').find(r => /SF:.*src\/v3\/types\.ts/.test(r));
  const da = [...rec.matchAll(/^DA:(\d+),(\d+)/gm)].map(m => [Number(m[1]), Number(m[2])]);
  const executed = da.filter(([, h]) => h > 0).map(([l]) => l);
  const missing = da.filter(([, h]) => h === 0).map(([l]) => l);
  const summary = {
    covered_lines: executed.length, num_statements: da.length, missing_lines: missing.length, excluded_lines: 0,
    percent_covered: (100 * executed.length) / da.length, percent_covered_display: '0',
  };
  return {
    meta: { format: 3, version: '7.17.3', branch_coverage: false, show_contexts: false },
    files: { 'src/v3/types.ts': { executed_lines: executed, missing_lines: missing, excluded_lines: [], summary } },
    totals: summary,
  };
}

// The figure is measured and printed, not asserted: this machine's load decides it (the
// issue's target is 100 ms). What is asserted is what makes it fast: only the lines on
// screen are in the page.
test('a 5,000-line file opens with only the lines on screen rendered (timed)', async () => {
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);
    await dropReport(page, await zodTypesReport());
    await pickFolder(page, join(SOURCES, 'zod-4.1.12'));
    const times = [];
    const cpu = [];
    const scrolls = [];
    // Main-thread CPU time too (thread ticks): wall time on a shared, loaded machine
    // mostly measures the other processes.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const metric = async name => (await cdp.send('Performance.getMetrics')).metrics.find(m => m.name === name).value * 1000;
    const taskTime = () => metric('TaskDuration');
    const split = [];
    for (let i = 0; i < 7; i++) {
      const before = await taskTime();
      const b = { s: await metric('ScriptDuration'), l: await metric('LayoutDuration'), r: await metric('RecalcStyleDuration') };
      // From the click on the table's link to the rows painted: read + annotate + render + layout.
      const ms = await page.evaluate(async () => {
        const t0 = performance.now();
        document.querySelector('#file-table a.file-open[data-open="src/v3/types.ts"]').click();
        await new Promise(resolve => {
          const done = () => document.querySelector('.sv-code [data-line]') && /^Source/.test(document.querySelector('[data-field="source-state"]')?.textContent || '');
          if (done()) { resolve(); return; }
          const obs = new MutationObserver(() => { if (done()) { obs.disconnect(); resolve(); } });
          obs.observe(document.body, { childList: true, subtree: true, characterData: true });
        });
        await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
        return performance.now() - t0;
      });
      times.push(ms);
      cpu.push((await taskTime()) - before);
      split.push(`script ${((await metric('ScriptDuration')) - b.s).toFixed(0)} layout ${((await metric('LayoutDuration')) - b.l).toFixed(0)} style ${((await metric('RecalcStyleDuration')) - b.r).toFixed(0)}`);
      assert.equal(await page.getAttribute('.sv-code', 'data-lines'), '5138');
      assert.ok(await page.locator('.sv-code [data-line]').count() <= 160);
      // Scrolling to the middle: the window moves, the rows there appear.
      scrolls.push(await page.evaluate(async () => {
        const pane = document.querySelector('.sv-code');
        const t0 = performance.now();
        pane.scrollTop = 2569 * 20;
        await new Promise(resolve => {
          const check = () => document.querySelector('.sv-line[data-line="2570"]') ? resolve() : requestAnimationFrame(check);
          check();
        });
        return performance.now() - t0;
      }));
      await back(page);
    }
    const median = v => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    console.log(split.join(' | '));
    console.log(`5,138-line file: open ${times.map(t => t.toFixed(1)).join(', ')} ms (median ${median(times).toFixed(1)}, best ${Math.min(...times).toFixed(1)}); main-thread CPU ${cpu.map(t => t.toFixed(1)).join(', ')} ms (median ${median(cpu).toFixed(1)}); scroll to the middle ${scrolls.map(t => t.toFixed(1)).join(', ')} ms`);
    assert.equal(await page.locator('.sv-code [data-line]').count(), 0);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

for (const [label, opts] of [
  ['light', {}],
  ['dark', { colorScheme: 'dark' }],
  ['390', { viewport: { width: 390, height: 844 } }],
]) {
  test(`screenshots of the file view: ${label}`, async () => {
    const app = await open(opts);
    try {
      const { page } = app;
      await load(page, app.url);
      await dropReport(page, await degradedPackaging());
      await pickFolder(page, join(SOURCES, 'packaging-25.0'));
      await shot(page, `source-view-list-${label}`);
      await openFile(page, 'src/packaging/version.py');
      // The report's regions come through the parsing worker: version.py's functions and
      // classes are listed with their own coverage (coverage.py's function report).
      const fnRows = await page.locator('.sv-functions .sv-fname').count();
      const want = Object.keys((await degradedPackaging()).files['src/packaging/version.py'].functions).length;
      assert.equal(fnRows, want, 'one row per function coverage.py lists');
      // j five times: past the four partial lines to the first missing run.
      await page.focus('.sv-code');
      for (let i = 0; i < 5; i++) await page.keyboard.press('j');
      await page.waitForSelector('.sv-line.sel[data-line="205"]');
      await page.locator('.sv').scrollIntoViewIfNeeded();
      await page.locator('.sv').screenshot({ path: join(ARTIFACTS, `source-view-${label}.png`) });
      await shot(page, `source-view-page-${label}`);
      await back(page);
      // Without a source: the missing ranges, partial lines and functions.
      await page.click('#sources .sources-folder button');
      await page.waitForFunction(() => !document.querySelector('#source-summary'));
      await openFile(page, 'src/packaging/specifiers.py', { source: false });
      await page.waitForSelector('.sv-partial');
      assert.equal(await page.locator('.sv-code').count(), 0);
      assert.ok(await page.locator('.sv-missing li').count() >= 3);
      await page.locator('.sv').screenshot({ path: join(ARTIFACTS, `source-view-nosource-${label}.png`) });
      // Nothing wider than the screen but the code pane's own scroll.
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(wide <= 0, `page scrolls sideways by ${wide}px`);
      assert.deepEqual(app.errors, []);
    } finally {
      await app.close();
    }
  });
}

test('the file view under the /covgap/ sub-path', async () => {
  const app = await open({ base: '/covgap/' });
  try {
    const { page } = app;
    await load(page, app.url);
    const ctx = JSON.parse(await readFile(fixture(CTX), 'utf8'));
    await dropReport(page, ctx);
    await pickFolder(page, join(SOURCES, 'packaging-25.0'));
    await checkEveryLine(page, ctx, 'src/packaging/_structures.py', 'packaging-25.0/src/packaging/_structures.py');
    assert.ok(page.url().includes('/covgap/#/file?path='), page.url());
    // The view's stylesheet came with the build (a line is exactly 20px tall).
    const h = await page.evaluate(() => document.querySelector('.sv-line').getBoundingClientRect().height);
    assert.equal(h, 20);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

// ---- other formats: each line's status from the report's own records -----------------

/** Istanbul: a line's hits are the most of the statements starting on it; its branches
 *  are those whose `loc` starts on it (istanbul-lib-coverage, and its LCOV writer). */
function istanbulExpect(fc) {
  const hits = new Map();
  for (const [id, loc] of Object.entries(fc.statementMap)) {
    const l = loc.start.line;
    hits.set(l, Math.max(hits.get(l) ?? 0, fc.s[id]));
  }
  const br = new Map();
  for (const [id, m] of Object.entries(fc.branchMap)) {
    const l = (m.loc ?? m.locations[0]).start.line;
    const [t, n] = br.get(l) ?? [0, 0];
    br.set(l, [t + fc.b[id].filter(c => c > 0).length, n + fc.b[id].length]);
  }
  return statusFrom(hits, br);
}

/** LCOV: DA gives a line's hits, BRDA its branches ('-' is not taken). */
function lcovExpect(record) {
  const hits = new Map();
  const br = new Map();
  for (const m of record.matchAll(/^DA:(\d+),(\d+)/gm)) hits.set(Number(m[1]), Number(m[2]));
  for (const m of record.matchAll(/^BRDA:(\d+),[^,]*,[^,]*,(\S+)/gm)) {
    const l = Number(m[1]);
    const [t, n] = br.get(l) ?? [0, 0];
    br.set(l, [t + (m[2] !== '-' && Number(m[2]) > 0 ? 1 : 0), n + 1]);
  }
  return statusFrom(hits, br);
}

/** Cobertura: a <line>'s hits, and its condition-coverage "(taken/total)". */
function coberturaExpect(classXml) {
  const hits = new Map();
  const br = new Map();
  // The class's own <lines>, not those of its <methods>.
  const own = classXml.slice(Math.max(0, classXml.lastIndexOf('</methods>')));
  for (const m of own.matchAll(/<line number="(\d+)" hits="(\d+)"([^>]*)>/g)) {
    const l = Number(m[1]);
    hits.set(l, Math.max(hits.get(l) ?? 0, Number(m[2])));
    const c = /condition-coverage="[^"(]*\((\d+)\/(\d+)\)"/.exec(m[3]);
    if (c) br.set(l, [Number(c[1]), Number(c[2])]);
  }
  return statusFrom(hits, br);
}

function statusFrom(hits, br) {
  return n => {
    if (hits.get(n) === 0) return 'missing';
    const b = br.get(n);
    if (b && b[0] < b[1]) return 'partial';
    if (hits.has(n) || b) return 'covered';
    return null;
  };
}

for (const [fmt, rel, tree, files, expectOf] of [
  ['Istanbul', 'qs-6.17.1/nyc-18.0.0/coverage-final.json', 'qs-6.17.1', ['lib/parse.js', 'lib/utils.js', 'lib/stringify.js'],
    (text, path) => istanbulExpect(Object.entries(JSON.parse(text)).find(([k]) => k.endsWith('/' + path))[1])],
  ['LCOV', 'object-inspect-1.13.4/nyc-18.0.0/lcov.info', 'object-inspect-1.13.4', ['index.js'],
    (text, path) => lcovExpect(text.split('end_of_record').find(r => new RegExp(`^SF:(.*/)?${path.replace(/\./g, '\\.')}$`, 'm').test(r)))],
  ['Cobertura', 'qs-6.17.1/nyc-18.0.0/cobertura-coverage.xml', 'qs-6.17.1', ['lib/parse.js', 'lib/utils.js', 'lib/formats.js'],
    (text, path) => coberturaExpect(text.split('</class>').find(c => c.includes(`filename="${path}"`)))],
]) {
  test(`every line against ${fmt}'s own records, in the app`, async () => {
    const app = await open();
    try {
      const { page } = app;
      await load(page, app.url);
      const text = await readFile(fixture(rel), 'utf8');
      await dropReport(page, fixture(rel), rel.split('/').pop());
      const summary = await pickFolder(page, join(SOURCES, tree));
      assert.match(summary, /found (their|its) source/);
      for (const path of files) {
        // The report's own name for the file (Istanbul's are absolute).
        const reportPath = await page.getAttribute(`#file-table a.file-open[data-open$="${path}"]`, 'data-open');
        await checkRows(page, reportPath, `${tree}/${path}`, expectOf(text, path));
        await back(page);
      }
      assert.deepEqual(app.errors, []);
    } finally {
      await app.close();
    }
  });
}

test('a report over 4 MB loads without its functions and classes and reads them when a file is opened', async () => {
  // A real coverage.py report replicated to 6 MB (scripts/make-scaled.mjs: copies under
  // scaled-copy-NNNN/<project>/, some function regions turned unexecuted, every summary
  // recomputed); its ext.py copy lists the functions and classes of jinja2's ext.py.
  const { makeScaled } = await import('../scripts/make-scaled.mjs');
  const path = await makeScaled({ mb: 6 });
  const scaled = JSON.parse(await readFile(path, 'utf8'));
  const rel = 'scaled-copy-0000/jinja2-3.1.6/src/jinja2/ext.py';
  const want = scaled.files[rel];
  assert.ok(want && Object.keys(want.functions).length > 5 && Object.keys(want.classes).length > 2);
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);
    const workers = [];
    page.on('worker', w => workers.push(w.url()));
    await dropFiles(page, [{ path, name: 'coverage.SCALED-6MB.json' }]);
    await page.waitForSelector('#file-table a.file-open', { timeout: 30_000 });
    const started = workers.length;
    // Opened by its link (the table shows only the rows on screen).
    await page.evaluate(p => { location.hash = `#/file?path=${encodeURIComponent(p)}`; }, rel);
    await page.waitForSelector('#file-view');
    await page.waitForFunction(n => document.querySelectorAll('.sv-functions .sv-fname').length === n,
      Object.keys(want.functions).length, { timeout: 30_000 });
    assert.equal(await page.locator('.sv-classes .sv-fname').count(), Object.keys(want.classes).length);
    assert.ok(workers.length > started, 'the report was read again by the parsing worker');
    // Another file of the same report: its lists at once, nothing read again.
    const other = 'scaled-copy-0000/jinja2-3.1.6/src/jinja2/lexer.py';
    const before = workers.length;
    await page.evaluate(p => { location.hash = `#/file?path=${encodeURIComponent(p)}`; }, other);
    await page.waitForFunction(n => document.querySelectorAll('.sv-functions .sv-fname').length === n,
      Object.keys(scaled.files[other].functions).length);
    await page.waitForTimeout(300);
    assert.ok(workers.length <= before + 1, 'at most the spare worker was started');
    assert.deepEqual(app.errors, []);
    await shot(page, 'source-view-lazy-regions');
  } finally {
    await app.close();
  }
});
