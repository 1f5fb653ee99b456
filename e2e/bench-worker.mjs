// Loading big reports in headless Chromium (one browser session), per file: the largest real
// fixture, a 32 MB and the 50 MB scaled reports and a 200 MB one (scripts/make-scaled.mjs;
// the scaled ones are real coverage.py reports replicated: no real report that large is
// among the fixtures):
//
//  - drop → totals: the app itself, from the file input's change event to the summary's
//    total (`data-field="total-percent"`) painted — every load goes through the parsing
//    worker; the worker's own breakdown (read, parse, encode, decode) through the bridge's
//    ?test-worker hook;
//  - the page's own JSON.parse of the same text, and the ratio;
//  - the longest main-thread task while loading (PerformanceObserver 'longtask', observed
//    before the load starts; tasks under 50 ms are not reported by the browser: "< 50");
//  - renderer memory: the peak increase of the resident memory (RSS, /proc) of Chromium's
//    renderer processes while loading, sampled every 10 ms — the page and its workers live
//    in them — and the page's JS heap after (CDP Performance.getMetrics JSHeapUsedSize);
//  - once loaded, sorting the file table (a header click), filtering it (typing three
//    letters, then clearing), and switching to the tree and back: the main thread's busy
//    time for each (CDP TaskDuration: the event, the render and the frame it causes), the
//    event's synchronous part, and the wall time to the next frame;
//  - time to an interactive drop zone on a cold first visit;
//  - the bundle: the app's and the worker's wasm, raw and gzipped.
//
// Prints figures; asserts nothing about speed.   node e2e/bench-worker.mjs [--skip-200]
import { chromium } from 'playwright-core';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CHROMIUM, fixture, distFor } from './lib.mjs';
import { serve } from './serve.mjs';
import { scaledReport } from './scaled.mjs';
import { makeScaled } from '../scripts/make-scaled.mjs';

const skip200 = process.argv.includes('--skip-200');
const inputs = [['jinja2 (largest real fixture)', fixture('jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json')]];
inputs.push(['scaled 32 MB', await makeScaled({ mb: 32 })]);
const s50 = await scaledReport();
if (s50) inputs.push(['scaled 50 MB', s50]);
else console.log('note: the 50 MB scaled report is not beside the checkout; skipped');
if (!skip200) inputs.push(['scaled 200 MB', await makeScaled({ mb: 200 })]);

// --- renderer memory, from /proc --------------------------------------------------------
async function procs() {
  // This browser's renderers: descendants of the process started with our profile.
  const all = new Map();
  for (const pid of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      all.set(pid, { ppid, cmd });
    } catch { /* gone */ }
  }
  const roots = [...all].filter(([, p]) => p.cmd.includes(profile) && !p.cmd.includes('--type=')).map(([pid]) => pid);
  const mine = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, p] of all) if (!mine.has(pid) && mine.has(p.ppid)) { mine.add(pid); grew = true; }
  }
  return [...mine].filter(pid => all.get(pid).cmd.includes('--type=renderer'));
}
async function rss(pids) {
  let kb = 0;
  for (const pid of pids) {
    try {
      const m = (await readFile(`/proc/${pid}/status`, 'utf8')).match(/^VmRSS:\s+(\d+)/m);
      if (m) kb += Number(m[1]);
    } catch { /* gone */ }
  }
  return kb * 1024;
}
function sampler() {
  let peak = 0, stop = false, pids = [];
  const run = (async () => {
    while (!stop) {
      pids = await procs();
      peak = Math.max(peak, await rss(pids));
      await new Promise(r => setTimeout(r, 10));
    }
  })();
  return { done: async () => { stop = true; await run; return peak; } };
}

const profile = await mkdtemp(join(tmpdir(), 'covgap-bench-'));
const server = await serve({ dir: distFor('/'), base: '/' });
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

/**
 * Sorting, filtering and switching tabs on the loaded report, each: the main thread's busy
 * time (CDP Performance.getMetrics TaskDuration, before and after: the event, Yew's render,
 * style, layout and paint of the frame it causes — idle time waiting for the frame is not
 * in it), the same for doing nothing over two frames (the measurement's own cost, printed
 * as the baseline), the event's synchronous part, and the wall time to the next frame
 * (which includes waiting for the display's next vsync).
 */
async function interactions(page, cdp) {
  await page.evaluate(() => {
    const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
    const input = document.getElementById('filter');
    const sortBy = text => () => [...document.querySelectorAll('#file-table th button.sort')]
      .find(b => b.textContent.startsWith(text)).click();
    const type = v => () => { input.value = v; input.dispatchEvent(new InputEvent('input', { bubbles: true })); };
    const acts = {
      'nothing (baseline)': () => {},
      'sort Miss': sortBy('Miss'),
      'sort Miss again': sortBy('Miss'),
      'sort Cover': sortBy('Cover'),
      'filter "j"': type('j'),
      '"ji"': type('ji'),
      '"jin"': type('jin'),
      'clear': type(''),
      'tree tab': () => document.getElementById('tab-tree').click(),
      'files tab': () => document.getElementById('tab-files').click(),
    };
    window.__act = async name => {
      await frame();
      const t = performance.now();
      acts[name]();
      const sync = performance.now() - t;
      await frame();
      return { sync, frame: performance.now() - t };
    };
    window.__acts = Object.keys(acts);
  });
  const busy = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find(m => m.name === 'TaskDuration').value * 1000;
  };
  const out = {};
  for (const name of await page.evaluate(() => window.__acts)) {
    // Settle first, so no earlier frame's work is counted.
    await page.evaluate(() => new Promise(r => setTimeout(r, 50)));
    const b0 = await busy();
    const r = await page.evaluate(n => window.__act(n), name);
    out[name] = { ...r, busy: (await busy()) - b0 };
  }
  return out;
}

const MB = n => (n / 1e6).toFixed(1);
const fmt = n => (n == null ? '—' : n < 10 ? n.toFixed(1) : n.toFixed(0));

try {
  // Cold first visit: navigation start to the drop zone being there (the app mounted).
  {
    const page = context.pages()[0] || await context.newPage();
    await page.goto(server.url);
    await page.waitForSelector('header.topbar');
    const ms = await page.evaluate(() => performance.now());
    console.log(`cold load to an interactive drop zone: ${fmt(ms)} ms (first visit, no cache, 127.0.0.1)`);
    await page.close();
  }

  for (const [label, path] of inputs) {
    const size = statSync(path).size;
    const row = { label, size };
    for (const mode of ['app', 'hook', 'json']) {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      await page.goto(server.url + (mode === 'hook' ? '?test-worker' : ''));
      await page.waitForSelector('header.topbar');
      await page.evaluate(() => {
        const i = document.createElement('input');
        i.type = 'file'; i.id = 'bench-file'; i.hidden = true;
        document.body.append(i);
      });
      if (mode !== 'app') await page.setInputFiles('#bench-file', path);
      // Settle, then the baseline memory.
      await page.waitForTimeout(300);
      const base = await rss(await procs());
      const mem = sampler();
      let r;
      if (mode === 'app') {
        await page.evaluate(() => {
          const b = window.__bench = { tasks: [] };
          b.obs = new PerformanceObserver(list => { for (const e of list.getEntries()) b.tasks.push(e.duration); });
          b.obs.observe({ type: 'longtask' });
          document.getElementById('file-input').addEventListener('change', () => { b.t0 = performance.now(); }, { capture: true });
          b.done = new Promise(resolve => {
            const mo = new MutationObserver(() => {
              if (!document.querySelector('[data-field="total-percent"]')) return;
              mo.disconnect();
              requestAnimationFrame(() => { b.t1 = performance.now(); resolve(); });
            });
            mo.observe(document.body, { subtree: true, childList: true });
          });
        });
        await page.setInputFiles('#file-input', path);
        r = await page.evaluate(async () => {
          const b = window.__bench;
          await b.done;
          await new Promise(r => setTimeout(r, 100));
          b.obs.disconnect();
          const files = document.querySelector('dd[data-field="files"]')?.textContent;
          const display = document.querySelector('[data-field="total-percent"]')?.textContent;
          return { ms: b.t1 - b.t0, longest: b.tasks.length ? Math.max(...b.tasks) : null, files, display };
        });
      } else {
        r = await page.evaluate(async mode => {
          const file = document.getElementById('bench-file').files[0];
          const tasks = [];
          const obs = new PerformanceObserver(list => { for (const e of list.getEntries()) tasks.push(e.duration); });
          obs.observe({ type: 'longtask' });
          const t0 = performance.now();
          let out;
          if (mode === 'json') {
            const text = await file.text();
            const t1 = performance.now();
            JSON.parse(text);
            out = { ms: performance.now() - t1, readMs: t1 - t0 };
          } else {
            out = await new Promise(resolve => {
              window.wasmBindings.covgapTestLoad(file, file.name, e => {
                if (e.type === 'done' || e.type === 'failed') resolve({ ...e, ms: performance.now() - t0 });
              }, false);
            });
          }
          // Long tasks are delivered after they end: give the observer a frame.
          await new Promise(r => setTimeout(r, 100));
          obs.disconnect();
          return { ...out, longest: tasks.length ? Math.max(...tasks) : null };
        }, mode);
      }
      const peak = await mem.done();
      const { metrics } = await cdp.send('Performance.getMetrics');
      const heap = metrics.find(m => m.name === 'JSHeapUsedSize')?.value;
      row[mode] = { ...r, peak: peak - base, heap };
      if (r.type === 'failed') console.log(`  ${label} ${mode}: FAILED ${r.reason}`);
      if (mode === 'app') row.ui = await interactions(page, cdp);
      await page.close();
    }
    const a = row.app, w = row.hook, j = row.json, u = row.ui;
    console.log(`\n${label}: ${MB(size)} MB, ${a.files} files, total ${a.display}`);
    console.log(`  drop → totals ${fmt(a.ms)} ms = ${(a.ms / j.ms).toFixed(2)}× JSON.parse  ` +
      `longest main-thread task ${a.longest == null ? '< 50' : fmt(a.longest)} ms  ` +
      `renderer RSS peak +${MB(a.peak)} MB (${(a.peak / size).toFixed(2)}× the file), JS heap after ${MB(a.heap)} MB`);
    console.log(`  the worker alone (bridge hook) ${fmt(w.ms)} ms: read ${fmt(w.readMs)}, parse ${fmt(w.parseMs)}, ` +
      `encode ${fmt(w.encodeMs)} ms in the worker; decode ${fmt(w.decodeMs)} ms on the page of a ${MB(w.wireBytes)} MB buffer; ` +
      `longest main-thread task ${w.longest == null ? '< 50' : fmt(w.longest)} ms`);
    console.log(`  JSON.parse ${fmt(j.ms)} ms (file.text() ${fmt(j.readMs)} ms before it)  ` +
      `longest main-thread task ${j.longest == null ? '< 50' : fmt(j.longest)} ms  ` +
      `renderer RSS peak +${MB(j.peak)} MB (${(j.peak / size).toFixed(2)}× the file)`);
    console.log('  main-thread busy time per interaction (event, render, style, layout, paint):  ' +
      Object.entries(u).map(([k, v]) => `${k} ${fmt(v.busy)}`).join(', ') + ' ms');
    console.log('  event → next frame, wall (its synchronous part):  ' +
      Object.entries(u).filter(([k]) => !k.startsWith('nothing'))
        .map(([k, v]) => `${k} ${fmt(v.frame)} (${fmt(v.sync)})`).join(', ') + ' ms');
  }

  // --- the bundle ----------------------------------------------------------------------
  const dist = distFor('/');
  console.log('\nbundle (dist/):');
  for (const f of (await readdir(dist)).filter(f => /\.(wasm|js)$/.test(f)).sort()) {
    const b = await readFile(join(dist, f));
    console.log(`  ${f.padEnd(36)} ${String(b.length).padStart(9)} bytes ${String(gzipSync(b, { level: 9 }).length).padStart(8)} gzipped`);
  }
  console.log(`\nmachine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Chromium ${context.browser()?.version() ?? ''}`);
} finally {
  await context.close();
  await server.close();
  await rm(profile, { recursive: true, force: true });
}
