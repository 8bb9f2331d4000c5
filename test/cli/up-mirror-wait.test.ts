// A `weft up` that finds another weft writing a repository's entry in the cache waits for
// it, and says so even without a terminal (CI, a pipe): who holds the entry, and which
// lock file to remove if no weft is running. Before, the wait (up to twenty minutes) was
// silent there, and a lock whose owner's pid had been reused looked like a hang.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { mirrorPath } from '../../src/fetch/index.js';
import { isolatedEnv, weftBin } from '../helpers/cli.js';
import { gitSandbox, makeUpstream, type GitSandbox } from '../helpers/git-repo.js';
import { waitFor } from '../helpers/wait.js';

let sb: GitSandbox;
test.before.each(() => {
  sb = gitSandbox();
});
test.after.each(() => sb.cleanup());

test('weft up waiting for another weft on a repository in the cache says so in plain output, naming the holder and the lock file', async () => {
  const lib = makeUpstream(sb, 'lib');
  writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  lib:\n    git: ${lib.dir}\n`);
  const lock = `${mirrorPath(sb.cache, lib.dir)}.lock`;
  mkdirSync(join(sb.cache, 'git'), { recursive: true });
  // Held by a live process (this one), as a running weft's fetch holds it.
  writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose: 'mirror x', nonce: 'test' }));

  const child = spawn(process.execPath, [weftBin, 'up'], { cwd: sb.workspace, env: isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((done) => child.on('close', done));
  try {
    await waitFor(() => stderr.includes('weft: waiting lib:') || child.exitCode !== null, 'weft up to say it waits', 20_000);
    assert.match(stderr, `weft: waiting lib: weft process ${process.pid} is updating this repository in the cache; if no weft is running, remove ${lock}\n`);
    assert.not.ok(existsSync(join(sb.workspace, 'lib')), 'nothing checked out while the entry is held');
  } finally {
    rmSync(lock, { force: true });
  }
  assert.is(await exited, 0, stderr);
  assert.ok(existsSync(join(sb.workspace, 'lib', '.git')), 'checked out once the entry was free');
});

test.run();
