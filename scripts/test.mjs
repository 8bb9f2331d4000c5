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

// A test file that hangs (a server never answering, a wait that never ends) is stopped and
// reported as a failure with what it printed, instead of holding the whole run (and CI) up.
const fileTimeoutMs = Number(process.env.WEFT_TEST_FILE_TIMEOUT_MS) || 10 * 60_000;
// Each file runs in a process group of its own, killed whole on a timeout (its servers and
// git daemons with it); a Ctrl-C of the run stops them all.
const running = new Set();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const pid of running) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    process.exit(130);
  });
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
      detached: true,
    });
    running.add(child.pid);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, fileTimeoutMs);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child.pid);
      const text = strip(out) + (timedOut ? `\nkilled: still running after ${fileTimeoutMs / 1000} s (WEFT_TEST_FILE_TIMEOUT_MS)\n` : '');
      const total = Number(/Total:\s+(\d+)/.exec(text)?.[1] ?? NaN);
      const passed = Number(/Passed:\s+(\d+)/.exec(text)?.[1] ?? NaN);
      const skipped = Number(/Skipped:\s+(\d+)/.exec(text)?.[1] ?? 0);
      resolve({ file, code, signal, text, total, passed, skipped, timedOut, ms: Date.now() - started });
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
      const ok = !r.timedOut && r.code === 0 && Number.isFinite(r.total) && r.passed + r.skipped === r.total;
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
