// A commit's tree read in node (commit-tree.ts): git's answer or none, never another.
import { openSync, readdirSync, readSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { treeOfCommit } from '../../src/fetch/git/commit-tree.js';
import { git, gitSandbox, makeUpstream, type GitSandbox, type Upstream } from '../helpers/git-repo.js';

let sb: GitSandbox;
let up: Upstream;
let objects: string;
test.before.each(() => {
  sb = gitSandbox();
  up = makeUpstream(sb, 'lib');
  objects = join(up.dir, '.git', 'objects');
});
test.after.each(() => sb.cleanup());

const tree = (commit: string) => git(sb, up.dir, 'rev-parse', `${commit}^{tree}`);

test('a loose commit and a commit stored whole in a pack give the tree git names', () => {
  const loose = up.commit('two', { 'a.txt': 'a\n' });
  assert.is(treeOfCommit(objects, loose), tree(loose));
  git(sb, up.dir, 'repack', '-adq');
  assert.ok(readdirSync(join(objects, 'pack')).some((f) => f.endsWith('.idx')));
  assert.is(git(sb, up.dir, 'count-objects', '-v').match(/^count: (\d+)/m)?.[1], '0', 'no loose objects left');
  const first = up.rev('HEAD~1');
  assert.is(treeOfCommit(objects, loose), tree(loose));
  assert.is(treeOfCommit(objects, first), tree(first));
});

test('a commit stored as a delta, one not there, and a non-commit give no answer', () => {
  const long = 'x'.repeat(3000);
  const commits = [0, 1, 2, 3].map((i) => up.commit(`${long} ${i}`, { 'f.txt': `${i}\n` }));
  git(sb, up.dir, 'repack', '-adfq', '--window=50', '--depth=50');
  const deltas = git(sb, up.dir, 'verify-pack', '-v', readdirSync(join(objects, 'pack')).filter((f) => f.endsWith('.idx')).map((f) => join(objects, 'pack', f))[0]!)
    .split('\n')
    .filter((l) => / commit /.test(l) && l.trim().split(/\s+/).length > 5)
    .map((l) => l.split(' ')[0]!);
  const delta = commits.find((c) => deltas.includes(c));
  assert.ok(delta, 'git stored one of the commits as a delta');
  assert.is(treeOfCommit(objects, delta!), undefined);
  assert.is(treeOfCommit(objects, 'f'.repeat(40)), undefined);
  assert.is(treeOfCommit(objects, tree(commits[0]!)), undefined, 'a tree id is not a commit');
  assert.is(treeOfCommit(objects, 'HEAD'), undefined);
});

test('a damaged commit object gives no answer, not a wrong one', () => {
  const c = up.commit('two', { 'a.txt': 'a\n' });
  git(sb, up.dir, 'repack', '-adq');
  const idx = readdirSync(join(objects, 'pack')).find((f) => f.endsWith('.idx'))!;
  const pack = join(objects, 'pack', idx.replace(/\.idx$/, '.pack'));
  // The commit's offset, from git, then a byte inside its compressed data changed.
  const line = git(sb, up.dir, 'verify-pack', '-v', join(objects, 'pack', idx)).split('\n').find((l) => l.startsWith(c))!;
  const offset = Number(line.trim().split(/\s+/)[4]);
  const fd = openSync(pack, 'r+');
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, offset + 12);
  b[0] ^= 0x01;
  writeSync(fd, b, 0, 1, offset + 12);
  closeSync(fd);
  assert.is(treeOfCommit(objects, c), undefined);
});

test.run();
