// A warm checkout's work tree and index written in node (checkout-fs.ts) must be exactly
// what git's checkout writes, from packs with either kind of delta; anything outside the
// plain case (attributes, symlinks, odd names, a user's autocrlf) is still git's job.
import { chmodSync, lstatSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkoutInNode } from '../../src/fetch/git/checkout-fs.js';
import { materialize } from '../../src/fetch/git/materialize.js';
import { up } from '../../src/fetch/index.js';
import { git, gitSandbox, gitSource, makePlan, makeUpstream, type GitSandbox, type Upstream } from '../helpers/git-repo.js';

let sb: GitSandbox;
let upstream: Upstream;
test.before.each(() => {
  sb = gitSandbox();
  upstream = makeUpstream(sb, 'lib');
  // History with small edits to big files, so repacking stores deltas.
  const big = (n: number) => Array.from({ length: 400 }, (_, i) => `line ${i} ${i === n ? 'edited' : ''}\n`).join('');
  for (let n = 0; n < 12; n++) upstream.commit(`edit ${n}`, { 'src/big.txt': big(n), 'docs/deep/er/note.md': `note ${n}\n`, '.hidden': `h${n}\n` });
  writeFileSync(join(upstream.dir, 'run.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(upstream.dir, 'run.sh'), 0o755);
  upstream.commit('script', { 'z-last': 'z\n' });
});
test.after.each(() => sb.cleanup());

const files = (dir: string) => git(sb, dir, 'ls-files', '-s').split('\n');

async function twoWorkspaces(): Promise<{ cold: string; warm: string }> {
  const plan = (name: string) => makePlan(sb.workspace, [gitSource(sb, name, { url: upstream.dir, ref: 'main' })]);
  const [a] = await up(plan('cold'), { env: sb.env, cacheDir: sb.cache });
  const [b] = await up(plan('warm'), { env: sb.env, cacheDir: sb.cache });
  assert.is(a!.status, 'cloned', a!.message);
  assert.is(b!.status, 'cloned', b!.message);
  return { cold: join(sb.workspace, 'cold'), warm: join(sb.workspace, 'warm') };
}

for (const [kind, offsets] of [['offset', 'true'], ['ref', 'false']] as const) {
  test(`a checkout written from ${kind} deltas matches git's: files, exec bit, index, clean status`, async () => {
    git(sb, upstream.dir, '-c', `repack.useDeltaBaseOffset=${offsets}`, 'repack', '-q', '-a', '-d', '-f', '--depth=50', '--window=50');
    const mirror = join(sb.root, 'mirror.git');
    // A local clone links the repacked pack as it is, deltas of the kind asked for.
    git(sb, sb.root, 'clone', '--bare', '--quiet', upstream.dir, mirror);
    const dir = join(sb.root, 'co');
    // An old commit: git keeps the newest version of a file whole and older ones as deltas.
    const old = upstream.rev('HEAD~6');
    assert.ok(await materialize(dir, mirror, upstream.dir, { commit: old }));
    assert.ok(await checkoutInNode(dir, join(dir, '.git'), old), 'the plain case is written in node');
    const tree = git(sb, upstream.dir, 'ls-tree', '-r', old).split('\n').map((l) => l.replace(/^(\d+) blob (\w+)\t/, '$1 $2 0\t'));
    assert.equal(files(dir), tree);
    assert.is(git(sb, dir, 'hash-object', 'src/big.txt'), git(sb, upstream.dir, 'rev-parse', `${old}:src/big.txt`));
    git(sb, dir, 'checkout', '-q', 'main');
    assert.ok((lstatSync(join(dir, 'run.sh')).mode & 0o100) !== 0, 'run.sh is executable');
    assert.not.ok((lstatSync(join(dir, 'README')).mode & 0o100) !== 0);
    // diff-files trusts the index's stat data: wrong data would list every file.
    assert.is(git(sb, dir, 'diff-files', '--name-only'), '');
    assert.is(git(sb, dir, 'status', '--porcelain'), '');
    git(sb, dir, 'fsck', '--no-progress', '--strict');
  });
}

test('a second workspace on the warm cache is what the first one is', async () => {
  const { cold, warm } = await twoWorkspaces();
  assert.equal(files(warm), files(cold));
  assert.is(git(sb, warm, 'status', '--porcelain'), '');
  assert.is(git(sb, warm, 'rev-parse', '--abbrev-ref', 'main@{upstream}'), 'origin/main');
});

test('.gitattributes, symlinks and names git treats specially are left to git', async () => {
  writeFileSync(join(upstream.dir, '.gitattributes'), '*.txt text eol=crlf\n');
  symlinkSync('README', join(upstream.dir, 'link'));
  upstream.commit('attrs', { 'a.txt': 'one\ntwo\n' });
  const dir = join(sb.root, 'co');
  const mirror = join(sb.root, 'mirror.git');
  git(sb, sb.root, 'clone', '--bare', '--quiet', upstream.dir, mirror);
  const head = upstream.rev('HEAD');
  assert.ok(await materialize(dir, mirror, upstream.dir, { branch: 'main', commit: head }));
  assert.not.ok(await checkoutInNode(dir, join(dir, '.git'), head));
  assert.equal(git(sb, dir, 'ls-files'), '', 'nothing was written');
  const { warm } = await twoWorkspaces();
  assert.is(readFileSync(join(warm, 'a.txt'), 'utf8'), 'one\r\ntwo\r\n', "git's checkout applied the attributes");
  assert.ok(lstatSync(join(warm, 'link')).isSymbolicLink());
  assert.is(git(sb, warm, 'status', '--porcelain'), '');
});

test("a user's core.autocrlf=true sends the checkout to git", async () => {
  git(sb, sb.root, 'config', '--global', 'core.autocrlf', 'true');
  const { warm } = await twoWorkspaces();
  assert.is(readFileSync(join(warm, 'README'), 'utf8'), 'lib 1\r\n');
  assert.is(git(sb, warm, 'status', '--porcelain'), '');
});

test.run();
