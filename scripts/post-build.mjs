#!/usr/bin/env node
// Trunk post_build hook (see Trunk.toml). Trunk runs it on the staging folder, after it
// has written every hashed file and the final index.html, before moving it all to dist/.
//
//   1. Writes sw.js from static/sw.js with the exact list of files in this build and a
//      version hashed from their names and contents, so a new deploy means a new worker
//      and a new cache.
//   2. Injects the Content-Security-Policy <meta> into index.html, with the sha256 of
//      every inline script (Trunk's module boot script is the only one), computed from the
//      built file because the boot script names the hashed .js and .wasm.
//
// Idempotent: run again on the same folder it gives the same result, so it can also be
// run by hand:   node scripts/post-build.mjs DIR
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TEMPLATE = fileURLToPath(new URL('../static/sw.js', import.meta.url));
const SW = 'sw.js';

export function csp(scriptHashes) {
  return [
    "default-src 'self'",
    // 'wasm-unsafe-eval' allows WebAssembly.instantiate and nothing else: no eval().
    `script-src 'self' 'wasm-unsafe-eval' ${scriptHashes.map(h => `'sha256-${h}'`).join(' ')}`.trim(),
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
  ].join('; ');
}

const sha256 = (data, enc) => createHash('sha256').update(data).digest(enc);

/** Every file under `dir`, as URL paths relative to it, sorted. */
async function listFiles(dir) {
  const out = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const rel = relative(dir, join(e.parentPath ?? e.path, e.name)).split(sep);
    // Dot files are never served by GitHub Pages' artifact upload; the worker is not
    // cached by itself (the browser fetches it to look for updates).
    if (rel.some(p => p.startsWith('.')) || rel.join('/') === SW) continue;
    out.push(rel.map(encodeURIComponent).join('/'));
  }
  return out.sort();
}

/** Fails on markup a strict CSP would block at run time: better at build time. */
function checkNoInlineCode(html) {
  for (const [tag] of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    if (/\s(on[a-z]+|style)\s*=/i.test(tag)) throw new Error(`index.html: inline handler or style in ${tag}`);
    if (/=\s*["']?\s*javascript:/i.test(tag)) throw new Error(`index.html: javascript: URL in ${tag}`);
  }
}

export async function postBuild(dir) {
  // --- index.html: the CSP --------------------------------------------------------------
  const indexPath = join(dir, 'index.html');
  let html = await readFile(indexPath, 'utf8');
  html = html.replace(/[ \t]*<meta http-equiv="Content-Security-Policy"[^>]*>\n?/gi, '');
  checkNoInlineCode(html);
  const hashes = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\ssrc\s*=/i.test(m[1])) continue;
    hashes.push(sha256(m[2], 'base64'));
  }
  const meta = `<meta http-equiv="Content-Security-Policy" content="${csp(hashes)}">`;
  // A CSP <meta> only governs what comes after it: put it right after the charset.
  const at = html.match(/<meta charset[^>]*>\n?/i) ?? html.match(/<head[^>]*>\n?/i);
  if (!at) throw new Error('index.html has no <head>');
  const cut = at.index + at[0].length;
  html = `${html.slice(0, cut)}  ${meta}\n${html.slice(cut)}`;
  await writeFile(indexPath, html);

  // --- sw.js: the cache list and version ------------------------------------------------
  const files = await listFiles(dir);
  const version = createHash('sha256');
  for (const f of files) version.update(`${f}\0${sha256(await readFile(join(dir, decodeURIComponentPath(f))), 'hex')}\n`);
  const v = version.digest('hex').slice(0, 16);
  let sw = await readFile(TEMPLATE, 'utf8');
  sw = replaceOnce(sw, /const VERSION = [^;\n]*;/, `const VERSION = ${JSON.stringify(v)};`);
  sw = replaceOnce(sw, /const FILES = [^;\n]*;/, `const FILES = ${JSON.stringify(files)};`);
  await writeFile(join(dir, SW), sw);
  return { version: v, files, hashes };
}

function decodeURIComponentPath(p) {
  return p.split('/').map(decodeURIComponent).join(sep);
}

function replaceOnce(text, re, by) {
  if (!re.test(text)) throw new Error(`static/sw.js: no match for ${re}`);
  return text.replace(re, () => by);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR;
  if (!dir) {
    console.error('usage: node scripts/post-build.mjs DIR   (Trunk passes TRUNK_STAGING_DIR)');
    process.exit(2);
  }
  const { version, files, hashes } = await postBuild(dir);
  console.log(`post-build: sw.js caches ${files.length} files (version ${version}); CSP allows ${hashes.length} inline script(s) by hash`);
}
