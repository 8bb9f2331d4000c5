import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { up } from '../../src/fetch/index.js';
import { git, gitSandbox, gitSource, makePlan, makeUpstream, type GitSandbox } from '../helpers/git-repo.js';

let sb: GitSandbox;
test.before.each(() => {
  sb = gitSandbox();
});
test.after.each(() => sb.cleanup());

function withSubmodule() {
  const sub = makeUpstream(sb, 'sub');
  const top = makeUpstream(sb, 'top');
  git(sb, top.dir, '-c', 'protocol.file.allow=always', 'submodule', 'add', '--quiet', sub.dir, 'vendor/sub');
  git(sb, top.dir, 'commit', '--quiet', '-m', 'add sub');
  return top;
}

test('submodules are fetched only when the source asks for them', async () => {
  const top = withSubmodule();
  const plan = makePlan(sb.workspace, [
    gitSource(sb, 'plain', { url: top.dir }),
    gitSource(sb, 'full', { url: top.dir, submodules: true }),
  ]);
  const [plain, full] = await up(plan, { env: sb.env, cacheDir: sb.cache });
  assert.is(plain!.status, 'cloned', plain!.message);
  assert.is(full!.status, 'cloned', full!.message);
  assert.not.ok(existsSync(join(sb.workspace, 'plain', 'vendor', 'sub', 'README')));
  assert.is(readFileSync(join(sb.workspace, 'full', 'vendor', 'sub', 'README'), 'utf8'), 'sub 1\n');
  assert.is(git(sb, join(sb.workspace, 'full'), 'status', '--porcelain'), '');
});

test('a checkout made offline, its submodules not updated, gets them from the next weft up with the network', async () => {
  const top = withSubmodule();
  const commit = top.rev('HEAD');
  const warm = await up(makePlan(sb.workspace, [gitSource(sb, 'warm', { url: top.dir })]), { env: sb.env, cacheDir: sb.cache });
  assert.is(warm[0]!.status, 'cloned', warm[0]!.message);
  // Pinned to a commit, as a lock or a bundle pins it: the no-op check answers for it.
  const plan = makePlan(sb.workspace, [gitSource(sb, 'full', { url: top.dir, ref: commit, submodules: true })]);
  const [offline] = await up(plan, { env: sb.env, cacheDir: sb.cache, offline: true });
  assert.is(offline!.status, 'cloned', offline!.message);
  assert.match(offline!.message ?? '', /offline: submodules not updated/);
  assert.not.ok(existsSync(join(sb.workspace, 'full', 'vendor', 'sub', 'README')));
  const [online] = await up(plan, { env: sb.env, cacheDir: sb.cache });
  assert.is(online!.status, 'unchanged', online!.message);
  assert.is(readFileSync(join(sb.workspace, 'full', 'vendor', 'sub', 'README'), 'utf8'), 'sub 1\n');
  assert.is(git(sb, join(sb.workspace, 'full'), 'rev-parse', 'HEAD'), commit);
});

test('a .gitmodules entry with no directory in the tree does not make a pinned checkout look changed', async () => {
  const top = withSubmodule();
  top.commit('a stale entry', { '.gitmodules': `${readFileSync(join(top.dir, '.gitmodules'), 'utf8')}[submodule "gone"]\n\tpath = gone\n\turl = ${top.dir}\n` });
  const plan = makePlan(sb.workspace, [gitSource(sb, 'full', { url: top.dir, ref: top.rev('HEAD'), submodules: true })]);
  const [first] = await up(plan, { env: sb.env, cacheDir: sb.cache });
  assert.is(first!.status, 'cloned', first!.message);
  // Offline and with nothing to do, it is answered from the files: no fetch, no failure.
  const [again] = await up(plan, { env: sb.env, cacheDir: sb.cache, offline: true });
  assert.is(again!.status, 'unchanged', again!.message);
  assert.is(again!.message, undefined);
});

test.run();
