// A cache directory weft cannot use (a file where it, or a directory above it, should be)
// is one clear WEFT_E_CACHE_DIR from every command that writes there, never the internal
// error of that first write; nothing is written in the workspace or over the file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

test.run();
