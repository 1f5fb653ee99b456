#!/usr/bin/env node
// Makes a large synthetic coverage.py report for benchmarks, the way
// ../shared/fixtures/MANIFEST.md says the 50 MB one (`_scaled/`) was made: copies of real
// coverage.py 7.17.3 branch reports from tests/fixtures under `scaled-copy-NNNN/<project>/`
// paths, about 15% of their function regions turned unexecuted (their executed lines and
// arcs become missing, in the file and in every region holding them), and every summary —
// each region's, each file's and the totals — recomputed with coverage.py's formulas:
//
//   percent_covered = 100 * (covered_lines + covered_branches) / (num_statements + num_branches)
//   (100.0 when the denominator is 0), *_display with coverage.py's display_covered at
//   precision 0, num_partial_branches = missing arcs leaving lines that are not missing.
//
// Files are added until the report reaches the size asked for, as the 50 MB one stops in
// the middle of its 15th copy. The output is written to the OS temp folder (never to the
// repository) and reused when it is there already. Deterministic: the same size gives the
// same bytes.
//
//   node scripts/make-scaled.mjs [--mb 200] [--out FILE]     prints the path it wrote
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The real reports (coverage.py 7.17.3, JSON format 3, branch coverage, regions). The 50 MB
// report also copied click 8.5.1, which is not among the fixtures.
export const SOURCES = [
  ['attrs-26.1.0', 'tests/fixtures/attrs-26.1.0/coveragepy-7.17.3-branch/coverage.json'],
  ['jinja2-3.1.6', 'tests/fixtures/jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json'],
  ['packaging-24.1', 'tests/fixtures/packaging-24.1/coveragepy-7.17.3-branch/coverage.json'],
  ['packaging-25.0', 'tests/fixtures/packaging-25.0/coveragepy-7.17.3-branch/coverage.json'],
];
const UNEXECUTED = 0.15;

/** A small seeded PRNG (mulberry32): the same report every time. */
function rng(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Python's round(x) (to an integer): half to even, on the float's exact value. */
function pyRound0(x) {
  const f = Math.floor(x);
  const d = x - f; // exact for these magnitudes
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** coverage.py's display_covered(pc, precision=0). */
export function displayCovered(pc) {
  const near0 = 1.0;
  if (pc > 0 && pc < near0) pc = near0;
  else if (pc > 100.0 - near0 && pc < 100) pc = 100.0 - near0;
  else pc = pyRound0(pc);
  return pc.toFixed(0);
}

const pct = (n, d) => (d === 0 ? 100.0 : (100.0 * n) / d);

/** A summary object with coverage.py's keys, in its order. */
export function summary({ executed, missing, excluded, executedArcs, missingArcs }) {
  const miss = new Set(missing);
  const partial = missingArcs.filter(([from]) => !miss.has(from)).length;
  return numbers(executed.length, executed.length + missing.length, excluded.length,
    executedArcs.length + missingArcs.length, executedArcs.length, partial);
}

function numbers(covered, statements, excluded, branches, coveredBranches, partial) {
  const pc = pct(covered + coveredBranches, statements + branches);
  const ps = pct(covered, statements);
  const pb = pct(coveredBranches, branches);
  return {
    covered_lines: covered, num_statements: statements,
    percent_covered: pc, percent_covered_display: displayCovered(pc),
    missing_lines: statements - covered, excluded_lines: excluded,
    percent_statements_covered: ps, percent_statements_covered_display: displayCovered(ps),
    num_branches: branches, num_partial_branches: partial,
    covered_branches: coveredBranches, missing_branches: branches - coveredBranches,
    percent_branches_covered: pb, percent_branches_covered_display: displayCovered(pb),
  };
}

/** json.dumps as coverage.py calls it: ", " and ": " separators, ASCII only, floats as
 * Python writes them (100.0, not 100). */
export function pyJson(v, key) {
  if (Array.isArray(v)) return `[${v.map(x => pyJson(x)).join(', ')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.entries(v).map(([k, x]) => `${pyStr(k)}: ${pyJson(x, k)}`).join(', ')}}`;
  }
  if (typeof v === 'string') return pyStr(v);
  if (typeof v === 'number' && key && key.startsWith('percent_') && Number.isInteger(v)) return v.toFixed(1);
  return JSON.stringify(v);
}

const pyStr = s => JSON.stringify(s).replace(/[\u0080-\uffff]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const arcKey = ([a, b]) => `${a},${b}`;
const byArc = (x, y) => x[0] - y[0] || x[1] - y[1];

/** One file of a source report with some function regions turned unexecuted. */
function scaledFile(file, random) {
  const lines = new Set();
  const arcs = new Set();
  for (const [name, fn] of Object.entries(file.functions || {})) {
    if (name === '' || random() >= UNEXECUTED) continue;
    fn.executed_lines.forEach(l => lines.add(l));
    fn.executed_branches.forEach(a => arcs.add(arcKey(a)));
  }
  const flip = r => {
    const exec = r.executed_lines.filter(l => !lines.has(l));
    const nowMissing = r.executed_lines.filter(l => lines.has(l));
    const execArcs = r.executed_branches.filter(a => !arcs.has(arcKey(a)));
    const nowMissingArcs = r.executed_branches.filter(a => arcs.has(arcKey(a)));
    return {
      executed: exec,
      missing: [...r.missing_lines, ...nowMissing].sort((a, b) => a - b),
      excluded: r.excluded_lines,
      executedArcs: execArcs,
      missingArcs: [...r.missing_branches, ...nowMissingArcs].sort(byArc),
    };
  };
  const region = r => {
    const f = flip(r);
    const out = { executed_lines: f.executed, summary: summary(f), missing_lines: f.missing, excluded_lines: f.excluded };
    if ('start_line' in r) out.start_line = r.start_line;
    out.executed_branches = f.executedArcs;
    out.missing_branches = f.missingArcs;
    return out;
  };
  const f = flip(file);
  const out = { executed_lines: f.executed, summary: summary(f), missing_lines: f.missing, excluded_lines: f.excluded,
    executed_branches: f.executedArcs, missing_branches: f.missingArcs };
  if (file.functions) out.functions = Object.fromEntries(Object.entries(file.functions).map(([k, r]) => [k, region(r)]));
  if (file.classes) out.classes = Object.fromEntries(Object.entries(file.classes).map(([k, r]) => [k, region(r)]));
  return out;
}

/** Writes a report of at least `mb` MB (10^6 bytes) to `out`; returns its totals. */
export async function makeScaled({ mb = 200, out } = {}) {
  out ??= join(tmpdir(), 'covgap-scaled', `coverage.SCALED-${mb}MB.json`);
  if (existsSync(out)) return out;
  await mkdir(dirname(out), { recursive: true });
  const target = mb * 1e6;
  const sources = SOURCES.map(([project, rel]) => [project, JSON.parse(readFileSync(join(ROOT, rel), 'utf8'))]);
  const meta = sources[1][1].meta;
  const random = rng(20261121);
  const part = out + '.part';
  const w = createWriteStream(part);
  const write = s => (w.write(s) ? null : new Promise(r => w.once('drain', r)));
  let size = 0;
  const put = async s => { size += Buffer.byteLength(s); await write(s); };
  await put(`{"meta": ${pyJson(meta)}, "files": {`);
  const t = { covered: 0, statements: 0, excluded: 0, branches: 0, coveredBranches: 0, partial: 0 };
  let first = true;
  done: for (let copy = 0; ; copy++) {
    for (const [project, report] of sources) {
      for (const [path, file] of Object.entries(report.files)) {
        const f = scaledFile(file, random);
        const s = f.summary;
        t.covered += s.covered_lines; t.statements += s.num_statements; t.excluded += s.excluded_lines;
        t.branches += s.num_branches; t.coveredBranches += s.covered_branches; t.partial += s.num_partial_branches;
        const name = `scaled-copy-${String(copy).padStart(4, '0')}/${project}/${path}`;
        await put(`${first ? '' : ', '}${pyStr(name)}: ${pyJson(f)}`);
        first = false;
        if (size >= target) break done;
      }
    }
  }
  const totals = numbers(t.covered, t.statements, t.excluded, t.branches, t.coveredBranches, t.partial);
  await put(`}, "totals": ${pyJson(totals)}}`);
  await new Promise((ok, fail) => w.end(e => (e ? fail(e) : ok())));
  await rename(part, out);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const get = (k, d) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : d; };
  const out = await makeScaled({ mb: Number(get('--mb', 200)), out: get('--out') });
  console.log(`${out} (${(statSync(out).size / 1e6).toFixed(1)} MB)`);
}
