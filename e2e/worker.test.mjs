// The parsing worker (docs/worker.md), driven through the page's bridge
// (src/io/worker.rs) by its test hook, which answers only on a page opened with
// ?test-worker: a load through the worker with its progress, the same totals as
// coverage.py's, cancel, an error from the worker, a plan, the worker's own protocol
// (transfer, not copy), the main-thread path (which only explains: the page has no readers), a GitHub Pages sub-path, and offline use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { open, load, fixture, toolTotals, ROOT } from './lib.mjs';
import { makeScaled } from '../scripts/make-scaled.mjs';

const JINJA = 'jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json';
const TRUNCATED = '_malformed/truncated-mid-token.coverage.json';

/** Opens the app with the test hook on; returns the app. */
async function openHooked(opts = {}) {
  const app = await open(opts);
  await load(app.page, app.url + '?test-worker');
  return app;
}

/** Puts a file from disk into the page as a File (window.__files[key]) without base64. */
async function give(page, path, key = 'f') {
  await page.evaluate(() => {
    if (document.getElementById('test-file')) return;
    const i = document.createElement('input');
    i.type = 'file'; i.id = 'test-file'; i.hidden = true;
    document.body.append(i);
  });
  await page.setInputFiles('#test-file', path);
  await page.evaluate(k => { (window.__files ||= {})[k] = document.getElementById('test-file').files[0]; }, key);
}

/** Loads window.__files[key] through the bridge; resolves to every event, in order.
 *  `cancelOn(event)` → true cancels the load at that event. */
function loadIn(page, { key = 'f', mainThread = false, cancelAtFirstProgress = false } = {}) {
  return page.evaluate(({ key, mainThread, cancelAtFirstProgress }) => new Promise((resolve, reject) => {
    const events = [];
    const file = window.__files[key];
    let cancel = null;
    let cancelled = false;
    const on = e => {
      events.push({ ...e, at: performance.now() });
      if (cancelAtFirstProgress && e.type === 'progress' && !cancelled) {
        cancelled = true;
        // From a task of its own, as a button click would.
        setTimeout(() => cancel(), 0);
      }
      if (['done', 'failed', 'cancelled'].includes(e.type)) {
        // Wait a little: nothing may follow the end of a load.
        setTimeout(() => resolve(events), 1500);
      }
    };
    try {
      cancel = window.wasmBindings.covgapTestLoad(file, file.name, on, mainThread);
    } catch (e) { reject(String(e)); }
  }), { key, mainThread, cancelAtFirstProgress });
}

const last = events => events[events.length - 1];

test('a report loads through the worker, with progress, and gives coverage.py\'s totals', async () => {
  const app = await openHooked();
  try {
    await give(app.page, fixture(JINJA));
    const events = await loadIn(app.page);
    const end = last(events);
    assert.equal(end.type, 'done', JSON.stringify(end));
    assert.equal(events.filter(e => ['done', 'failed', 'cancelled'].includes(e.type)).length, 1);
    assert.equal(end.inWorker, true);
    assert.equal(end.kind, 'report');
    assert.equal(end.format, 'coverage.py-json');
    const t = await toolTotals(JINJA);
    assert.equal(end.statements, t.num_statements);
    assert.equal(end.covered, t.covered_lines);
    assert.equal(end.branches, t.num_branches);
    assert.equal(end.coveredBranches, t.covered_branches);
    assert.equal(end.percent, t.percent_covered);
    assert.equal(end.display, t.percent_covered_display);
    // Progress: the bytes read, up to the file's size, then parse and encode, in order.
    const phases = events.filter(e => e.type === 'progress').map(e => e.phase);
    assert.ok(phases.includes('read') && phases.includes('parse') && phases.includes('encode'), phases.join());
    assert.ok(phases.indexOf('read') < phases.indexOf('parse') && phases.indexOf('parse') < phases.indexOf('encode'));
    const reads = events.filter(e => e.phase === 'read');
    assert.equal(reads.at(-1).read, end.bytes);
    assert.equal(reads.at(-1).total, end.bytes);
    assert.ok(end.wireBytes > 0 && end.wireBytes < end.bytes / 4, `wire ${end.wireBytes} of ${end.bytes}`);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('the page has no readers: without a worker it says the file cannot be read here', async () => {
  // The page's bundle is built without covgap-core's readers (index.html): every load goes
  // through the worker, and the bridge's main-thread path only explains.
  const app = await openHooked();
  try {
    await give(app.page, fixture(JINJA));
    const [w, m] = [last(await loadIn(app.page)), last(await loadIn(app.page, { mainThread: true }))];
    assert.equal(w.type, 'done');
    assert.equal(w.inWorker, true);
    assert.equal(m.type, 'failed');
    assert.match(m.reason, /would not start covgap's parsing worker, so the file cannot be read here/);
  } finally {
    await app.close();
  }
});

test('a broken file: the worker\'s error names the file and the format', async () => {
  const app = await openHooked();
  try {
    await give(app.page, fixture(TRUNCATED));
    const events = await loadIn(app.page);
    const end = last(events);
    assert.equal(end.type, 'failed');
    assert.match(end.reason, /^read as coverage\.py JSON: the file ends too early/);
    // The worker's own message carries the file name as well (the bridge passes the reason
    // on, since the page shows the name beside it).
    const raw = await app.page.evaluate(() => new Promise(resolve => {
      const w = new Worker('./worker_loader.js');
      w.onmessage = e => {
        if (e.data.type === 'ready') w.postMessage({ type: 'load', id: 7, file: window.__files.f, name: window.__files.f.name });
        if (e.data.type === 'error') { w.terminate(); resolve(e.data); }
      };
    }));
    assert.equal(raw.id, 7);
    assert.match(raw.message, /^truncated-mid-token\.coverage\.json: read as coverage\.py JSON: the file ends too early/);
    // A good file loads after a bad one.
    await give(app.page, fixture(JINJA));
    assert.equal(last(await loadIn(app.page)).type, 'done');
  } finally {
    await app.close();
  }
});

test('the worker hands the report over in a transferred buffer', async () => {
  const app = await openHooked();
  try {
    await give(app.page, fixture(JINJA));
    const done = await app.page.evaluate(() => new Promise(resolve => {
      const w = new Worker('./worker_loader.js');
      const progress = [];
      w.onmessage = e => {
        const m = e.data;
        if (m.type === 'ready') w.postMessage({ type: 'load', id: 1, file: window.__files.f, name: 'coverage.json' });
        if (m.type === 'progress') progress.push(m.phase);
        if (m.type === 'done') {
          w.terminate();
          const head = String.fromCharCode(...new Uint8Array(m.buffer, 0, 4));
          resolve({ isBuffer: m.buffer instanceof ArrayBuffer, size: m.buffer.byteLength, head, progress, bytes: m.bytes, wire: e.data.buffer.byteLength });
        }
      };
    }));
    assert.equal(done.isBuffer, true);
    assert.equal(done.head, 'CGWR');
    assert.ok(done.size > 1000);
    assert.ok(done.progress.includes('read'));
  } finally {
    await app.close();
  }
});

test('a plan file goes through the worker and comes back as a plan', async () => {
  const app = await openHooked();
  try {
    await give(app.page, join(ROOT, 'examples/plans/jinja2-demo.plan.json'));
    const end = last(await loadIn(app.page));
    assert.equal(end.type, 'done');
    assert.equal(end.kind, 'plan');
    assert.ok(end.modules > 0);
  } finally {
    await app.close();
  }
});

test('cancel stops a load at once, and the next load works', async () => {
  const big = await makeScaled({ mb: 30, out: join(tmpdir(), 'covgap-scaled', 'coverage.SCALED-30MB.json') });
  const app = await openHooked();
  try {
    await give(app.page, big, 'big');
    const events = await loadIn(app.page, { key: 'big', cancelAtFirstProgress: true });
    const ends = events.filter(e => ['done', 'failed', 'cancelled'].includes(e.type));
    assert.deepEqual(ends.map(e => e.type), ['cancelled']);
    assert.equal(last(events).type, 'cancelled', 'nothing after cancelled');
    // Cancel answers within a frame or two, even mid-parse (the worker is terminated).
    const first = events.find(e => e.type === 'progress');
    assert.ok(last(events).at - first.at < 200, `cancelled after ${last(events).at - first.at} ms`);
    await give(app.page, fixture(JINJA));
    assert.equal(last(await loadIn(app.page)).type, 'done');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('several files load at once', async () => {
  const app = await openHooked();
  try {
    await give(app.page, fixture(JINJA), 'a');
    await give(app.page, fixture('attrs-26.1.0/coveragepy-7.17.3-branch/coverage.json'), 'b');
    await give(app.page, fixture(TRUNCATED), 'c');
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map(key => loadIn(app.page, { key })));
    assert.equal(last(a).type, 'done');
    assert.equal(last(b).type, 'done');
    assert.equal(last(c).type, 'failed');
    assert.equal(last(b).statements, (await toolTotals('attrs-26.1.0/coveragepy-7.17.3-branch/coverage.json')).num_statements);
  } finally {
    await app.close();
  }
});

test('without ?test-worker the hook does nothing', async () => {
  const app = await open();
  try {
    await load(app.page, app.url);
    const r = await app.page.evaluate(() => {
      try { window.wasmBindings.covgapTestLoad(new Blob(['{}']), 'x', () => {}, false); return 'ran'; } catch (e) { return String(e); }
    });
    assert.match(r, /needs \?test-worker/);
  } finally {
    await app.close();
  }
});

for (const base of ['/', '/covgap/']) {
  const label = base === '/' ? 'root' : 'subpath';
  test(`${label}: after one visit, the worker loads files offline from the service worker's cache`, async () => {
    const app = await open({ base });
    try {
      const { page, context, server } = app;
      await load(page, app.url + '?test-worker');
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        if (!navigator.serviceWorker.controller) {
          await new Promise(r => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
        }
      });
      const cached = await page.evaluate(async () => {
        const out = [];
        for (const name of await caches.keys()) {
          for (const req of await (await caches.open(name)).keys()) out.push(new URL(req.url).pathname);
        }
        return out;
      });
      for (const f of ['worker_loader.js', 'worker.js', 'worker_bg.wasm']) {
        assert.ok(cached.includes(`${base}${f}`), `${f} is cached: ${cached.join(' ')}`);
      }
      await context.setOffline(true);
      await Promise.race([server.close(), new Promise(r => setTimeout(r, 2000))]);
      const seen = server.requests.length;
      await page.reload();
      await page.waitForSelector('header.topbar', { timeout: 30_000 });
      await give(page, fixture(JINJA));
      const end = last(await loadIn(page));
      assert.equal(end.type, 'done', JSON.stringify(end));
      assert.equal(end.inWorker, true);
      assert.equal(server.requests.length, seen, 'nothing reached the (stopped) server');
      assert.deepEqual(app.errors, []);
    } finally {
      await app.close();
    }
  });
}
