// Keep for offline review: reports and plan stored in IndexedDB on request, back after the
// page is closed and reopened, gone when forgotten; without storage, a clear message and
// nothing lost from the open session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { open, load, shot, fixture, dropFiles, headline, ROOT } from './lib.mjs';

const JINJA = 'jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json';
const ATTRS = 'attrs-26.1.0/coveragepy-7.17.3-branch/coverage.json';
const PLAN = join(ROOT, 'examples/plans/jinja2-demo.plan.json');

test('keep, close, reopen: the same reports and plan are back; forget removes them', async () => {
  const app = await open();
  try {
    const { page, context } = app;
    await load(page, app.url);
    assert.equal(await page.locator('#keep').count(), 0, 'nothing to keep on an empty page');
    await dropFiles(page, [
      { path: fixture(JINJA), name: 'jinja2.json' },
      { path: fixture(ATTRS), name: 'attrs.json' },
      { path: PLAN, name: 'plan.json' },
    ]);
    await page.waitForSelector('[data-field="plan"]');
    const before = [await headline(page, 'jinja2.json'), await headline(page, 'attrs.json')];
    await page.click('#keep');
    await page.waitForSelector('[data-field="kept"]');
    assert.match(await page.textContent('[data-field="kept"]'), /Kept in this browser: 3 files, /);
    await shot(page, 'keep-kept');
    await page.close();

    // A new visit in the same browser profile.
    const again = await context.newPage();
    await load(again, app.url);
    await again.waitForSelector('[data-field="plan"]');
    const after = [await headline(again, 'jinja2.json'), await headline(again, 'attrs.json')];
    assert.deepEqual(after, before);
    assert.match(await again.textContent('[data-field="plan"]'), /jinja2 3\.1\.6: from 92% to 95%/);
    assert.match(await again.textContent('.keep-message'), /Restored 3 kept files/);
    await shot(again, 'keep-restored');

    await again.click('#forget');
    await again.waitForSelector('.keep-message:has-text("Forgot the kept files")');
    // Forgetting storage does not unload what is open.
    assert.equal(await again.locator('li.load.done').count(), 3);
    await again.reload();
    await again.waitForSelector('header.topbar');
    await again.waitForTimeout(500);
    assert.equal(await again.locator('li.load').count(), 0, 'nothing comes back after forgetting');
  } finally {
    await app.close();
  }
});

test('without storage: a clear message, and the open session stays', async () => {
  const app = await open();
  try {
    const { page } = app;
    await page.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined }));
    await load(page, app.url);
    await dropFiles(page, [{ path: fixture(JINJA), name: 'jinja2.json' }]);
    await headline(page, 'jinja2.json');
    await page.click('#keep');
    const msg = page.locator('.keep-message.error');
    await msg.waitFor();
    assert.match(await msg.textContent(), /Could not use this browser's storage: this browser offers no IndexedDB storage/);
    assert.equal((await headline(page, 'jinja2.json')).total, '92%');
    await shot(page, 'keep-unavailable');
  } finally {
    await app.close();
  }
});

test('once kept, the kept plan follows the edits: a reload brings the edited plan back', async () => {
  const app = await open();
  try {
    const { page, context } = app;
    await load(page, app.url);
    await dropFiles(page, [{ path: fixture(JINJA), name: 'jinja2.json' }, { path: PLAN, name: 'plan.json' }]);
    await page.waitForSelector('[data-field="plan"]');
    await page.click('#keep');
    await page.waitForSelector('[data-field="kept"]');
    await page.click('#tab-plan');
    await page.click('#plan-tab-editor');
    await page.fill('#ed-m0-owner', 'kim');
    await page.press('#ed-m0-owner', 'Enter');
    await page.waitForSelector('.keep-message:has-text("The kept plan follows your edits")');
    // Kept: nothing would be lost, so leaving does not ask.
    const dialogs = [];
    page.on('dialog', d => { dialogs.push(d.type()); d.accept(); });
    await page.close({ runBeforeUnload: true });
    await new Promise(r => setTimeout(r, 300));
    assert.deepEqual(dialogs, []);
    const again = await context.newPage();
    await load(again, app.url);
    await again.waitForSelector('[data-field="plan"]');
    await again.click('#tab-plan');
    await again.click('#plan-tab-editor');
    assert.equal(await again.inputValue('#ed-m0-owner'), 'kim');
    assert.equal(await again.locator('li.load').count(), 2, 'the reports stay kept beside the plan');
  } finally {
    await app.close();
  }
});
