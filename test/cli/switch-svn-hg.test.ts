import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { makeHgRepo } from '../helpers/hg-repo.js';
import { makeSvnRepo } from '../helpers/svn-repo.js';
import { tempDir } from '../helpers/tmp.js';

function svnWorkspace(sub = '') {
  const t = tempDir('weft-switch-svn-');
  const env = isolatedEnv(t.dir);
  const repo = makeSvnRepo(t.dir, env);
  repo.commit({ 'README': 'trunk 1\n', 'sub/a.txt': 'a\n' });
  const ws = join(t.dir, 'ws');
  execFileSync('mkdir', ['-p', ws]);
  writeFileSync(join(ws, 'weft.yaml'), `sources:\n  docs:\n    svn: ${repo.trunk}${sub}\n`);
  const run = (...args: string[]) => weft(args, { cwd: ws, env });
  const svnInfo = (dir: string, item = 'url') => execFileSync('svn', ['info', '--show-item', item, dir], { env, encoding: 'utf8' }).trim();
  return { t, env, repo, ws, run, svnInfo };
}

/** `WEFT_SOURCE_DIR|WEFT_SOURCE_COMMIT` as `weft foreach` gives them to the one source (and `|WEFT_SOURCE_BRANCH` with `branch`). */
async function foreachCommit(run: (...args: string[]) => Promise<{ code: number | null; stdout: string; stderr: string }>, branch = false): Promise<string> {
  const r = await run('foreach', '--', 'sh', '-c', `echo "$WEFT_SOURCE_DIR|$WEFT_SOURCE_COMMIT${branch ? '|$WEFT_SOURCE_BRANCH' : ''}"`);
  assert.is(r.code, 0, r.stderr);
  return r.stdout.split('\n')[1]!;
}

test('weft switch on an svn source follows trunk/branches: --create copies on the server, and the branch gets its own working copy', async () => {
  const w = svnWorkspace();
  try {
    assert.is((await w.run('up')).code, 0);
    const main = join(w.ws, 'docs');
    const trunkRev = w.svnInfo(main, 'last-changed-revision');
    assert.is(await foreachCommit(w.run), `${main}|${trunkRev}`);
    const r = await w.run('switch', 'docs', 'b1', '--create');
    assert.is(r.code, 0, r.stderr);
    const dir = join(w.ws, '.weft-branches', 'docs', 'b1');
    // foreach runs in the branch's working copy: its last-changed revision (the copy), not trunk's.
    const branchRev = w.svnInfo(dir, 'last-changed-revision');
    assert.is.not(branchRev, trunkRev);
    assert.is(await foreachCommit(w.run), `${dir}|${branchRev}`);
    const branchUrl = w.repo.trunk.replace(/\/trunk$/, '/branches/b1');
    assert.match(r.stdout, /created .*branches\/b1 on the server/);
    assert.is(w.svnInfo(dir), branchUrl);
    assert.is(readFileSync(join(dir, 'README'), 'utf8'), 'trunk 1\n');
    assert.is(w.svnInfo(join(w.ws, 'docs')), w.repo.trunk, 'the main working copy stays on trunk');
    assert.is((await w.run('which', 'docs')).stdout, dir + '\n');

    const missing = await w.run('switch', 'docs', 'nope');
    assert.is(missing.code, 1);
    assert.match(missing.stderr, /WEFT_E_SWITCH_NO_BRANCH/);
    assert.match(missing.stderr, /--create/);

    assert.is((await w.run('switch', 'docs')).code, 0);
    const inPlace = await w.run('switch', 'docs', 'b1', '--in-place');
    assert.is(inPlace.code, 0, inPlace.stderr);
    assert.is(w.svnInfo(join(w.ws, 'docs')), branchUrl);
    const up = await w.run('up');
    assert.is(up.code, 0, up.stdout + up.stderr);
    assert.is(w.svnInfo(join(w.ws, 'docs')), branchUrl, 'weft up leaves the switched working copy alone');
    const back = await w.run('switch', 'docs');
    assert.is(back.code, 0, back.stderr);
    assert.is(w.svnInfo(join(w.ws, 'docs')), w.repo.trunk);
  } finally {
    w.t.cleanup();
  }
});

test('weft switch refuses an svn URL outside the trunk/branches layout, and an svn working copy with local changes in place', async () => {
  const w = svnWorkspace('/sub');
  try {
    assert.is((await w.run('up')).code, 0);
    const r = await w.run('switch', 'docs', 'b1', '--create');
    assert.is(r.code, 1);
    assert.match(r.stderr, /WEFT_E_SWITCH_SVN_LAYOUT/);
    assert.match(r.stderr, /\/trunk or \/branches\/NAME/);
    assert.not.ok(existsSync(join(w.ws, '.weft-branches')));
  } finally {
    w.t.cleanup();
  }
  const v = svnWorkspace();
  try {
    assert.is((await v.run('up')).code, 0);
    writeFileSync(join(v.ws, 'docs', 'README'), 'mine\n');
    const r = await v.run('switch', 'docs', 'b1', '--create', '--in-place');
    assert.is(r.code, 1);
    assert.match(r.stderr, /WEFT_E_SWITCH_DIRTY/);
    assert.is(readFileSync(join(v.ws, 'docs', 'README'), 'utf8'), 'mine\n');
    assert.is(v.svnInfo(join(v.ws, 'docs')), v.repo.trunk);
  } finally {
    v.t.cleanup();
  }
});

test('weft switch refuses an svn branch name with a slash, which would name a directory inside another branch, and commits nothing', async () => {
  const w = svnWorkspace();
  try {
    assert.is((await w.run('up')).code, 0);
    assert.is((await w.run('switch', 'docs', 'b1', '--create')).code, 0);
    assert.is((await w.run('switch', 'docs')).code, 0);
    const youngest = () => execFileSync('svnlook', ['youngest', w.repo.repoDir], { env: w.env, encoding: 'utf8' }).trim();
    const before = youngest();
    for (const args of [['b1/x', '--create'], ['b1/x', '--create', '--in-place'], ['b1/sub'], ['b1/sub', '--in-place']]) {
      const r = await w.run('switch', 'docs', ...args);
      assert.is(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, 'WEFT_E_USAGE_BRANCH');
      assert.match(r.stderr, 'inside branch b1');
      assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
    }
    assert.is(youngest(), before, 'nothing committed to the repository');
    assert.not.ok(existsSync(join(w.ws, '.weft-branches', 'docs', 'b1', 'x')));
    assert.is(w.svnInfo(join(w.ws, 'docs')), w.repo.trunk);
    assert.is((await w.run('which', 'docs')).stdout, join(w.ws, 'docs') + '\n');
  } finally {
    w.t.cleanup();
  }
});

test('weft switch on an hg source updates in place only, and says so without --in-place', async () => {
  const t = tempDir('weft-switch-hg-');
  try {
    const env = isolatedEnv(t.dir);
    const repo = makeHgRepo(join(t.dir, 'hg-up'), env);
    repo.commit({ 'README': 'default\n' });
    repo.branch('stable');
    repo.commit({ 'README': 'stable\n' });
    repo.update('default');
    const ws = join(t.dir, 'ws');
    execFileSync('mkdir', ['-p', ws]);
    writeFileSync(join(ws, 'weft.yaml'), `sources:\n  lib:\n    hg: ${repo.path}\n    ref: default\n`);
    const run = (...args: string[]) => weft(args, { cwd: ws, env });
    assert.is((await run('up')).code, 0);
    const refused = await run('switch', 'lib', 'stable');
    assert.is(refused.code, 1);
    assert.match(refused.stderr, /WEFT_E_SWITCH_HG/);
    assert.match(refused.stderr, /--in-place/);
    // Untracked work in the way: refused, saying what is there and nothing that is not.
    writeFileSync(join(ws, 'lib', 'notes.txt'), 'mine\n');
    const dirty = await run('switch', 'lib', 'stable', '--in-place');
    assert.is(dirty.code, 1);
    assert.match(dirty.stderr, /WEFT_E_SWITCH_DIRTY/);
    assert.match(dirty.stderr, /refused to update \S+: 1 untracked file\n/);
    assert.is(readFileSync(join(ws, 'lib', 'README'), 'utf8'), 'default\n');
    rmSync(join(ws, 'lib', 'notes.txt'));
    const hgNode = () => execFileSync('hg', ['log', '-R', join(ws, 'lib'), '-r', '.', '--template', '{node}'], { env, encoding: 'utf8' });
    const defaultNode = hgNode();
    assert.is(await foreachCommit(run), `${join(ws, 'lib')}|${defaultNode}`);
    const r = await run('switch', 'lib', 'stable', '--in-place');
    assert.is(r.code, 0, r.stderr);
    assert.is(readFileSync(join(ws, 'lib', 'README'), 'utf8'), 'stable\n');
    const stableNode = hgNode();
    assert.is.not(stableNode, defaultNode);
    assert.is(await foreachCommit(run, true), `${join(ws, 'lib')}|${stableNode}|stable`, 'the changeset and named branch checked out now');
    // weft up leaves it alone, shows what is checked out there, and keeps the lock's changeset.
    const lockBefore = readFileSync(join(ws, 'weft.lock'), 'utf8');
    assert.match(lockBefore, new RegExp(`revision: ${defaultNode}`));
    const held = await run('up');
    assert.is(held.code, 0, held.stderr);
    assert.match(held.stdout, new RegExp(`= lib +unchanged +${stableNode.slice(0, 12)} \\(stable\\)`));
    assert.match(held.stdout, /switched in place to stable; left as is/);
    assert.is(readFileSync(join(ws, 'weft.lock'), 'utf8'), lockBefore);
    assert.is((await run('which')).stdout, `lib  stable  ${join(ws, 'lib')}\n`);
    const back = await run('switch', 'lib');
    assert.is(back.code, 0, back.stderr);
    assert.is(readFileSync(join(ws, 'lib', 'README'), 'utf8'), 'default\n');
    assert.is(await foreachCommit(run), `${join(ws, 'lib')}|${defaultNode}`);
  } finally {
    t.cleanup();
  }
});

test.run();
