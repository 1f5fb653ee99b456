#!/usr/bin/env python3
"""Check that every file named in a fixture's reports exists in its tests/sources tree and that no
line (or column) a report names lies beyond that file's text.

Usage: python3 tests/sources/verify_sources.py   (from the repository root; exit 1 on any mismatch)

Reports read per fixture folder, when present: coverage.json (coverage.py), coverage-final.json and
coverage-summary.json (Istanbul), lcov.info / coverage.lcov (LCOV: SF, DA, FN, FNDA names, BRDA),
coverage.xml / cobertura-coverage.xml (Cobertura: class filename, line number), clover.xml
(file path, line num). Absolute paths are made relative to the project root the fixture ran in.
Content checks on top of line counts:
- coverage.py: every executed/missing line is a non-blank source line;
- Istanbul: every function declaration and every single-line statement with a known end column
  covers non-blank text (c8's per-line statements on blank lines are expected and counted apart).
Istanbul columns count UTF-16 code units (qs's test/utils.js line 591 holds a surrogate pair).
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIX = os.path.join(ROOT, 'tests', 'fixtures')
SRC = os.path.join(ROOT, 'tests', 'sources')

# fixture folder -> (sources tree, absolute project root used when the report was written, or None)
FIXTURES = {
    'packaging-25.0/coveragepy-6.5.0-branch': ('packaging-25.0', None),
    'packaging-25.0/coveragepy-7.4.4-branch': ('packaging-25.0', None),
    'packaging-25.0/coveragepy-7.17.3-branch': ('packaging-25.0', None),
    'packaging-25.0/coveragepy-7.17.3-branch-contexts-small': ('packaging-25.0', None),
    'qs-6.17.1/nyc-18.0.0': ('qs-6.17.1', '/build/js/qs'),
    'object-inspect-1.13.4/nyc-18.0.0': ('object-inspect-1.13.4', '/build/js/object-inspect'),
    'resolve-1.22.14/c8-12.0.0': ('resolve-1.22.14', '/build/js/resolve'),
    'zod-4.1.12/vitest-4.1.12-coverage-v8': ('zod-4.1.12', '/build/js/zod'),
    'zod-4.1.12/vitest-4.1.12-coverage-istanbul': ('zod-4.1.12', '/build/js/zod'),
    'hashids-2.3.0/jest-30.5.2': ('hashids-2.3.0', '/build/js/hashids'),
}


def u16len(s):
    # Istanbul columns are JavaScript string indices: UTF-16 code units (a character outside the BMP counts 2)
    return len(s.encode('utf-16-le')) // 2


def u16slice(s, a, b):
    return s.encode('utf-16-le')[2 * a:2 * b].decode('utf-16-le', errors='replace')


class Tree:
    def __init__(self, name, root):
        self.base = os.path.join(SRC, name)
        self.root = root
        self.cache = {}

    def rel(self, path):
        if self.root and os.path.isabs(path):
            return os.path.relpath(path, self.root)
        return path

    def lines(self, path):
        rel = self.rel(path)
        if rel not in self.cache:
            full = os.path.join(self.base, rel)
            if os.path.isfile(full):
                with open(full, encoding='utf-8', newline='') as fh:
                    # split like editors/coverage tools: \n, \r\n or \r end a line
                    self.cache[rel] = re.split(r'\r\n|\r|\n', fh.read())
                    if self.cache[rel] and self.cache[rel][-1] == '':
                        self.cache[rel].pop()
            else:
                self.cache[rel] = None
        return rel, self.cache[rel]


class Checker:
    def __init__(self, fixture, tree):
        self.fixture = fixture
        self.tree = tree
        self.problems = []
        self.notes = []
        self.files = set()
        self.checked = 0

    def bad(self, msg):
        self.problems.append(msg)

    def file(self, report, path):
        rel, lines = self.tree.lines(path)
        self.files.add(rel)
        if lines is None:
            self.bad(f'{report}: {path} -> {rel} not in sources/{os.path.basename(self.tree.base)}')
        return rel, lines

    def line(self, report, rel, lines, n, what):
        self.checked += 1
        if lines is None:
            return False
        if not isinstance(n, int) or n < 1 or n > len(lines):
            self.bad(f'{report}: {rel}: {what} line {n} outside 1..{len(lines)}')
            return False
        return True

    def pos(self, report, rel, lines, p, what):
        if not self.line(report, rel, lines, p['line'], what):
            return
        col = p.get('column')
        width = u16len(lines[p['line'] - 1])
        if col is not None and col > width + 1:
            self.bad(f'{report}: {rel}: {what} column {col} beyond line {p["line"]} length {width} (UTF-16 units)')


def check_coveragepy(c, path):
    j = json.load(open(path))
    blank = 0
    for name, f in j['files'].items():
        rel, lines = c.file('coverage.json', name)
        for key in ('executed_lines', 'missing_lines', 'excluded_lines'):
            for n in f.get(key, []):
                if c.line('coverage.json', rel, lines, n, key) and key != 'excluded_lines':
                    if not lines[n - 1].strip():
                        blank += 1
                        c.bad(f'coverage.json: {rel}: {key} line {n} is blank in the source')
        for key in ('executed_branches', 'missing_branches'):
            for a, b in f.get(key, []):
                for n in (a, b):
                    if n > 0:  # negative = exit from the code object starting at -n
                        c.line('coverage.json', rel, lines, n, key)
                    else:
                        c.line('coverage.json', rel, lines, -n, key + ' (exit)')
        for kind in ('functions', 'classes'):
            for rname, r in (f.get(kind) or {}).items():
                if r.get('start_line'):
                    c.line('coverage.json', rel, lines, r['start_line'], f'{kind} {rname!r} start_line')
                for n in r.get('executed_lines', []) + r.get('missing_lines', []):
                    c.line('coverage.json', rel, lines, n, f'{kind} {rname!r}')


def check_istanbul(c, path):
    j = json.load(open(path))
    blank_stmt = 0
    for key, f in j.items():
        rel, lines = c.file('coverage-final.json', f.get('path', key))
        if lines is None:
            continue
        for sid, s in f['statementMap'].items():
            c.pos('coverage-final.json', rel, lines, s['start'], f'statement {sid} start')
            c.pos('coverage-final.json', rel, lines, s['end'], f'statement {sid} end')
            st, en = s['start'], s['end']
            if st['line'] == en['line'] and en.get('column') is not None and 1 <= st['line'] <= len(lines):
                text = u16slice(lines[st['line'] - 1], st['column'], en['column'])
                if not text.strip():
                    blank_stmt += 1
        for fid, fn in f['fnMap'].items():
            for part in ('decl', 'loc'):
                c.pos('coverage-final.json', rel, lines, fn[part]['start'], f'function {fid} {part} start')
                c.pos('coverage-final.json', rel, lines, fn[part]['end'], f'function {fid} {part} end')
            d = fn['decl']
            if d['start']['line'] == d['end']['line'] and d['end'].get('column') is not None \
                    and d['end']['column'] > d['start']['column'] and 1 <= d['start']['line'] <= len(lines):
                if not u16slice(lines[d['start']['line'] - 1], d['start']['column'], d['end']['column']).strip():
                    c.bad(f'coverage-final.json: {rel}: function {fid} decl covers blank text')
            if 'line' in fn:
                c.line('coverage-final.json', rel, lines, fn['line'], f'function {fid} line')
        for bid, b in f['branchMap'].items():
            c.pos('coverage-final.json', rel, lines, b['loc']['start'], f'branch {bid} loc start')
            c.pos('coverage-final.json', rel, lines, b['loc']['end'], f'branch {bid} loc end')
            for i, loc in enumerate(b['locations']):
                if loc.get('start') and loc['start'].get('line') is not None:
                    c.pos('coverage-final.json', rel, lines, loc['start'], f'branch {bid}[{i}] start')
                if loc.get('end') and loc['end'].get('line') is not None:
                    c.pos('coverage-final.json', rel, lines, loc['end'], f'branch {bid}[{i}] end')
            if 'line' in b:
                c.line('coverage-final.json', rel, lines, b['line'], f'branch {bid} line')
    if blank_stmt:
        c.notes.append(f'coverage-final.json: {blank_stmt} single-line statements span only whitespace '
                       f'(expected for c8/V8 per-line statements on blank lines)')


def check_summary(c, path):
    for key in json.load(open(path)):
        if key != 'total':
            c.file('coverage-summary.json', key)


def check_lcov(c, path, name):
    rel = lines = None
    for raw in open(path, encoding='utf-8'):
        ln = raw.rstrip('\n')
        if ln.startswith('SF:'):
            rel, lines = c.file(name, ln[3:])
        elif ln.startswith('DA:'):
            c.line(name, rel, lines, int(ln[3:].split(',')[0]), 'DA')
        elif ln.startswith('FN:'):
            c.line(name, rel, lines, int(ln[3:].split(',')[0]), 'FN')
        elif ln.startswith('BRDA:'):
            n = int(ln[5:].split(',')[0])
            if n == 0:
                c.notes.append(f'{name}: {rel}: BRDA on line 0 (a real coverage.py LCOV quirk, see MANIFEST.md)')
            else:
                c.line(name, rel, lines, n, 'BRDA')


def check_cobertura(c, path, name):
    root = ET.parse(path).getroot()
    for cls in root.iter('class'):
        rel, lines = c.file(name, cls.get('filename'))
        for ln in cls.iter('line'):
            c.line(name, rel, lines, int(ln.get('number')), 'line')


def check_clover(c, path, name):
    root = ET.parse(path).getroot()
    for f in root.iter('file'):
        rel, lines = c.file(name, f.get('path') or f.get('name'))
        for ln in f.iter('line'):
            c.line(name, rel, lines, int(ln.get('num')), 'line')


def dedupe_notes(notes):
    seen = {}
    for n in notes:
        k = re.sub(r': [^:]+: BRDA on line 0', ': BRDA on line 0', n)
        seen[k] = seen.get(k, 0) + 1
    return [f'{k} (x{v})' if v > 1 else k for k, v in seen.items()]


def main():
    failed = False
    for fixture, (tree_name, root) in FIXTURES.items():
        d = os.path.join(FIX, fixture)
        if not os.path.isdir(d):
            print(f'SKIP {fixture}: no such folder')
            continue
        c = Checker(fixture, Tree(tree_name, root))
        reports = []
        for fname, fn in [('coverage.json', check_coveragepy), ('coverage-final.json', check_istanbul),
                          ('coverage-summary.json', check_summary)]:
            p = os.path.join(d, fname)
            if os.path.isfile(p):
                fn(c, p)
                reports.append(fname)
        for fname in ('lcov.info', 'coverage.lcov'):
            p = os.path.join(d, fname)
            if os.path.isfile(p):
                check_lcov(c, p, fname)
                reports.append(fname)
        for fname in ('coverage.xml', 'cobertura-coverage.xml'):
            p = os.path.join(d, fname)
            if os.path.isfile(p):
                check_cobertura(c, p, fname)
                reports.append(fname)
        p = os.path.join(d, 'clover.xml')
        if os.path.isfile(p):
            check_clover(c, p, 'clover.xml')
            reports.append('clover.xml')
        status = 'OK' if not c.problems else f'{len(c.problems)} PROBLEMS'
        print(f'{status:12} {fixture} -> sources/{tree_name}: {len(c.files)} files, '
              f'{c.checked} line references checked in {", ".join(reports)}')
        for n in dedupe_notes(c.notes):
            print(f'    note: {n}')
        for pr in c.problems[:20]:
            print(f'    {pr}')
        if len(c.problems) > 20:
            print(f'    ... {len(c.problems) - 20} more')
        failed |= bool(c.problems)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
