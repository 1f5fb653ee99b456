// A small static file server for the built app: serves DIR under BASE on 127.0.0.1 only,
// with the right MIME type for .wasm, so GitHub Pages' sub-path layout can be tested.
// Used by scripts/serve and by the browser tests (import { serve }).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.css': 'text/css; charset=utf-8', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.webmanifest': 'application/manifest+json',
  '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
};

/** Serves `dir` under `base` (e.g. "/covgap/"); resolves to { url, close, requests }. */
export function serve({ dir, base = '/', port = 0 }) {
  const root = resolve(dir);
  const prefix = base.endsWith('/') ? base : base + '/';
  const requests = [];
  const server = createServer(async (req, res) => {
    requests.push(req.url);
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      let path = decodeURIComponent(url.pathname);
      if (path + '/' === prefix) { res.writeHead(301, { Location: prefix }); return res.end(); }
      if (!path.startsWith(prefix)) { res.writeHead(404); return res.end('not under ' + prefix); }
      path = path.slice(prefix.length) || 'index.html';
      const file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) { res.writeHead(403); return res.end(); }
      const info = await stat(file).catch(() => null);
      const target = info?.isDirectory() ? join(file, 'index.html') : file;
      const body = await readFile(target);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(target)] || 'application/octet-stream',
        'Cache-Control': 'no-cache',
      });
      res.end(body);
    } catch {
      res.writeHead(404); res.end('not found');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = server.address();
      ok({ url: `http://127.0.0.1:${p}${prefix}`, close: () => new Promise(r => server.close(r)), requests });
    });
  });
}

// Command line: node e2e/serve.mjs --dir dist --base / --port 8080 [--demo]
if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const get = (k, d) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : d; };
  const { url } = await serve({ dir: get('--dir', 'dist'), base: get('--base', '/'), port: Number(get('--port', 8080)) });
  console.log(`covgap is running at ${url}${args.includes('--demo') ? '#/files?demo=1' : ''}`);
  console.log('(the plain app, without the demo: ' + url + ')  Ctrl-C to stop.');
}
