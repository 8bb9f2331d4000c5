#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) in its own process, a few at a
// time, and ends with the one line CI reads: `N passed, M failed`.
// Usage: node scripts/test.mjs [substring…]   (filters test files by path)
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { availableParallelism } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const testDir = join(root, 'dist', 'test');
const filters = process.argv.slice(2);
const jobs = Number(process.env.WEFT_TEST_JOBS) || Math.max(2, availableParallelism() * 2);

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const files = find(testDir).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
// uvu prints "Total: N  Passed: N  Skipped: N" per file; ANSI codes removed before matching.
const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [file], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code, signal) => {
      const text = strip(out);
      const total = Number(/Total:\s+(\d+)/.exec(text)?.[1] ?? NaN);
      const passed = Number(/Passed:\s+(\d+)/.exec(text)?.[1] ?? NaN);
      const skipped = Number(/Skipped:\s+(\d+)/.exec(text)?.[1] ?? 0);
      resolve({ file, code, signal, text, total, passed, skipped, ms: Date.now() - started });
    });
  });
}

const queue = [...files];
const results = [];
await Promise.all(
  Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      const r = await runFile(f);
      results.push(r);
      const name = relative(testDir, r.file);
      const ok = r.code === 0 && Number.isFinite(r.total) && r.passed + r.skipped === r.total;
      if (ok) {
        console.log(`ok   ${name}  (${r.passed}/${r.total}, ${(r.ms / 1000).toFixed(1)}s)`);
      } else {
        console.log(`FAIL ${name}  (exit ${r.code ?? r.signal}, ${(r.ms / 1000).toFixed(1)}s)`);
        console.log(r.text.replace(/^/gm, '     '));
      }
    }
  }),
);

let passed = 0;
let failed = 0;
let skipped = 0;
for (const r of results) {
  if (Number.isFinite(r.total)) {
    passed += r.passed;
    skipped += r.skipped;
    failed += r.total - r.passed - r.skipped;
  }
  // A file that crashed before uvu's summary counts as one failure, never as silence.
  if (!Number.isFinite(r.total) || (r.code !== 0 && r.total === r.passed + r.skipped)) failed += 1;
}
if (files.length === 0) {
  console.log('no test files found under dist/test');
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
