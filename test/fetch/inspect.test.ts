import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectCheckout } from '../../src/fetch/index.js';
import { countPorcelain } from '../../src/fetch/inspect/git.js';
import { git, gitSandbox, makeUpstream } from '../helpers/git-repo.js';
import { hgEnv, makeHgRepo } from '../helpers/hg-repo.js';
import { makeSvnRepo } from '../helpers/svn-repo.js';

test('a missing directory is reported as absent for every kind of source', async () => {
  const sb = gitSandbox();
  try {
    for (const kind of ['git', 'svn', 'hg', 'local', 'archive'] as const) {
      const r = await inspectCheckout(kind, join(sb.root, 'nowhere'), { env: sb.env, cacheDir: sb.cache });
      assert.is(r.present, false, kind);
    }
  } finally {
    sb.cleanup();
  }
});

test('git inspection counts staged, modified, renamed and untracked entries and reads the branch', async () => {
  const sb = gitSandbox();
  try {
    const up = makeUpstream(sb, 'one');
    up.commit('more', { 'a.txt': 'a\n', 'b.txt': 'b\n' });
    writeFileSync(join(up.dir, 'a.txt'), 'changed\n');
    git(sb, up.dir, 'mv', 'b.txt', 'c.txt');
    writeFileSync(join(up.dir, 'new1'), 'x');
    mkdirSync(join(up.dir, 'newdir'));
    writeFileSync(join(up.dir, 'newdir', 'x'), 'x');
    const r = await inspectCheckout('git', up.dir, { env: sb.env, cacheDir: sb.cache });
    assert.is(r.present, true);
    assert.is(r.revision, up.rev('HEAD'));
    assert.is(r.branch, 'main');
    assert.is(r.modified, 2, 'a.txt modified and b.txt→c.txt renamed');
    assert.is(r.untracked, 2, 'new1 and newdir/');
    assert.is(r.upstream, undefined, 'no upstream configured');
    assert.is(r.ahead, undefined);
  } finally {
    sb.cleanup();
  }
});

test('git inspection of a detached HEAD has no branch, and a plain directory is a problem', async () => {
  const sb = gitSandbox();
  try {
    const up = makeUpstream(sb, 'one');
    const first = up.rev('HEAD');
    up.commit('second', { 'x': 'x' });
    git(sb, up.dir, 'checkout', '--quiet', '--detach', first);
    const r = await inspectCheckout('git', up.dir, { env: sb.env, cacheDir: sb.cache });
    assert.is(r.revision, first);
    assert.is(r.branch, undefined);
    const plain = join(sb.root, 'plain');
    mkdirSync(plain);
    const p = await inspectCheckout('git', plain, { env: { ...sb.env, GIT_CEILING_DIRECTORIES: sb.root }, cacheDir: sb.cache });
    assert.is(p.present, true);
    assert.is(p.problem, 'not a git repository');
    assert.is(p.revision, undefined);
  } finally {
    sb.cleanup();
  }
});

test('git inspection ignores an inherited GIT_DIR that points at another repository', async () => {
  const sb = gitSandbox();
  try {
    const one = makeUpstream(sb, 'one');
    const other = makeUpstream(sb, 'other');
    other.commit('different', { 'o': 'o' });
    const env = { ...sb.env, GIT_DIR: join(other.dir, '.git'), GIT_WORK_TREE: other.dir };
    const r = await inspectCheckout('git', one.dir, { env, cacheDir: sb.cache });
    assert.is(r.revision, one.rev('HEAD'));
    assert.is.not(r.revision, other.rev('HEAD'));
  } finally {
    sb.cleanup();
  }
});

test('porcelain counting skips the source path of a rename and ignored entries', () => {
  assert.equal(countPorcelain('R  new\0old\0?? u\0 M m\0!! ign\0'), { modified: 2, untracked: 1 });
  assert.equal(countPorcelain(''), { modified: 0, untracked: 0 });
});

test('svn inspection reads the last-changed revision of a working copy (as weft.lock records it) and counts modified and unversioned files', async () => {
  const sb = gitSandbox();
  try {
    const repo = makeSvnRepo(sb.root, sb.env);
    const rev = repo.commit({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    // The repository moves on outside trunk: the working copy's own number does, its content not.
    repo.commitElsewhere();
    const wc = join(sb.root, 'wc');
    execFileSync('svn', ['--non-interactive', 'checkout', '-q', repo.trunk, wc], { env: sb.env });
    writeFileSync(join(wc, 'a.txt'), 'changed\n');
    writeFileSync(join(wc, 'loose'), 'x');
    // Moving the repository away proves the inspection never contacts it.
    renameSync(repo.repoDir, repo.repoDir + '-gone');
    const r = await inspectCheckout('svn', wc, { env: sb.env, cacheDir: sb.cache });
    assert.is(r.revision, String(rev));
    assert.is(r.modified, 1);
    assert.is(r.untracked, 1);
    assert.is(r.problem, undefined);
  } finally {
    sb.cleanup();
  }
});

test('hg inspection reads the changeset and branch and counts modified and unknown files', async () => {
  const sb = gitSandbox();
  try {
    const repo = makeHgRepo(join(sb.root, 'hg'), sb.env);
    const node = repo.commit({ 'a.txt': 'a\n' });
    writeFileSync(join(repo.path, 'a.txt'), 'changed\n');
    writeFileSync(join(repo.path, 'loose'), 'x');
    const r = await inspectCheckout('hg', repo.path, { env: hgEnv(sb.env), cacheDir: sb.cache });
    assert.is(r.revision, node);
    assert.is(r.branch, 'default');
    assert.is(r.modified, 1);
    assert.is(r.untracked, 1);
  } finally {
    sb.cleanup();
  }
});

test('a local directory is present with nothing to compare; an archive directory without the marker weft writes says it was not extracted by weft', async () => {
  const sb = gitSandbox();
  try {
    const ctx = { env: sb.env, cacheDir: sb.cache };
    assert.equal(await inspectCheckout('local', sb.workspace, ctx), { present: true, modified: 0, untracked: 0 });
    // The marker, and what its files are compared with, are in test/cli/status.test.ts.
    assert.equal(await inspectCheckout('archive', sb.workspace, ctx), { present: true, modified: 0, untracked: 0, problem: 'not extracted by weft (no .weft-archive)' });
  } finally {
    sb.cleanup();
  }
});

test.run();
