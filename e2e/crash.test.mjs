// A panic in the app (wasm stops) shows "Something went wrong — reload" instead of a dead
// page, and the reload button brings the app back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, load, shot } from './lib.mjs';

test('a panic shows a message and a working reload button', async () => {
  const app = await open();
  try {
    const { page } = app;
    await load(page, app.url);
    await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.covgapCrashForTest);
    await page.evaluate(() => { try { window.wasmBindings.covgapCrashForTest(); } catch { /* the panic surfaces as a JS error */ } });
    const alert = page.locator('.crash[role="alert"]');
    await alert.waitFor();
    assert.match(await alert.textContent(), /Something went wrong — reload the page/);
    await shot(page, 'crash');
    await page.click('#crash-reload');
    await page.waitForSelector('header.topbar');
    assert.equal(await page.locator('.crash').count(), 0);
  } finally {
    await app.close();
  }
});
