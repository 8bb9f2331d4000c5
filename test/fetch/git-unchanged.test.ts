// The no-op answer from disk (git/fast.ts unchangedCheckout, used by pickFetcher before the
// full git fetcher loads) must say exactly what the full fetcher says for a checkout already
// in place, and must decline — leaving the decision to the full fetcher — whenever the
// checkout is not exactly where the plan pins it.
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaults } from '../../src/defaults.js';
import type { FetcherContext } from '../../src/fetch/fetcher.js';
import { unchangedCheckout } from '../../src/fetch/git/fast.js';
import { fetchGit } from '../../src/fetch/git/index.js';
import { createGit } from '../../src/fetch/git/run.js';
import { pickFetcher, up } from '../../src/fetch/index.js';
import type { Checkout, GitSource } from '../../src/types.js';
import { git, gitSandbox, gitSource, makePlan, richUpstream, type GitSandbox } from '../helpers/git-repo.js';

let sb: GitSandbox;
let upstream: ReturnType<typeof richUpstream>;
test.before.each(() => {
  sb = gitSandbox();
  upstream = richUpstream(sb, 'lib');
});
test.after.each(() => sb.cleanup());

const ctx = (): FetcherContext => ({ cacheDir: sb.cache, env: sb.env, offline: true, force: false, report: () => {}, defaults });
const quick = (s: GitSource) => unchangedCheckout(s, () => createGit(ctx()));
const strip = (c: Checkout | undefined) => c && { ...c, durationMs: undefined };

async function checkedOut(...sources: GitSource[]): Promise<void> {
  const done = await up(makePlan(sb.workspace, sources), { env: sb.env, cacheDir: sb.cache });
  assert.ok(done.every((c) => c.status === 'cloned'), done.map((c) => c.message).join('; '));
}

test('for pinned commits, tags (plain and annotated) and locked branches it answers exactly as the full fetcher', async () => {
  const sources = [
    gitSource(sb, 'pinned', { url: upstream.dir, ref: upstream.c1 }),
    gitSource(sb, 'light', { url: upstream.dir, ref: 'v1' }),
    gitSource(sb, 'tagged', { url: upstream.dir, ref: 'v2' }),
    gitSource(sb, 'locked', { url: upstream.dir, ref: 'dev', commit: upstream.d1 }),
    gitSource(sb, 'default', { url: upstream.dir, commit: upstream.c3 }),
  ];
  await checkedOut(...sources);
  // The upstream gone: neither answer may need it.
  renameSync(upstream.dir, upstream.dir + '.gone');
  for (const s of sources) {
    const fast = await quick(s);
    assert.ok(fast, `${s.name}: answered from disk`);
    assert.equal(strip(fast), strip(await fetchGit(s, ctx(), undefined)), s.name);
    assert.equal(strip(await pickFetcher('git')(s, ctx(), undefined)), strip(fast), s.name);
  }
});

test('uncommitted changes at the pinned commit are "unchanged" both ways, and are kept', async () => {
  const s = gitSource(sb, 'lib', { url: upstream.dir, ref: 'v2' });
  await checkedOut(s);
  writeFileSync(join(s.dir, 'README'), 'my edit\n');
  writeFileSync(join(s.dir, 'new.txt'), 'untracked\n');
  const fast = await quick(s);
  assert.is(fast?.status, 'unchanged');
  assert.equal(strip(fast), strip(await fetchGit(s, ctx(), undefined)));
  assert.match(git(sb, s.dir, 'status', '--porcelain'), /README/);
});

test('a moved HEAD, a branch made at the pinned commit, or a floating branch are left to the full fetcher', async () => {
  const s = gitSource(sb, 'lib', { url: upstream.dir, ref: upstream.c2 });
  await checkedOut(s);
  git(sb, s.dir, 'checkout', '-q', '--detach', upstream.c1);
  assert.is(await quick(s), undefined, 'moved HEAD');
  git(sb, s.dir, 'checkout', '-q', upstream.c2);
  assert.ok(await quick(s), 'back where pinned');
  git(sb, s.dir, 'switch', '-q', '-c', 'mine');
  assert.is(await quick(s), undefined, 'on a branch');
  assert.is(await quick({ ...s, ref: 'main' }), undefined, 'floating branch, no lock');
});

test('a checkout of another repository, a symlinked directory, a non-checkout or unsafe input are left to the full fetcher, which refuses them', async () => {
  const s = gitSource(sb, 'lib', { url: upstream.dir, ref: 'v1' });
  await checkedOut(s);

  git(sb, s.dir, 'remote', 'set-url', 'origin', join(sb.root, 'elsewhere.git'));
  assert.is(await quick(s), undefined, 'other origin');
  assert.is((await pickFetcher('git')(s, ctx(), undefined)).code, 'WEFT_E_GIT_OTHER_REPO');
  git(sb, s.dir, 'remote', 'set-url', 'origin', upstream.dir);

  const linked = gitSource(sb, 'linked', { url: upstream.dir, ref: 'v1' });
  symlinkSync(s.dir, linked.dir);
  assert.is(await quick(linked), undefined, 'symlink');
  assert.is((await pickFetcher('git')(linked, ctx(), undefined)).code, 'WEFT_E_GIT_NOT_CHECKOUT');

  const plain = gitSource(sb, 'plain', { url: upstream.dir, ref: 'v1' });
  mkdirSync(plain.dir);
  writeFileSync(join(plain.dir, 'file'), 'x\n');
  assert.is(await quick(plain), undefined, 'not a checkout');
  assert.is((await pickFetcher('git')(plain, ctx(), undefined)).code, 'WEFT_E_GIT_NOT_CHECKOUT');

  const unsafe = { ...s, ref: '-v1' };
  assert.is(await quick(unsafe), undefined, 'unsafe ref');
  assert.is((await pickFetcher('git')(unsafe, ctx(), undefined)).code, 'WEFT_E_GIT_UNSAFE_REF');
});

test('a loose annotated tag is peeled by git, which the no-op answer loads only then', async () => {
  const s = gitSource(sb, 'lib', { url: upstream.dir, ref: 'v9' });
  git(sb, upstream.dir, 'tag', '-a', 'v9', '-m', 'nine', upstream.c2);
  await checkedOut(s);
  // Re-made in the checkout as a loose tag object: no peeled line in packed-refs to read.
  git(sb, s.dir, 'tag', '-d', 'v9');
  git(sb, s.dir, 'tag', '-a', 'v9', '-m', 'nine again', upstream.c2);
  const viaPick = await pickFetcher('git')(s, ctx(), undefined);
  assert.is(viaPick.status, 'unchanged', viaPick.message);
  assert.is(viaPick.revision, upstream.c2);
  assert.equal(strip(viaPick), strip(await fetchGit(s, ctx(), undefined)));
});

test.run();
