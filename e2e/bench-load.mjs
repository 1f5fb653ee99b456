// Drop-to-summary time in headless Chromium: from handing the file to the page's file
// input to the summary being on screen, for the 1.3 MB jinja2 report and the 50 MB scaled
// report. Baseline measured in the same run: the native CLI (`covgap summary --json`,
// release build) on the same file. Prints figures; asserts nothing about speed.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { open, load, fixture, ROOT } from './lib.mjs';
import { scaledReport } from './scaled.mjs';

const RUNS = Number(process.env.RUNS || 3);
const inputs = [['jinja2 (1.3 MB)', fixture('jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json')]];
const scaled = await scaledReport();
if (scaled) inputs.push(['scaled (50 MB)', scaled]);
else console.log('note: scaled fixture not found; only the 1.3 MB report is measured');

const cliBin = process.env.COVGAP_RELEASE_BIN || join(ROOT, 'target/release/covgap');
const median = xs => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const [label, path] of inputs) {
  const mb = statSync(path).size / 1e6;
  const browser = [];
  for (let i = 0; i < RUNS; i++) {
    const app = await open();
    try {
      await load(app.page, app.url);
      const t0 = performance.now();
      await app.page.setInputFiles('#file-input', path);
      await app.page.waitForSelector('[data-field="total-percent"]', { timeout: 120_000 });
      browser.push(performance.now() - t0);
    } finally {
      await app.close();
    }
  }
  const native = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    execFileSync(cliBin, ['summary', '--json', path]);
    native.push(performance.now() - t0);
  }
  const b = median(browser), nt = median(native);
  console.log(`${label}: drop-to-summary ${b.toFixed(0)} ms (${(mb / (b / 1000)).toFixed(1)} MB/s) in Chromium; ` +
    `native CLI ${nt.toFixed(0)} ms (${(mb / (nt / 1000)).toFixed(1)} MB/s); browser/native ${(b / nt).toFixed(2)}x  [median of ${RUNS}]`);
}
