// The source view in a browser: a real project's folder picked with the folder input,
// matched to coverage.py reports, every line's status checked against the report's own
// lists, j/k/u, a dropped folder walked without reading its files, the 5,000-line file's
// render time, and screenshots (light, dark, 390 px).
//
// PHASE 1: the app shell (state.rs/app.rs) is being rewritten, so these tests drive the
// pieces through a test hook, window.wasmBindings.covgapSourceHarness(rootId, reportText,
// name), which mounts the folder input, the report's file list and the FileView. PHASE 2
// replaces `mountHarness` with the real integration: drop the report on the page, press
// "Add source folder…" (#add-source-folder / #source-folder-input), open a file from the
// table (#/file?path=…&report=…), and use the browser's back button instead of `u`; every
// assertion below stays as it is. The Istanbul and LCOV cases at the end are written
// against that integration and skipped until those readers land in covgap_core::parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { open, load, shot, fixture, ROOT, ARTIFACTS } from './lib.mjs';

const SOURCES = join(ROOT, 'tests/sources');
const CTX = 'packaging-25.0/coveragepy-7.17.3-branch-contexts-small/coverage.json';
const FULL = 'packaging-25.0/coveragepy-7.17.3-branch/coverage.json';

/** PHASE 1 hook: mounts the harness with `report` (an object) in a fresh element. */
async function mountHarness(page, report, name = 'coverage.json') {
  await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.covgapSourceHarness);
  await page.evaluate(({ text, name }) => {
    document.querySelector('#sv-harness')?.remove();
    const el = document.createElement('div');
    el.id = 'sv-harness';
    document.body.prepend(el);
    window.wasmBindings.covgapSourceHarness('sv-harness', text, name);
  }, { text: JSON.stringify(report), name });
  await page.waitForSelector('#add-source-folder');
}

async function pickFolder(page, dir) {
  await page.setInputFiles('#source-folder-input', dir);
  await page.waitForFunction(() => /found their source/.test(document.querySelector('#harness-message')?.textContent || ''));
  return (await page.textContent('#harness-message')).trim();
}

async function openFile(page, path) {
  await page.click(`li[data-file="${path}"] button`);
  await page.waitForSelector('.sv-code [data-line]');
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

async function checkEveryLine(page, report, path, srcRel) {
  const f = report.files[path];
  const src = lines(await readFile(join(SOURCES, srcRel), 'utf8'));
  await openFile(page, path);
  await page.waitForFunction(() => /^Source: /.test(document.querySelector('[data-field="source-state"]').textContent));
  const rows = await allRows(page);
  assert.equal(rows.length, src.length, `${path}: one row per source line`);
  for (const [n, status, text] of rows) {
    assert.equal(status, expectedStatus(f, n), `${path} line ${n}`);
    assert.equal(text, src[n - 1], `${path} line ${n} text`);
  }
  assert.equal(await page.locator('.sv-warn').count(), 0, `${path}: the source fits`);
  return rows;
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

test('a picked folder: every line of several files against coverage.py\'s lists; j/k/u', async () => {
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);

    // The real low-coverage report with contexts.
    const ctx = JSON.parse(await readFile(fixture(CTX), 'utf8'));
    await mountHarness(page, ctx);
    assert.equal(await pickFolder(page, join(SOURCES, 'packaging-25.0')), 'All 16 report files found their source.');
    for (const path of ['src/packaging/_structures.py', 'src/packaging/version.py', 'src/packaging/__init__.py']) {
      await checkEveryLine(page, ctx, path, `packaging-25.0/${path}`);
      if (path.endsWith('_structures.py')) {
        // The tests that ran a line, from the report's contexts.
        const n = Number(Object.entries(ctx.files[path].contexts).find(([, c]) => c.length > 1)[0]);
        await page.click(`.sv-line[data-line="${n}"] .sv-num`);
        await page.waitForSelector(`.sv-detail[data-detail-line="${n}"]`);
        const shown = await page.locator('.sv-contexts li').allTextContents();
        assert.deepEqual(shown, ctx.files[path].contexts[String(n)].map(c => c || '(empty)'));
      }
      await page.click('#sv-back');
    }

    // The real 100% report with gaps made in it: missing, partial, covered, excluded.
    const bad = await degradedPackaging();
    await mountHarness(page, bad);
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
      if (path !== 'src/packaging/version.py') { await page.click('#sv-back'); continue; }

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
      assert.equal(await selected(), chunks[0], 'j wraps to the first chunk');
      await page.keyboard.press('k');
      assert.equal(await selected(), chunks[chunks.length - 1], 'k wraps to the last');
      await page.keyboard.press('k');
      assert.equal(await selected(), chunks[chunks.length - 2]);
      await page.keyboard.press('u');
      await page.waitForSelector('li[data-file="src/packaging/version.py"]');
    }
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('a source that is not the measured code is called out', async () => {
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);
    // packaging 24.1's report read with 25.0's sources.
    const old = JSON.parse(await readFile(fixture('packaging-24.1/coveragepy-7.17.3-branch/coverage.json'), 'utf8'));
    await mountHarness(page, old);
    await pickFolder(page, join(SOURCES, 'packaging-25.0'));
    await page.click('li[data-file="src/packaging/version.py"] button');
    const warn = page.locator('.sv-warn').first();
    await warn.waitFor();
    assert.equal(await warn.getAttribute('role'), 'alert');
    assert.match(await warn.textContent(), /The source differs from the measured code/);
    await page.locator('.sv').screenshot({ path: join(ARTIFACTS, 'source-view-differs.png') });
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('a dropped folder is walked without reading its files', async () => {
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);
    await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.covgapWalkEntryForTest);
    const out = await page.evaluate(async () => {
      // Shaped like Chromium's FileSystemDirectoryEntry: readEntries hands out batches of
      // 100 until an empty one; file() is the only way to the bytes.
      let fileCalls = 0;
      const file = (name, text) => ({
        isFile: true, isDirectory: false, name,
        file(ok) { fileCalls++; setTimeout(() => ok(new File([text], name)), 0); },
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
      const r = await window.wasmBindings.covgapWalkEntryForTest(root);
      return { paths: r.paths, first: r.first, fileCalls };
    });
    assert.equal(out.paths.length, 252);
    assert.equal(out.paths[0], 'proj/a.py');
    assert.ok(out.paths.includes('proj/src/pkg/m249.py') && out.paths.includes('proj/src/b.py'));
    assert.ok(!out.paths.some(p => p.includes('.git')), 'version control is not listed');
    // Listing read nothing; opening the first file read only it.
    assert.equal(out.fileCalls, 1);
    assert.deepEqual(out.first, ['print("a")\n']);
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
// issue's target is 100 ms; see the report for the figures measured). What is asserted
// is what makes it fast: only the lines on screen are in the page.
test('a 5,000-line file opens with only the lines on screen rendered (timed)', async () => {
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);
    await mountHarness(page, await zodTypesReport());
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
      // From the click to the rows painted: read + annotate + render + layout.
      const ms = await page.evaluate(async () => {
        const t0 = performance.now();
        document.querySelector('li[data-file="src/v3/types.ts"] button').click();
        await new Promise(resolve => {
          const done = () => document.querySelector('.sv-code [data-line]') && /^Source/.test(document.querySelector('[data-field="source-state"]')?.textContent || '');
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
      await page.click('#sv-back');
    }
    const median = v => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    console.log(split.join(' | '));
    console.log(`5,138-line file: open ${times.map(t => t.toFixed(1)).join(', ')} ms (median ${median(times).toFixed(1)}, best ${Math.min(...times).toFixed(1)}); main-thread CPU ${cpu.map(t => t.toFixed(1)).join(', ')} ms (median ${median(cpu).toFixed(1)}); scroll to the middle ${scrolls.map(t => t.toFixed(1)).join(', ')} ms`);
    assert.ok(await page.locator('.sv-code [data-line]').count() === 0);
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
      await mountHarness(page, await degradedPackaging());
      await pickFolder(page, join(SOURCES, 'packaging-25.0'));
      await openFile(page, 'src/packaging/version.py');
      // j five times: past the four partial lines to the first missing run.
      await page.focus('.sv-code');
      for (let i = 0; i < 5; i++) await page.keyboard.press('j');
      await page.waitForSelector('.sv-line.sel[data-line="205"]');
      await page.locator('.sv').scrollIntoViewIfNeeded();
      await page.locator('.sv').screenshot({ path: join(ARTIFACTS, `source-view-${label}.png`) });
      await shot(page, `source-view-page-${label}`);
      // Without a source: the missing ranges, partial lines and functions.
      await mountHarness(page, await degradedPackaging());
      await page.click('li[data-file="src/packaging/specifiers.py"] button');
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
    await mountHarness(page, ctx);
    await pickFolder(page, join(SOURCES, 'packaging-25.0'));
    await checkEveryLine(page, ctx, 'src/packaging/_structures.py', 'packaging-25.0/src/packaging/_structures.py');
    // The view's stylesheet came with the build (a line is exactly 20px tall).
    const h = await page.evaluate(() => document.querySelector('.sv-line').getBoundingClientRect().height);
    assert.equal(h, 20);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

// PHASE 2 (skipped until the Istanbul and LCOV readers land in covgap_core::parse): the
// same line-by-line check for two other formats, through the real app shell.
for (const [fmt, rel, tree, files] of [
  ['Istanbul', 'qs-6.17.1/nyc-18.0.0/coverage-final.json', 'qs-6.17.1', ['lib/parse.js', 'lib/utils.js', 'lib/stringify.js']],
  ['LCOV', 'object-inspect-1.13.4/nyc-18.0.0/lcov.info', 'object-inspect-1.13.4', ['index.js']],
]) {
  test(`every line against ${fmt}'s own lists (phase 2)`, { skip: 'needs the app shell wiring and the ' + fmt + ' reader' }, async () => {
    const app = await open();
    try {
      const { page } = app;
      await load(page, app.url);
      // Drop the report, add the folder, open each file from the table; compare every
      // line's data-status with the report's statement/line hits (0 → missing, > 0 →
      // covered, a branch with an untaken path → partial) and data-line with the source.
      void rel; void tree; void files; void page;
    } finally {
      await app.close();
    }
  });
}
