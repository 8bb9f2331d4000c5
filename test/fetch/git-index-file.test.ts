// Splitting an index git wrote (index-file.ts): the part under one directory must be an
// index git takes for that directory's own repository, stat data and cache-tree included.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseIndex, subIndex } from '../../src/fetch/git/index-file.js';
import { git, gitSandbox, type GitSandbox } from '../helpers/git-repo.js';

let sb: GitSandbox;
let repo: string;
test.before.each(() => {
  sb = gitSandbox();
  repo = join(sb.root, 'repo');
  mkdirSync(join(repo, 'sub', 'deep'), { recursive: true });
  mkdirSync(join(repo, 'other'));
  writeFileSync(join(repo, 'top.txt'), 'top\n');
  writeFileSync(join(repo, 'other', 'o.txt'), 'o\n');
  writeFileSync(join(repo, 'sub', 'a.txt'), 'a\n');
  writeFileSync(join(repo, 'sub', 'run.sh'), '#!/bin/sh\n');
  chmodSync(join(repo, 'sub', 'run.sh'), 0o755);
  symlinkSync('a.txt', join(repo, 'sub', 'link'));
  writeFileSync(join(repo, 'sub', 'deep', 'x.py'), 'x = 1\n');
  writeFileSync(join(repo, 'sub', 'deep', `${'n'.repeat(240)}.txt`), 'long\n');
  git(sb, repo, 'init', '--quiet');
  git(sb, repo, 'add', '--all');
  git(sb, repo, 'commit', '--quiet', '-m', 'one');
  // What read-tree writes: entries with the files' stat data, and a cache-tree.
  execFileSync('rm', ['-f', join(repo, '.git', 'index')]);
  git(sb, repo, 'read-tree', '--reset', '-u', 'HEAD');
});
test.after.each(() => sb.cleanup());

test('the entries under a directory, as an index of that directory, stat data and cache-tree kept', () => {
  const index = parseIndex(readFileSync(join(repo, '.git', 'index')));
  assert.ok(index, 'a version 2 index git wrote is read');
  assert.is(index!.entries.length, 7);
  const subTree = git(sb, repo, 'rev-parse', 'HEAD:sub');
  // The directory as a repository of its own, at a commit of the directory's tree.
  const dir = join(repo, 'sub');
  const gitDir = join(sb.root, 'sub.git');
  git(sb, sb.root, 'init', '--quiet', '--bare', gitDir);
  writeFileSync(join(gitDir, 'objects', 'info', 'alternates'), `${join(repo, '.git', 'objects')}\n`);
  const commit = git(sb, sb.root, `--git-dir=${gitDir}`, 'commit-tree', '-m', 'sub', subTree);
  writeFileSync(join(gitDir, 'HEAD'), `${commit}\n`);
  writeFileSync(join(gitDir, 'index'), subIndex(index!, 'sub'));
  const inSub = (...args: string[]) => git(sb, dir, `--git-dir=${gitDir}`, `--work-tree=${dir}`, '-c', 'core.bare=false', ...args);
  const listed = inSub('ls-files', '-s').split('\n');
  assert.equal(listed.map((l) => l.split('\t')[1]), ['a.txt', `deep/${'n'.repeat(240)}.txt`, 'deep/x.py', 'link', 'run.sh']);
  assert.ok(listed.some((l) => l.startsWith('100755') && l.endsWith('run.sh')));
  assert.ok(listed.some((l) => l.startsWith('120000') && l.endsWith('link')));
  assert.is(inSub('diff-index', '--cached', 'HEAD'), '', 'the index is the tree');
  // diff-files compares stat data only: any entry whose recorded stat is not the file's shows.
  assert.is(inSub('diff-files'), '', 'the stat data is the files\'');
  const split = parseIndex(readFileSync(join(gitDir, 'index')));
  assert.is(split!.tree?.oid?.toString('hex'), subTree, 'the cache-tree root is the directory\'s tree');
  assert.is(split!.tree?.children.map((c) => c.name).join(), 'deep');
  assert.is(inSub('write-tree'), subTree);
});

test('a directory with nothing under it gives an empty index git reads', () => {
  const index = parseIndex(readFileSync(join(repo, '.git', 'index')))!;
  const buf = subIndex(index, 'nowhere');
  const gitDir = join(sb.root, 'empty.git');
  git(sb, sb.root, 'init', '--quiet', '--bare', gitDir);
  writeFileSync(join(gitDir, 'index'), buf);
  assert.is(git(sb, sb.root, `--git-dir=${gitDir}`, 'ls-files'), '');
  assert.is(parseIndex(buf)!.entries.length, 0);
});

test('anything but a whole version 2 index is refused', () => {
  const path = join(repo, '.git', 'index');
  const good = readFileSync(path);
  const flipped = Buffer.from(good);
  flipped[40] ^= 0xff;
  assert.is(parseIndex(flipped), undefined, 'a checksum that does not match');
  assert.is(parseIndex(good.subarray(0, good.length - 5)), undefined, 'cut short');
  git(sb, repo, 'update-index', '--index-version', '4');
  assert.is(parseIndex(readFileSync(path)), undefined, 'version 4');
});

test.run();
