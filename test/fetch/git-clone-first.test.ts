// A source not yet in the cache is cloned straight into the checkout and the cache's
// mirror is built from that clone (clone-first.ts): the mirror must be one git (and
// weft's later runs) take for a bare clone of the remote.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mirrorPath, up } from '../../src/fetch/index.js';
import { git, gitSandbox, gitSource, makePlan, richUpstream, type GitSandbox } from '../helpers/git-repo.js';

let sb: GitSandbox;
let upstream: ReturnType<typeof richUpstream>;
test.before.each(() => {
  sb = gitSandbox();
  upstream = richUpstream(sb, 'lib');
});
test.after.each(() => sb.cleanup());

const opts = () => ({ env: sb.env, cacheDir: sb.cache });

test('a first clone publishes a whole bare mirror: branches, tags, default HEAD, origin URL', async () => {
  const [c] = await up(makePlan(sb.workspace, [gitSource(sb, 'lib', { url: upstream.dir, ref: 'dev' })]), opts());
  assert.is(c!.status, 'cloned', c!.message);
  const mirror = mirrorPath(sb.cache, upstream.dir);
  assert.is(git(sb, mirror, 'rev-parse', '--is-bare-repository'), 'true');
  git(sb, mirror, 'fsck', '--no-progress', '--strict');
  assert.equal(git(sb, mirror, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/').split('\n').sort(), [
    `refs/heads/dev ${upstream.d1}`,
    `refs/heads/main ${upstream.c3}`,
  ]);
  assert.is(git(sb, mirror, 'rev-parse', 'v2^{commit}'), upstream.c2);
  assert.is(git(sb, mirror, 'symbolic-ref', 'HEAD'), 'refs/heads/main');
  assert.is(git(sb, mirror, 'config', '--get', 'remote.origin.url'), upstream.dir);
  const dir = join(sb.workspace, 'lib');
  assert.is(git(sb, dir, 'rev-parse', '--abbrev-ref', 'dev@{upstream}'), 'origin/dev');
  assert.is(git(sb, dir, 'status', '--porcelain'), '');
  const packs = join(mirror, 'objects', 'pack');
  assert.ok(readdirSync(packs).filter((f) => f.endsWith('.pack')).every((f) => statSync(join(packs, f)).nlink > 1), 'objects are shared, not copied');
});

test('the built mirror serves the next workspace and follows the remote when it moves', async () => {
  await up(makePlan(sb.workspace, [gitSource(sb, 'a', { url: upstream.dir, ref: 'main' })]), opts());
  const c4 = upstream.commit('fourth', { README: 'lib 4\n' });
  const [b] = await up(makePlan(sb.workspace, [gitSource(sb, 'b', { url: upstream.dir, ref: 'main' })]), opts());
  assert.is(b!.status, 'cloned', b!.message);
  assert.is(b!.revision, c4);
  assert.is(git(sb, mirrorPath(sb.cache, upstream.dir), 'rev-parse', 'refs/heads/main'), c4);
});

test('an abbreviated commit, which git cannot clone by name, still checks out', async () => {
  const [c] = await up(makePlan(sb.workspace, [gitSource(sb, 'lib', { url: upstream.dir, ref: upstream.c2.slice(0, 10) })]), opts());
  assert.is(c!.status, 'cloned', c!.message);
  assert.is(c!.revision, upstream.c2);
  assert.equal(readdirSync(sb.workspace).filter((f) => f.includes('weft-tmp')), []);
});

test('a locked commit behind the branch tip is checked out on the branch, tracking origin', async () => {
  const [c] = await up(makePlan(sb.workspace, [gitSource(sb, 'lib', { url: upstream.dir, ref: 'main', commit: upstream.c2 })]), opts());
  assert.is(c!.status, 'cloned', c!.message);
  assert.is(c!.revision, upstream.c2);
  assert.is(c!.branch, 'main');
  const dir = join(sb.workspace, 'lib');
  assert.is(git(sb, dir, 'rev-parse', '--abbrev-ref', 'main@{upstream}'), 'origin/main');
  assert.is(git(sb, dir, 'status', '--porcelain'), '');
});

test.run();
