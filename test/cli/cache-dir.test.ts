// A cache directory weft cannot use (a file where it, or a directory above it, should be)
// is one clear WEFT_E_CACHE_DIR from every command that writes there, never the internal
// error of that first write; nothing is written in the workspace or over the file. A
// relative WEFT_CACHE_DIR names no one place (each directory a command runs in would get
// its own cache): every command that uses the cache refuses it, the ones that only look
// for one (the code cache, weft env, the hook) run without it, and none makes a directory.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { gitSandbox, makeUpstream, type GitSandbox } from '../helpers/git-repo.js';

let sb: GitSandbox;
let ws: string;
let file: string;

test.before.each(() => {
  sb = gitSandbox();
  ws = join(sb.root, 'project');
  mkdirSync(ws);
  const lib = makeUpstream(sb, 'lib');
  writeFileSync(join(ws, 'weft.yaml'), `weft: 1\nsources:\n  lib:\n    git: ${lib.dir}\n`);
  file = join(sb.root, 'not-a-dir');
  writeFileSync(file, 'keep me\n');
});

test.after.each(() => sb.cleanup());

function assertCacheDirError(r: { code: number | null; stderr: string }, path: string): void {
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `WEFT_E_CACHE_DIR: cannot use ${path} as weft's cache: it, or a directory above it, is a file`);
  assert.match(r.stderr, 'hint: point WEFT_CACHE_DIR at a directory you can write');
  assert.not.match(r.stderr, 'internal error');
  assert.is(readFileSync(file, 'utf8'), 'keep me\n');
}

for (const [what, sub] of [
  ['is a file', ''],
  ['is below a file', 'weft'],
] as const) {
  test(`WEFT_CACHE_DIR that ${what}: weft up, lock and every cache action say so (exit 1) and write nothing`, async () => {
    const cache = sub ? join(file, sub) : file;
    const env = isolatedEnv(sb.root, { WEFT_CACHE_DIR: cache });
    // ls and verify only read, but "0 entries" (exit 0) for a cache that is a file is a wrong answer.
    for (const args of [['up'], ['lock'], ['cache', 'prune'], ['cache', 'prune', '--dry-run'], ['cache', 'ls'], ['cache', 'ls', '--json'], ['cache', 'verify']]) {
      const r = await weft(args, { cwd: ws, env });
      assertCacheDirError(r, cache);
    }
    assert.not.ok(existsSync(join(ws, 'weft.lock')), 'no weft.lock');
    assert.not.ok(existsSync(join(ws, 'lib')), 'no checkout');
  });
}

test('XDG_CACHE_HOME that is a file: the message names the cache path under it', async () => {
  const env = isolatedEnv(sb.root, { XDG_CACHE_HOME: file });
  delete env['WEFT_CACHE_DIR'];
  const r = await weft(['up'], { cwd: ws, env });
  assertCacheDirError(r, join(file, 'weft'));
});

test('weft up --json with an unusable cache prints the error as data too', async () => {
  const env = isolatedEnv(sb.root, { WEFT_CACHE_DIR: file });
  const r = await weft(['up', '--json'], { cwd: ws, env });
  assertCacheDirError(r, file);
  const out = JSON.parse(r.stdout) as { ok: boolean; errors: { code: string }[] };
  assert.is(out.ok, false);
  assert.equal(out.errors.map((e) => e.code), ['WEFT_E_CACHE_DIR']);
});

/** Every path under `dir`, relative to it. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((p) => relative(dir, join(dir, p))).sort();
}

/** The paths under `dir` added and removed since `before` was taken. */
function changes(dir: string, before: string[]): { added: string[]; removed: string[] } {
  const now = tree(dir);
  return { added: now.filter((p) => !before.includes(p)), removed: before.filter((p) => !now.includes(p)) };
}

/** The sandbox's env with a relative WEFT_CACHE_DIR and no WEFT_CODE_CACHE, so bin/weft.js looks for its code cache under it too. */
function relativeCacheEnv(value: string): NodeJS.ProcessEnv {
  const env = isolatedEnv(sb.root, { WEFT_CACHE_DIR: value });
  delete env['WEFT_CODE_CACHE'];
  return env;
}

test('a relative WEFT_CACHE_DIR: every command that uses the cache refuses it (exit 2), naming the variable, and makes nothing', async () => {
  // A workspace as weft up leaves it, so each command gets as far as it would on a good day.
  const done = await weft(['up'], { cwd: ws, env: isolatedEnv(sb.root) });
  assert.is(done.code, 0, done.stderr);
  const before = tree(sb.root);
  for (const value of ['relcache', '~/weft-cache', './cache']) {
    const env = relativeCacheEnv(value);
    for (const args of [
      ['up'], ['up', '--json'], ['up', '--from', 'weft.yaml'], ['update'], ['lock'], ['bundle', '-o', 'sprint.weft'],
      ['cache', 'ls'], ['cache', 'prune'], ['cache', 'verify'], ['prune'], ['status'],
      ['foreach', '--', 'touch', 'ran'], ['switch', 'lib', 'topic', '--create'], ['merge', 'lib'],
    ]) {
      const r = await weft(args, { cwd: ws, env });
      const what = `WEFT_CACHE_DIR=${value} weft ${args.join(' ')}`;
      assert.is(r.code, 2, `${what}: ${r.stderr}`);
      assert.match(r.stderr, `error WEFT_E_CACHE_DIR: WEFT_CACHE_DIR is "${value}", not an absolute path`, what);
      assert.match(r.stderr, 'hint: set it to an absolute path, e.g. WEFT_CACHE_DIR=$HOME/.cache/weft', what);
      assert.match(r.stderr, '~ is not expanded inside quotes', what);
      assert.not.match(r.stderr, /internal error|\n\s+at /, what);
      if (args.includes('--json')) assert.equal(JSON.parse(r.stdout).errors.map((e: { code: string }) => e.code), ['WEFT_E_CACHE_DIR']);
    }
  }
  // No relcache/, ~/ or cache/ in the workspace, no bundle, no lock rewritten, no command run.
  assert.equal(changes(sb.root, before), { added: [], removed: [] });
});

test('weft doctor reports a relative WEFT_CACHE_DIR as a failed check with its fix, runs the checks that need no cache, and makes nothing', async () => {
  const done = await weft(['up'], { cwd: ws, env: isolatedEnv(sb.root) });
  assert.is(done.code, 0, done.stderr);
  const before = tree(sb.root);
  const r = await weft(['doctor', '--json'], { cwd: ws, env: relativeCacheEnv('relcache') });
  assert.is(r.code, 1, r.stderr);
  const checks = JSON.parse(r.stdout).checks as { name: string; status: string; detail: string; fix?: string }[];
  const cache = checks.find((c) => c.name === 'cache');
  assert.is(cache?.status, 'fail');
  assert.match(cache!.detail, 'WEFT_CACHE_DIR is "relcache", not an absolute path');
  assert.match(cache!.fix ?? '', 'set it to an absolute path');
  // What needs no cache is still checked.
  for (const name of ['git', 'weft.lock', 'trust']) assert.ok(checks.some((c) => c.name === name), `${name} checked`);
  assert.equal(changes(sb.root, before), { added: [], removed: [] });
});

test('a relative WEFT_CACHE_DIR does not stop what only looks for a cache: --version, help, env, hook', async () => {
  const done = await weft(['up'], { cwd: ws, env: isolatedEnv(sb.root) });
  assert.is(done.code, 0, done.stderr);
  const before = tree(sb.root);
  const env = relativeCacheEnv('relcache');
  for (const args of [['--version'], ['help'], ['help', 'up'], ['env'], ['env', '--json'], ['hook', 'bash'], ['hook', '--apply'], ['which']]) {
    // Twice: the first run of a command would write its code cache, the second read it.
    for (const run of [1, 2]) {
      const r = await weft(args, { cwd: ws, env });
      assert.is(r.code, 0, `weft ${args.join(' ')} (run ${run}): ${r.stderr}`);
      assert.is(r.stderr, '', `weft ${args.join(' ')}`);
    }
  }
  // The code cache was not written under the current directory (nor anywhere in the sandbox).
  assert.equal(changes(sb.root, before), { added: [], removed: [] });
});

test.run();
