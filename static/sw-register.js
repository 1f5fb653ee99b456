// Registers the service worker (offline use) and, when a new version of covgap has been
// installed and is waiting, offers to reload into it. Loaded as a file, not inline, so
// the Content-Security-Policy needs no hash for it.
const sw = navigator.serviceWorker;

if (sw) {
  let reloading = false;
  // Reload only when the user asked: the first visit also changes controller (the worker
  // claims the page) and must not reload.
  sw.addEventListener('controllerchange', () => {
    if (reloading) window.location.reload();
  });

  const offer = registration => {
    if (document.getElementById('update-banner')) return;
    const bar = document.createElement('div');
    bar.id = 'update-banner';
    bar.className = 'update-banner';
    bar.setAttribute('role', 'status');
    const text = document.createElement('span');
    text.textContent = 'A new version of covgap is ready.';
    const reload = document.createElement('button');
    reload.type = 'button';
    reload.id = 'update-reload';
    reload.className = 'primary';
    reload.textContent = 'Reload';
    reload.addEventListener('click', () => {
      reloading = true;
      reload.disabled = true;
      const waiting = registration.waiting;
      // Another tab may have activated it already: then there is nothing to wait for.
      if (waiting) waiting.postMessage('SKIP_WAITING');
      else window.location.reload();
    });
    const later = document.createElement('button');
    later.type = 'button';
    later.id = 'update-later';
    later.textContent = 'Later';
    later.addEventListener('click', () => bar.remove());
    bar.append(text, reload, later);
    document.body.append(bar);
  };

  const watch = registration => {
    // Only an update has a controller already; a first install is not "new".
    if (registration.waiting && sw.controller) offer(registration);
    registration.addEventListener('updatefound', () => {
      const worker = registration.installing;
      if (!worker) return;
      worker.addEventListener('statechange', () => {
        if (worker.state === 'installed' && sw.controller) offer(registration);
      });
    });
    // A tab left open for days still hears about a deploy when it comes back into view.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') registration.update().catch(() => {});
    });
  };

  const start = () => {
    // Relative, with the default scope: the worker covers the folder the app is served
    // from, at / as well as under a GitHub Pages project path like /covgap/.
    sw.register('./sw.js').then(watch, error => {
      console.warn('covgap: offline use is unavailable:', error);
    });
  };
  // After load, so installing the worker (which downloads the app once more into its
  // cache) does not compete with the first start.
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
}
