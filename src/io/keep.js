// Keep for offline review: the loaded reports and the plan, stored in this browser's
// IndexedDB (reports can be megabytes; localStorage is for small preferences only).
// One record holds the whole kept session, so keeping again replaces it atomically.
const DB = 'covgap';
const STORE = 'kept';
const KEY = 'session';

function open() {
  return new Promise((resolve, reject) => {
    if (!('indexedDB' in globalThis) || !globalThis.indexedDB) {
      reject(new Error('this browser offers no IndexedDB storage here (private mode or blocked by settings)'));
      return;
    }
    let req;
    try { req = indexedDB.open(DB, 1); } catch (e) { reject(e); return; }
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error || new Error('could not open IndexedDB'));
    req.onblocked = () => reject(new Error('storage is blocked by another covgap tab; close it and try again'));
  });
}

function explain(e) {
  if (e && e.name === 'QuotaExceededError') {
    return new Error('the browser\'s storage is full (or its quota for this site is): nothing was kept');
  }
  return e instanceof Error ? e : new Error(String(e && e.message || e));
}

function run(mode, work) {
  return open().then(db => new Promise((resolve, reject) => {
    let result;
    const tx = db.transaction(STORE, mode);
    const store = tx.objectStore(STORE);
    work(store, r => { result = r; });
    tx.oncomplete = () => { db.close(); resolve(result); };
    tx.onerror = () => { db.close(); reject(explain(tx.error)); };
    tx.onabort = () => { db.close(); reject(explain(tx.error)); };
  })).catch(e => { throw explain(e); });
}

function summary(items, savedAt) {
  const plan = items.find(i => i.kind === 'plan');
  return {
    // Reports and the plan; the source files kept with them are counted apart.
    files: items.filter(i => i.kind !== 'source').length,
    sources: items.filter(i => i.kind === 'source').length,
    bytes: items.reduce((n, i) => n + i.blob.size, 0),
    savedAt,
    plan: plan ? plan.name : undefined,
  };
}

/** Stores [{name, kind, blob}] (kind: report, plan or source); resolves to
 *  {files, sources, bytes, savedAt, plan}. */
export function keepSession(items) {
  const savedAt = new Date().toISOString();
  return run('readwrite', store => store.put({ savedAt, items }, KEY))
    .then(() => summary(items, savedAt));
}

/** Replaces the kept plan (or adds one) and keeps the reports as they are; one
 *  transaction, so a reader sees the old session or the new one. Resolves like keepSession. */
export function keepPlan(name, blob) {
  const savedAt = new Date().toISOString();
  let out;
  return run('readwrite', store => {
    const req = store.get(KEY);
    req.onsuccess = () => {
      const old = req.result || { items: [] };
      const items = old.items.filter(i => i.kind !== 'plan').concat([{ name, kind: 'plan', blob }]);
      store.put({ savedAt, items }, KEY);
      out = summary(items, savedAt);
    };
  }).then(() => out);
}

/** Resolves to {items, savedAt} or null when nothing is kept. */
export function loadSession() {
  return run('readonly', (store, set) => {
    const req = store.get(KEY);
    req.onsuccess = () => set(req.result || null);
  });
}

export function forgetSession() {
  return run('readwrite', store => store.delete(KEY));
}
