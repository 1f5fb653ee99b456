#!/usr/bin/env node
// Renders static/icon.svg to the PNG icons the web app manifest lists, in headless
// Chromium (the one the browser tests use), so the PNGs always match the SVG. Run it after
// changing the SVG and commit the PNGs:   node scripts/make-icons.mjs
import { createRequire } from 'node:module';
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = new URL('..', import.meta.url);
// playwright-core is installed in e2e/ (scripts/bootstrap).
const { chromium } = createRequire(new URL('e2e/package.json', root))('playwright-core');
const svg = await readFile(new URL('static/icon.svg', root), 'utf8');
const out = new URL('static/icons/', root);
await mkdir(out, { recursive: true });

// The icon's own background colour, for the maskable variant's full bleed.
const background = svg.match(/<rect width="64" height="64"[^>]*fill="(#[0-9a-f]{6})"/i)?.[1] ?? '#2457c5';
const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  const render = async (size, { maskable = false } = {}) => {
    // A maskable icon may be cut to a circle of 80% of its size: keep the drawing inside
    // it (70%) on a full-bleed background.
    const scale = maskable ? 0.7 : 1;
    const pad = Math.round((size * (1 - scale)) / 2);
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<!doctype html><html><body style="margin:0;background:${maskable ? background : 'transparent'}">
      <img src="${src}" width="${size - 2 * pad}" height="${size - 2 * pad}" style="display:block;margin:${pad}px"></body></html>`);
    await page.locator('img').evaluate(img => img.decode());
    const name = maskable ? `maskable-${size}.png` : `icon-${size}.png`;
    await page.screenshot({ path: fileURLToPath(new URL(name, out)), omitBackground: !maskable });
    console.log(`static/icons/${name}`);
  };
  await render(192);
  await render(512);
  await render(512, { maskable: true });
} finally {
  await browser.close();
}
