// covgap's service worker: after one visit the app loads and works with the network off.
//
// This file is a template: scripts/post-build.mjs (a Trunk post_build hook) writes the
// built sw.js from it, replacing VERSION and FILES with the exact files of the build.
// Only those files are ever cached; every other request is left to the browser.
const VERSION = 'unbuilt';
const FILES = [];

// Caches belong to the origin, and one GitHub Pages origin (owner.github.io) serves every
// project of its owner: name caches by scope so this worker never touches another site's.
const PREFIX = `covgap:${self.registration.scope}:`;
const CACHE = PREFIX + VERSION;
const BASE = new URL('./', self.location.href);
const OWN = new Set(FILES.map(f => new URL(f, BASE).href));
const INDEX = new URL('index.html', BASE).href;
// A navigation that hangs (a captive portal, a dead link) falls back to the cached app.
const NAVIGATION_TIMEOUT_MS = 4000;

self.addEventListener('install', event => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // 'reload' skips the HTTP cache: Pages serves everything with max-age=600, and a
    // stale index.html would name the hashed files of the previous deploy.
    await cache.addAll(FILES.map(f => new Request(new URL(f, BASE), { cache: 'reload' })));
  })());
  // No skipWaiting here: the page asks for it when the user accepts the update, so a
  // page never runs with files from two different builds.
});

self.addEventListener('activate', event => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    // The first visit is controlled at once, so it is already offline-ready.
    await self.clients.claim();
  })());
});

self.addEventListener('message', event => {
  if (event.data === 'SKIP_WAITING') self.skipWaiting();
});

self.addEventListener('fetch', event => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigate(request, url));
    return;
  }
  const key = withoutQuery(url);
  if (OWN.has(key)) event.respondWith(cacheFirst(request, key));
});

function withoutQuery(url) {
  const u = new URL(url.href);
  u.search = '';
  u.hash = '';
  return u.href;
}

// Network first, so an online visit always sees the deployed index.html; but its answer
// is not stored: this cache must keep the index.html that matches its own hashed files.
async function navigate(request, url) {
  try {
    return await Promise.race([
      fetch(request),
      new Promise((_, fail) => setTimeout(() => fail(new Error('timeout')), NAVIGATION_TIMEOUT_MS)),
    ]);
  } catch {
    const cache = await caches.open(CACHE);
    const key = withoutQuery(url);
    const file = OWN.has(key) && key !== BASE.href ? await cache.match(key) : undefined;
    return file || (await cache.match(INDEX)) || Response.error();
  }
}

// The files are content-hashed (or belong to this VERSION), so a cached copy is never stale.
async function cacheFirst(request, key) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(key, response.clone());
  return response;
}
