// syncTree (src/fetch/archive/sync-tree.ts) fsyncs an extracted tree before the cache
// publishes it. What a test can see without pulling the power: it reaches every file and
// directory without error, and it never opens what is not a regular file or directory of
// the tree itself (a FIFO, or a symlink to one, would block it forever).
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { syncTree } from '../../../src/fetch/archive/sync-tree.js';

let root: string;
test.before.each(() => {
  root = mkdtempSync(join(tmpdir(), 'weft-sync-tree-'));
});
test.after.each(() => rmSync(root, { recursive: true, force: true }));

const within = <T>(ms: number, p: Promise<T>): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms).unref())]);

test('a tree of files, nested and empty directories and symlinks is synced', async () => {
  const tree = join(root, 'tree');
  mkdirSync(join(tree, 'a', 'b', 'c'), { recursive: true });
  mkdirSync(join(tree, 'empty'));
  for (let i = 0; i < 20; i++) writeFileSync(join(tree, 'a', `f${i}`), `file ${i}\n`);
  writeFileSync(join(tree, 'a', 'b', 'c', 'deep'), 'deep\n');
  symlinkSync('a/f1', join(tree, 'link'));
  symlinkSync('/nonexistent/elsewhere', join(tree, 'dangling'));
  await within(20_000, syncTree(tree));
});

test('FIFOs, and symlinks to them, are never opened', async () => {
  const tree = join(root, 'tree');
  mkdirSync(tree);
  writeFileSync(join(tree, 'file'), 'x\n');
  execFileSync('mkfifo', [join(tree, 'fifo'), join(root, 'outside-fifo')]);
  symlinkSync(join(root, 'outside-fifo'), join(tree, 'to-fifo'));
  try {
    // An opened FIFO blocks for good: any deadline shows it, and a generous one leaves the
    // fsyncs of a busy disk their time.
    await within(60_000, syncTree(tree));
  } finally {
    // Had it opened one, a writer's open lets that blocked read-open finish (and the test end).
    for (const f of [join(tree, 'fifo'), join(root, 'outside-fifo')]) {
      try {
        closeSync(openSync(f, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        /* no reader waiting: ENXIO */
      }
    }
  }
});

test('a missing tree is an error, not a silent success', async () => {
  const err = await syncTree(join(root, 'absent')).then(() => undefined, (e: NodeJS.ErrnoException) => e);
  assert.is(err?.code, 'ENOENT');
});

test.run();
