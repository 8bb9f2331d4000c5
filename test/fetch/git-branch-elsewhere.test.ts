// The manifest's branch checked out in another worktree of the checkout (the one
// `weft switch` made for it): weft up must not move that branch under the other worktree's
// files, nor check it out a second time; the main checkout is skipped and left as it was.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { up } from '../../src/fetch/index.js';
import { git, gitSandbox, gitSource, makePlan, richUpstream, type GitSandbox } from '../helpers/git-repo.js';

let sb: GitSandbox;
let upstream: ReturnType<typeof richUpstream>;
let dir: string;
let wt: string;
test.before.each(async () => {
  sb = gitSandbox();
  upstream = richUpstream(sb, 'lib');
  dir = join(sb.workspace, 'lib');
  wt = join(sb.workspace, '.weft-branches', 'lib', 'dev');
  await up(planAt('main'), opts());
  git(sb, dir, 'worktree', 'add', '--quiet', '--track', '-b', 'dev', wt, 'origin/dev');
});
test.after.each(() => sb.cleanup());

const opts = (more: object = {}) => ({ env: sb.env, cacheDir: sb.cache, ...more });
const planAt = (ref: string) => makePlan(sb.workspace, [gitSource(sb, 'lib', { url: upstream.dir, ref })]);

test('a branch that moved upstream is not moved under the worktree that has it checked out, even with --force', async () => {
  writeFileSync(join(wt, 'dev.txt'), 'my edit\n');
  upstream.checkout('dev');
  upstream.commit('dev moves on', { 'more.txt': 'more\n' });
  upstream.checkout('main');
  for (const force of [false, true]) {
    const [c] = await up(planAt('dev'), opts({ force }));
    assert.is(c!.status, 'skipped', c!.message);
    assert.match(c!.message!, `dev is checked out in ${wt}`);
    assert.match(c!.message!, `git worktree remove ${wt}`);
    assert.is(git(sb, wt, 'rev-parse', 'dev'), upstream.d1, 'the branch stays where its worktree has it');
    assert.is(git(sb, wt, 'status', '--porcelain'), 'M dev.txt', 'the worktree holds only the user\'s edit');
    assert.is(readFileSync(join(wt, 'dev.txt'), 'utf8'), 'my edit\n');
    assert.is(git(sb, dir, 'symbolic-ref', '--short', 'HEAD'), 'main', 'the main checkout is left as it was');
    assert.is(git(sb, dir, 'rev-parse', 'HEAD'), upstream.c3);
  }
});

test('a branch that would not move is not checked out a second time in the main checkout', async () => {
  const [c] = await up(planAt('dev'), opts());
  assert.is(c!.status, 'skipped', c!.message);
  assert.match(c!.message!, `dev is checked out in ${wt}`);
  assert.is(git(sb, dir, 'symbolic-ref', '--short', 'HEAD'), 'main');
});

test('once that worktree is removed, weft up moves the main checkout to the branch', async () => {
  git(sb, dir, 'worktree', 'remove', wt);
  const [c] = await up(planAt('dev'), opts());
  assert.is(c!.status, 'updated', c!.message);
  assert.is(git(sb, dir, 'symbolic-ref', '--short', 'HEAD'), 'dev');
});

test.run();
