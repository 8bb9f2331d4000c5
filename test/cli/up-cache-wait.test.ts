// A `weft up` that finds another weft writing a repository's or an archive's entry in the cache waits for
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
import { parseIntegrity } from '../../src/fetch/archive/integrity.js';
import { buildTar, gzip } from '../helpers/archive-builder.js';
import { sri } from '../helpers/archive-sandbox.js';
import { isolatedEnv, weftBin } from '../helpers/cli.js';
import { gitSandbox, makeUpstream, type GitSandbox } from '../helpers/git-repo.js';
import { waitFor } from '../helpers/wait.js';

let sb: GitSandbox;
test.before.each(() => {
  sb = gitSandbox();
});
test.after.each(() => sb.cleanup());

/** Runs weft up while `lock` is held by a live process (this one), as a running weft's fetch holds it. */
async function upWhileHeld(lock: string, name: string, says: string): Promise<void> {
  mkdirSync(join(lock, '..'), { recursive: true });
  writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose: 'test', nonce: 'test' }));

  const child = spawn(process.execPath, [weftBin, 'up'], { cwd: sb.workspace, env: isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((done) => child.on('close', done));
  try {
    await waitFor(() => stderr.includes(`weft: waiting ${name}:`) || child.exitCode !== null, 'weft up to say it waits', 20_000);
    assert.match(stderr, `weft: waiting ${name}: weft process ${process.pid} ${says}; if no weft is running, remove ${lock}\n`);
    assert.not.ok(existsSync(join(sb.workspace, name)), 'nothing placed while the entry is held');
  } finally {
    rmSync(lock, { force: true });
  }
  assert.is(await exited, 0, stderr);
  assert.ok(existsSync(join(sb.workspace, name)), 'placed once the entry was free');
}

test('weft up waiting for another weft on a repository in the cache says so in plain output, naming the holder and the lock file', async () => {
  const lib = makeUpstream(sb, 'lib');
  writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  lib:\n    git: ${lib.dir}\n`);
  await upWhileHeld(`${mirrorPath(sb.cache, lib.dir)}.lock`, 'lib', 'is updating this repository in the cache');
});

test('weft up waiting for another weft on an archive in the cache says so too', async () => {
  const tgz = gzip(buildTar([{ name: 'pkg/', type: 'dir' }, { name: 'pkg/hello.txt', data: 'hello\n' }]));
  writeFileSync(join(sb.root, 'pkg.tar.gz'), tgz);
  const integrity = sri('sha256', tgz);
  writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  pkg:\n    archive: file://${join(sb.root, 'pkg.tar.gz')}\n    integrity: ${integrity}\n    strip: 1\n`);
  await upWhileHeld(join(sb.cache, 'locks', `archive-${parseIntegrity(integrity).key}.lock`), 'pkg', 'is putting this archive in the cache');
});

test.run();
