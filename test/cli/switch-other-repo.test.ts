// A main checkout the user replaced with a clone of another repository is one `weft up`
// refuses (WEFT_E_GIT_OTHER_REPO); weft switch and weft merge must not work from it either.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { git, makeUpstream } from '../helpers/git-repo.js';
import { branchWorkspace } from '../helpers/branch-workspace.js';
import type { StatusWorkspace } from '../helpers/status-workspace.js';

const stateOf = (ws: string) => readFileSync(join(ws, '.weft', 'state.json'), 'utf8');

/** lib's main checkout moved away, and a clone of another repository (with a feature branch) put in its place. */
function replaceWithOtherClone(w: StatusWorkspace) {
  const other = makeUpstream(w.sb, 'other');
  other.checkout('feature', true);
  other.commit('other feature', { 'other.txt': 'other\n' });
  other.checkout('main');
  const main = join(w.ws, 'lib');
  renameSync(main, join(w.sb.root, 'lib-moved-away'));
  git(w.sb, w.ws, 'clone', '--quiet', other.dir, 'lib');
  return { other, main };
}

test('weft switch refuses a main checkout that is a clone of another repository, says so, and makes no branch checkout', async () => {
  const w = await branchWorkspace();
  try {
    const { other, main } = replaceWithOtherClone(w);
    const before = stateOf(w.ws);

    const r = await w.run('switch', 'lib', 'feature');
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, 'WEFT_E_SWITCH_OTHER_REPO');
    assert.match(r.stderr, `checkout of another repository: origin is ${other.dir}, the manifest names ${w.upstreams['lib']!.dir}`);
    assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
    assert.not.ok(existsSync(join(w.ws, '.weft-branches')), 'no worktree of the other repository');
    assert.is(stateOf(w.ws), before);
    assert.is(git(w.sb, main, 'branch', '--list', 'feature'), '', 'nothing made in the other repository');
    assert.is((await w.run('which', 'lib')).stdout, main + '\n');
  } finally {
    w.cleanup();
  }
});

test('weft switch on a main checkout replaced by a repository with no origin names that, not a failed fetch', async () => {
  const w = await branchWorkspace();
  try {
    const main = join(w.ws, 'lib');
    renameSync(main, join(w.sb.root, 'lib-moved-away'));
    git(w.sb, w.ws, 'init', '--quiet', 'lib');
    git(w.sb, main, 'commit', '--quiet', '--allow-empty', '-m', 'mine');

    const r = await w.run('switch', 'lib', 'feature');
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, 'WEFT_E_SWITCH_OTHER_REPO');
    assert.match(r.stderr, 'origin is not set');
    assert.not.match(r.stderr, 'WEFT_E_SWITCH_FETCH');
  } finally {
    w.cleanup();
  }
});

test('weft merge refuses to merge into a main checkout that is a clone of another repository, and merges nothing', async () => {
  const w = await branchWorkspace();
  try {
    assert.is((await w.run('switch', 'lib', 'feature')).code, 0);
    const { main } = replaceWithOtherClone(w);
    git(w.sb, main, 'branch', '--quiet', 'feature', 'origin/feature');
    const before = stateOf(w.ws);

    const r = await w.run('merge', 'lib');
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, 'WEFT_E_SWITCH_OTHER_REPO');
    assert.not.ok(existsSync(join(main, '.git', 'MERGE_HEAD')), 'nothing merged');
    assert.not.ok(existsSync(join(main, 'other.txt')));
    assert.is(stateOf(w.ws), before, 'the branch stays active');
  } finally {
    w.cleanup();
  }
});

test.run();
