import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../helpers/git-repo.js';
import { branchWorkspace } from '../helpers/branch-workspace.js';

test('weft merge merges the active branch into the main checkout without committing and makes it active again', async () => {
  const w = await branchWorkspace();
  try {
    const main = join(w.ws, 'lib');
    const head = git(w.sb, main, 'rev-parse', 'HEAD');
    assert.is((await w.run('switch', 'lib', 'feature')).code, 0);
    const wt = join(w.ws, '.weft-branches', 'lib', 'feature');
    writeFileSync(join(wt, 'more.txt'), 'more\n');
    git(w.sb, wt, 'add', 'more.txt');
    git(w.sb, wt, 'commit', '--quiet', '-m', 'more');
    writeFileSync(join(wt, 'feature.txt'), 'not committed\n');

    const r = await w.run('merge', 'lib');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /merged feature into main .*not committed/);
    assert.match(r.stdout, /not part of the merge, left in .*uncommitted changes/);
    assert.is(git(w.sb, main, 'rev-parse', 'HEAD'), head, 'nothing committed');
    assert.ok(existsSync(join(main, '.git', 'MERGE_HEAD')));
    assert.equal(git(w.sb, main, 'diff', '--cached', '--name-only').split('\n').sort(), ['feature.txt', 'more.txt']);
    assert.is(readFileSync(join(main, 'feature.txt'), 'utf8'), 'feature\n');
    assert.is(readFileSync(join(wt, 'feature.txt'), 'utf8'), 'not committed\n', 'the branch checkout keeps its edit');
    assert.is((await w.run('which', 'lib')).stdout, main + '\n');
    assert.ok((JSON.parse((await w.run('env', '--json')).stdout).vars.PATH as string).startsWith(join(main, 'bin')));
  } finally {
    w.cleanup();
  }
});

test('weft merge with conflicts leaves the merge in progress, says how to finish or abort, and exits 1', async () => {
  const w = await branchWorkspace();
  try {
    const main = join(w.ws, 'lib');
    assert.is((await w.run('switch', 'lib', 'feature')).code, 0);
    const wt = join(w.ws, '.weft-branches', 'lib', 'feature');
    writeFileSync(join(wt, 'README'), 'branch says\n');
    git(w.sb, wt, 'commit', '--quiet', '-am', 'branch readme');
    writeFileSync(join(main, 'README'), 'main says\n');
    git(w.sb, main, 'commit', '--quiet', '-am', 'main readme');

    const r = await w.run('merge', 'lib');
    assert.is(r.code, 1);
    assert.match(r.stderr, /conflicts in: README/);
    assert.match(r.stderr, /git merge --abort/);
    assert.match(r.stderr, /git commit/);
    assert.ok(existsSync(join(main, '.git', 'MERGE_HEAD')), 'the merge is left for the user');
    assert.match(readFileSync(join(main, 'README'), 'utf8'), /<<<<<<<[\s\S]*main says[\s\S]*branch says/);
    assert.is((await w.run('which', 'lib')).stdout, main + '\n');
  } finally {
    w.cleanup();
  }
});

test('weft merge is refused when the main checkout is dirty, and nothing changes', async () => {
  const w = await branchWorkspace();
  try {
    const main = join(w.ws, 'lib');
    assert.is((await w.run('switch', 'lib', 'feature')).code, 0);
    writeFileSync(join(main, 'README'), 'mine\n');
    const head = git(w.sb, main, 'rev-parse', 'HEAD');
    const before = readFileSync(join(w.ws, '.weft', 'state.json'), 'utf8');
    const r = await w.run('merge', 'lib');
    assert.is(r.code, 1);
    assert.match(r.stderr, /WEFT_E_MERGE_DIRTY/);
    assert.match(r.stderr, /uncommitted changes/);
    assert.is(readFileSync(join(main, 'README'), 'utf8'), 'mine\n');
    assert.is(git(w.sb, main, 'rev-parse', 'HEAD'), head);
    assert.not.ok(existsSync(join(main, '.git', 'MERGE_HEAD')));
    assert.is(readFileSync(join(w.ws, '.weft', 'state.json'), 'utf8'), before, 'the branch stays active');
  } finally {
    w.cleanup();
  }
});

test('weft merge without an active branch says there is nothing to merge', async () => {
  const w = await branchWorkspace();
  try {
    const r = await w.run('merge', 'lib');
    assert.is(r.code, 1);
    assert.match(r.stderr, /WEFT_E_MERGE_NO_BRANCH/);
    assert.match(r.stderr, /weft switch lib BRANCH/);
  } finally {
    w.cleanup();
  }
});

test('weft merge after --in-place returns the main checkout to the manifest branch first, then merges', async () => {
  const w = await branchWorkspace();
  try {
    const main = join(w.ws, 'lib');
    assert.is((await w.run('switch', 'lib', 'feature', '--in-place')).code, 0);
    const r = await w.run('merge', 'lib');
    assert.is(r.code, 0, r.stderr);
    assert.is(git(w.sb, main, 'symbolic-ref', '--short', 'HEAD'), 'main');
    assert.ok(existsSync(join(main, '.git', 'MERGE_HEAD')));
    assert.is(JSON.parse(readFileSync(join(w.ws, '.weft', 'state.json'), 'utf8')).sources.lib.inPlace, undefined);
  } finally {
    w.cleanup();
  }
});

test('weft merge after --in-place on a manifest ref that is not a branch is refused before anything moves', async () => {
  const w = await branchWorkspace();
  try {
    const main = join(w.ws, 'lib');
    w.upstreams['lib']!.tag('v1');
    writeFileSync(join(w.ws, 'weft.yaml'), readFileSync(join(w.ws, 'weft.yaml'), 'utf8').replace('ref: main', 'ref: v1'));
    assert.is((await w.run('up')).code, 0);
    assert.is((await w.run('switch', 'lib', 'topic', '--create', '--in-place')).code, 0);
    writeFileSync(join(main, 'topic.txt'), 'topic\n');
    git(w.sb, main, 'add', 'topic.txt');
    git(w.sb, main, 'commit', '--quiet', '-m', 'topic');
    const head = git(w.sb, main, 'rev-parse', 'HEAD');
    const before = readFileSync(join(w.ws, '.weft', 'state.json'), 'utf8');
    const r = await w.run('merge', 'lib');
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, 'WEFT_E_MERGE_DETACHED');
    assert.match(r.stderr, 'nothing was changed');
    assert.is(git(w.sb, main, 'symbolic-ref', '--short', 'HEAD'), 'topic', 'the main checkout stays on the branch');
    assert.is(git(w.sb, main, 'rev-parse', 'HEAD'), head);
    assert.is(readFileSync(join(w.ws, '.weft', 'state.json'), 'utf8'), before, 'the branch stays active');
  } finally {
    w.cleanup();
  }
});

test.run();
