import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { up, type FetchEvent } from '../../src/fetch/index.js';
import { git, gitSandbox, gitSource, makePlan, richUpstream, type GitSandbox } from '../helpers/git-repo.js';

let sb: GitSandbox;
let upstream: ReturnType<typeof richUpstream>;
let dir: string;
test.before.each(() => {
  sb = gitSandbox();
  upstream = richUpstream(sb, 'lib');
  dir = join(sb.workspace, 'lib');
});
test.after.each(() => sb.cleanup());

const opts = (more: object = {}) => ({ env: sb.env, cacheDir: sb.cache, ...more });
const planAt = (fields: { ref?: string; commit?: string }) => makePlan(sb.workspace, [gitSource(sb, 'lib', { url: upstream.dir, ...fields })]);

test('a pinned commit the repository does not have fails as WEFT_E_GIT_NO_COMMIT, saying why and what to do', async () => {
  const missing = 'f'.repeat(40);
  const [c] = await up(planAt({ ref: 'main', commit: missing }), opts());
  assert.is(c!.status, 'failed');
  assert.is(c!.code, 'WEFT_E_GIT_NO_COMMIT', c!.message);
  assert.match(c!.message!, `commit ${missing} is not in`);
  assert.match(c!.message!, 'weft update lib');
  assert.not.ok(existsSync(join(sb.workspace, 'lib')), 'no checkout made');
});

test('a re-run with pinned commits and tags is unchanged and needs no upstream at all', async () => {
  const plan = makePlan(sb.workspace, [
    gitSource(sb, 'tagged', { url: upstream.dir, ref: 'v2' }),
    gitSource(sb, 'light', { url: upstream.dir, ref: 'v1' }),
    gitSource(sb, 'pinned', { url: upstream.dir, ref: upstream.c1 }),
    gitSource(sb, 'locked', { url: upstream.dir, ref: 'dev', commit: upstream.d1 }),
  ]);
  const first = await up(plan, opts());
  assert.equal(first.map((c) => c.status), ['cloned', 'cloned', 'cloned', 'cloned'], first.map((c) => c.message).join());
  // The upstream disappears: any fetch would now fail.
  renameSync(upstream.dir, upstream.dir + '.gone');
  const events: FetchEvent[] = [];
  const second = await up(plan, opts({ onEvent: (e: FetchEvent) => events.push(e) }));
  assert.equal(second.map((c) => c.status), ['unchanged', 'unchanged', 'unchanged', 'unchanged'], second.map((c) => c.message).join());
  assert.equal(events.filter((e) => e.phase === 'fetching'), []);
  assert.is(second[3]!.branch, 'dev');
});

test('a re-run on a branch with nothing new upstream is unchanged and writes nothing in the checkout', async () => {
  await up(planAt({ ref: 'main' }), opts());
  const before = readFileSync(join(dir, '.git', 'index'));
  const [c] = await up(planAt({ ref: 'main' }), opts());
  assert.is(c!.status, 'unchanged', c!.message);
  assert.equal(readFileSync(join(dir, '.git', 'index')), before);
});

test('a ref changed in the plan moves the checkout', async () => {
  await up(planAt({ ref: 'v1' }), opts());
  const [c] = await up(planAt({ ref: 'dev' }), opts());
  assert.is(c!.status, 'updated', c!.message);
  assert.is(c!.branch, 'dev');
  assert.is(c!.revision, upstream.d1);
  assert.is(readFileSync(join(dir, 'dev.txt'), 'utf8'), 'dev\n');
  const [d] = await up(planAt({ ref: 'v2' }), opts());
  assert.is(d!.status, 'updated', d!.message);
  assert.is(d!.revision, upstream.c2);
  assert.is(d!.branch, undefined);
});

test('an upstream branch that advanced is fast-forwarded', async () => {
  await up(planAt({ ref: 'main' }), opts());
  const c4 = upstream.commit('fourth', { README: 'lib 4\n' });
  const [c] = await up(planAt({ ref: 'main' }), opts());
  assert.is(c!.status, 'updated', c!.message);
  assert.is(c!.revision, c4);
  assert.is(git(sb, dir, 'rev-parse', 'main'), c4);
  assert.is(git(sb, dir, 'rev-parse', 'origin/main'), c4);
  assert.is(readFileSync(join(dir, 'README'), 'utf8'), 'lib 4\n');
});

test('a locked commit on a branch is checked out on that branch, moved forward without fetching', async () => {
  const [a] = await up(planAt({ ref: 'main', commit: upstream.c2 }), opts());
  assert.is(a!.status, 'cloned', a!.message);
  assert.is(a!.branch, 'main');
  assert.is(a!.revision, upstream.c2);
  renameSync(upstream.dir, upstream.dir + '.gone');
  const [b] = await up(planAt({ ref: 'main', commit: upstream.c3 }), opts());
  assert.is(b!.status, 'updated', b!.message);
  assert.is(git(sb, dir, 'rev-parse', 'main'), upstream.c3);
  // Back to an older lock (`git checkout weft.lock`, a teammate's lock) under a checkout
  // still where weft put it: the commits ahead are upstream's, on origin/main, so nothing
  // is lost by going back to what the lock pins.
  const [c] = await up(planAt({ ref: 'main', commit: upstream.c2 }), opts());
  assert.is(c!.status, 'updated', c!.message);
  assert.is(git(sb, dir, 'rev-parse', 'HEAD'), upstream.c2);
  assert.is(git(sb, dir, 'symbolic-ref', '--short', 'HEAD'), 'main');
  assert.is(git(sb, dir, 'rev-parse', 'origin/main'), upstream.c3, 'upstream\'s newer commit is still there');
  // A checkout the user moved on themselves (git pull there) stays: its files are theirs to work on.
  git(sb, dir, 'merge', '--quiet', '--ff-only', 'origin/main');
  const [p] = await up(planAt({ ref: 'main', commit: upstream.c2 }), opts());
  assert.is(p!.status, 'unchanged', p!.message);
  assert.match(p!.message!, '1 commit(s) ahead of');
  assert.match(p!.message!, 'left as is (weft update lib locks it)');
  assert.is(git(sb, dir, 'rev-parse', 'HEAD'), upstream.c3);
  assert.is((await up(planAt({ ref: 'main', commit: upstream.c2 }), opts()))[0]!.status, 'unchanged', 'and on every run after');
  assert.is(git(sb, dir, 'rev-parse', 'HEAD'), upstream.c3);
  // With a commit of the user's own on top, the branch stays where it is.
  assert.is((await up(planAt({ ref: 'main', commit: upstream.c3 }), opts()))[0]!.status, 'unchanged', 'the lock caught up with it');
  writeFileSync(join(dir, 'mine.txt'), 'mine\n');
  git(sb, dir, 'add', 'mine.txt');
  git(sb, dir, 'commit', '--quiet', '-m', 'mine');
  const mine = git(sb, dir, 'rev-parse', 'HEAD');
  const [d] = await up(planAt({ ref: 'main', commit: upstream.c2 }), opts());
  assert.is(d!.status, 'unchanged', d!.message);
  assert.match(d!.message!, '2 commit(s) ahead of');
  assert.match(d!.message!, '1 of them your own; left as is');
  assert.is(git(sb, dir, 'rev-parse', 'HEAD'), mine);
});

// Each way of having work in the checkout, and how to check it survived.
const work: [string, () => () => void][] = [
  [
    'an uncommitted change',
    () => {
      writeFileSync(join(dir, 'README'), 'my edit\n');
      return () => assert.is(readFileSync(join(dir, 'README'), 'utf8'), 'my edit\n');
    },
  ],
  [
    'a staged change',
    () => {
      writeFileSync(join(dir, 'staged.txt'), 'staged\n');
      git(sb, dir, 'add', 'staged.txt');
      return () => assert.match(git(sb, dir, 'diff', '--cached', '--name-only'), 'staged.txt');
    },
  ],
  [
    'an untracked file',
    () => {
      writeFileSync(join(dir, 'notes.txt'), 'mine\n');
      return () => assert.is(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'mine\n');
    },
  ],
  [
    'a local commit not on any remote',
    () => {
      writeFileSync(join(dir, 'README'), 'committed locally\n');
      git(sb, dir, 'commit', '--quiet', '-am', 'local work');
      const mine = git(sb, dir, 'rev-parse', 'HEAD');
      return () => {
        assert.is(git(sb, dir, 'rev-parse', 'HEAD'), mine);
        assert.is(git(sb, dir, 'rev-parse', 'main'), mine);
      };
    },
  ],
  [
    'a merge in progress',
    () => {
      git(sb, dir, 'checkout', '--quiet', '-b', 'side', upstream.c2);
      writeFileSync(join(dir, 'README'), 'side\n');
      git(sb, dir, 'commit', '--quiet', '-am', 'side');
      git(sb, dir, 'checkout', '--quiet', 'main');
      try {
        git(sb, dir, 'merge', 'side');
      } catch {
        /* the conflict is the point */
      }
      assert.ok(existsSync(join(dir, '.git', 'MERGE_HEAD')));
      return () => assert.ok(existsSync(join(dir, '.git', 'MERGE_HEAD')));
    },
  ],
];

for (const [what, make] of work) {
  test(`${what} makes weft skip the move and leaves the work intact`, async () => {
    await up(planAt({ ref: 'main' }), opts());
    const intact = make();
    const head = git(sb, dir, 'rev-parse', 'HEAD');
    const stash = git(sb, dir, 'stash', 'list');
    upstream.commit('upstream moves on', { 'other.txt': 'x\n' });
    const [c] = await up(planAt({ ref: 'dev' }), opts());
    assert.is(c!.status, 'skipped', c!.message);
    assert.match(c!.message!, '--force');
    intact();
    assert.is(git(sb, dir, 'rev-parse', 'HEAD'), head);
    assert.is(git(sb, dir, 'stash', 'list'), stash);
    assert.is(git(sb, dir, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
  });
}

test('moving a checkout from the cache keeps origin/* refs the cache has not seen (a branch the user pushed from the checkout)', async () => {
  const first = await up(planAt({ ref: upstream.c1 }), opts());
  assert.is(first[0]!.status, 'cloned', first[0]!.message);
  git(sb, dir, 'checkout', '--quiet', '-b', 'feature');
  writeFileSync(join(dir, 'feature.txt'), 'mine\n');
  git(sb, dir, 'add', 'feature.txt');
  git(sb, dir, 'commit', '--quiet', '-m', 'feature');
  git(sb, dir, 'push', '--quiet', 'origin', 'feature');
  const pushed = git(sb, dir, 'rev-parse', 'refs/remotes/origin/feature').trim();
  git(sb, dir, 'checkout', '--quiet', '--detach', upstream.c1);
  // c3 is already in the cache's mirror: the move is a local transfer from a mirror that
  // has never heard of feature, and must not prune the checkout's origin/feature.
  const moved = await up(planAt({ ref: upstream.c3 }), opts({ offline: true }));
  assert.is(moved[0]!.status, 'updated', moved[0]!.message);
  assert.is(git(sb, dir, 'rev-parse', 'HEAD').trim(), upstream.c3);
  assert.is(git(sb, dir, 'rev-parse', 'refs/remotes/origin/feature').trim(), pushed);
});

test('moving a checkout from a cache not fetched this run never moves origin/* back (the user fetched newer commits themselves)', async () => {
  const first = await up(planAt({ ref: upstream.c1 }), opts());
  assert.is(first[0]!.status, 'cloned', first[0]!.message);
  // Upstream moves on; the user fetches it into the checkout, the cache's mirror has not.
  const c4 = upstream.commit('fourth', { README: 'lib 4\n' });
  git(sb, dir, 'fetch', '--quiet', 'origin');
  assert.is(git(sb, dir, 'rev-parse', 'refs/remotes/origin/main').trim(), c4);
  // The lock moves to c2, which the mirror has: a local transfer with no network fetch.
  const moved = await up(planAt({ ref: upstream.c2 }), opts());
  assert.is(moved[0]!.status, 'updated', moved[0]!.message);
  assert.is(git(sb, dir, 'rev-parse', 'HEAD').trim(), upstream.c2);
  assert.is(git(sb, dir, 'rev-parse', 'refs/remotes/origin/main').trim(), c4, 'origin/main went back to the cache\'s older value');
  assert.is(git(sb, dir, 'rev-parse', 'refs/remotes/origin/dev').trim(), upstream.d1);
});

test('a cache fetched this run does update origin/*, even when upstream rewrote a branch', async () => {
  await up(planAt({ ref: 'main' }), opts());
  // Upstream rewrites dev (a force push); the next run fetches the mirror, which is then the truth.
  upstream.checkout('dev');
  git(sb, upstream.dir, 'reset', '--quiet', '--hard', upstream.c3);
  const rewritten = upstream.commit('dev rewritten', { 'dev.txt': 'dev 2\n' });
  upstream.checkout('main');
  // A branch source: the mirror is fetched before the checkout moves.
  const [c] = await up(planAt({ ref: 'dev' }), opts());
  assert.is(c!.status, 'updated', c!.message);
  assert.is(c!.revision, rewritten);
  assert.is(git(sb, dir, 'rev-parse', 'refs/remotes/origin/dev').trim(), rewritten);
});

test('a skipped move is retried on the next run once the work is committed away', async () => {
  await up(planAt({ ref: 'main' }), opts());
  writeFileSync(join(dir, 'README'), 'wip\n');
  const [s] = await up(planAt({ ref: 'v1' }), opts());
  assert.is(s!.status, 'skipped');
  git(sb, dir, 'checkout', '--quiet', '--', 'README');
  const [c] = await up(planAt({ ref: 'v1' }), opts());
  assert.is(c!.status, 'updated', c!.message);
  assert.is(c!.revision, upstream.c1);
});

test('--force says what it will discard before it does, then moves the checkout; untracked files stay and are said to', async () => {
  await up(planAt({ ref: 'main' }), opts());
  writeFileSync(join(dir, 'README'), 'throw me away\n');
  writeFileSync(join(dir, 'mine.txt'), 'keep me\n');
  const said: string[] = [];
  const onEvent = (e: FetchEvent) => {
    // Said while the change is still there.
    if (e.phase === 'discarding') said.push(`${e.message} / README: ${readFileSync(join(dir, 'README'), 'utf8').trim()}`);
  };
  const [c] = await up(planAt({ ref: 'v1' }), opts({ force: true, onEvent }));
  assert.is(c!.status, 'updated', c!.message);
  assert.equal(said, ['--force: 1 file with uncommitted changes / README: throw me away']);
  assert.match(c!.message!, '--force discarded: 1 file with uncommitted changes');
  assert.match(c!.message!, 'kept: 1 untracked file');
  assert.not.match(c!.message!, /discarded[^;)]*untracked/);
  assert.is(readFileSync(join(dir, 'README'), 'utf8'), 'lib 1\n');
  assert.is(readFileSync(join(dir, 'mine.txt'), 'utf8'), 'keep me\n');
});

test('--force names the untracked files the new revision also has, before replacing them; the others are kept', async () => {
  await up(planAt({ ref: 'v1' }), opts());
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'a.txt'), 'my a\n');
  writeFileSync(join(dir, 'src', 'b.txt'), 'my b\n');
  writeFileSync(join(dir, 'notes.txt'), 'notes\n');
  const said: string[] = [];
  const onEvent = (e: FetchEvent) => {
    if (e.phase === 'discarding') said.push(`${e.message} / src/a.txt: ${readFileSync(join(dir, 'src', 'a.txt'), 'utf8').trim()}`);
  };
  const [c] = await up(planAt({ ref: 'main' }), opts({ force: true, onEvent }));
  assert.is(c!.status, 'updated', c!.message);
  assert.equal(said, [`--force: untracked src/a.txt, which main at ${upstream.c3.slice(0, 12)} also has (replaced) / src/a.txt: my a`]);
  assert.match(c!.message!, /--force discarded: untracked src\/a\.txt, which main at \w+ also has \(replaced\)/);
  assert.match(c!.message!, 'kept: 2 untracked files');
  assert.is(readFileSync(join(dir, 'src', 'a.txt'), 'utf8'), 'a\n');
  assert.is(readFileSync(join(dir, 'src', 'b.txt'), 'utf8'), 'my b\n');
  assert.is(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'notes\n');
});

test('an ignored file the new revision has stops the move (git would write over it); --force names it before replacing it', async () => {
  await up(planAt({ ref: 'v1' }), opts());
  // Ignored by the user (a local config, a .env): git status does not list them at all.
  writeFileSync(join(dir, '.git', 'info', 'exclude'), 'src/\nbuild.log\n');
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'a.txt'), 'my a\n');
  writeFileSync(join(dir, 'src', 'b.txt'), 'my b\n');
  writeFileSync(join(dir, 'build.log'), 'log\n');
  assert.is(git(sb, dir, 'status', '--porcelain'), '', 'nothing git status calls work');
  const [s] = await up(planAt({ ref: 'main' }), opts());
  assert.is(s!.status, 'skipped', s!.message);
  assert.match(s!.message!, /ignored file src\/a\.txt, which main at \w+ also has \(move it away\)/);
  assert.is(git(sb, dir, 'rev-parse', 'HEAD'), upstream.c1);
  assert.is(readFileSync(join(dir, 'src', 'a.txt'), 'utf8'), 'my a\n');

  const said: string[] = [];
  const onEvent = (e: FetchEvent) => {
    if (e.phase === 'discarding') said.push(`${e.message} / src/a.txt: ${readFileSync(join(dir, 'src', 'a.txt'), 'utf8').trim()}`);
  };
  const [c] = await up(planAt({ ref: 'main' }), opts({ force: true, onEvent }));
  assert.is(c!.status, 'updated', c!.message);
  assert.equal(said, [`--force: ignored file src/a.txt, which main at ${upstream.c3.slice(0, 12)} also has (replaced) / src/a.txt: my a`]);
  assert.match(c!.message!, /--force discarded: ignored file src\/a\.txt, which main at \w+ also has \(replaced\)/);
  assert.is(readFileSync(join(dir, 'src', 'a.txt'), 'utf8'), 'a\n');
  assert.is(readFileSync(join(dir, 'src', 'b.txt'), 'utf8'), 'my b\n');
  assert.is(readFileSync(join(dir, 'build.log'), 'utf8'), 'log\n');
});

test('ignored files the new revision does not have never stop a move, and stay', async () => {
  await up(planAt({ ref: 'v1' }), opts());
  writeFileSync(join(dir, '.git', 'info', 'exclude'), 'build.log\nsrc/b.txt\n');
  writeFileSync(join(dir, 'build.log'), 'log\n');
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'b.txt'), 'my b\n');
  const [c] = await up(planAt({ ref: 'main' }), opts());
  assert.is(c!.status, 'updated', c!.message);
  assert.is(git(sb, dir, 'rev-parse', 'HEAD'), upstream.c3);
  assert.is(readFileSync(join(dir, 'build.log'), 'utf8'), 'log\n');
  assert.is(readFileSync(join(dir, 'src', 'b.txt'), 'utf8'), 'my b\n');
  assert.is(readFileSync(join(dir, 'src', 'a.txt'), 'utf8'), 'a\n');
});

test('a local branch with unpushed commits is never reset, only fast-forwarded', async () => {
  await up(planAt({ ref: 'main' }), opts());
  writeFileSync(join(dir, 'mine.txt'), 'mine\n');
  git(sb, dir, 'add', 'mine.txt');
  git(sb, dir, 'commit', '--quiet', '-m', 'mine');
  const mine = git(sb, dir, 'rev-parse', 'HEAD');
  upstream.commit('upstream moves on', { 'other.txt': 'x\n' });
  const [c] = await up(planAt({ ref: 'main' }), opts());
  assert.is(c!.status, 'skipped', c!.message);
  assert.is(git(sb, dir, 'rev-parse', 'main'), mine);
});

test('a checkout ahead of its upstream branch is left alone and called unchanged', async () => {
  await up(planAt({ ref: 'main' }), opts());
  writeFileSync(join(dir, 'mine.txt'), 'mine\n');
  git(sb, dir, 'add', 'mine.txt');
  git(sb, dir, 'commit', '--quiet', '-m', 'mine');
  const mine = git(sb, dir, 'rev-parse', 'HEAD');
  const [c] = await up(planAt({ ref: 'main' }), opts());
  assert.is(c!.status, 'unchanged', c!.message);
  assert.match(c!.message!, 'ahead');
  assert.is(git(sb, dir, 'rev-parse', 'HEAD'), mine);
});

test('a directory that is not a git checkout fails and is not touched', async () => {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir);
  writeFileSync(join(dir, 'keep.txt'), 'keep\n');
  const [c] = await up(planAt({ ref: 'main' }), opts());
  assert.is(c!.status, 'failed');
  assert.is(c!.code, 'WEFT_E_GIT_NOT_CHECKOUT');
  assert.is(readFileSync(join(dir, 'keep.txt'), 'utf8'), 'keep\n');
  assert.not.ok(existsSync(join(dir, '.git')));
});

test('a checkout of another repository fails and is not touched', async () => {
  const other = richUpstream(sb, 'other');
  await up(makePlan(sb.workspace, [gitSource(sb, 'lib', { url: other.dir })]), opts());
  const [c] = await up(planAt({ ref: 'main' }), opts());
  assert.is(c!.status, 'failed');
  assert.is(c!.code, 'WEFT_E_GIT_OTHER_REPO');
  assert.is(git(sb, dir, 'remote', 'get-url', 'origin'), other.dir);
});

test('--offline with an empty cache fails without touching the network', async () => {
  const plan = makePlan(sb.workspace, [gitSource(sb, 'lib', { url: 'https://git.invalid/lib.git', ref: 'main' })]);
  const events: FetchEvent[] = [];
  const [c] = await up(plan, opts({ offline: true, onEvent: (e: FetchEvent) => events.push(e) }));
  assert.is(c!.status, 'failed');
  assert.is(c!.code, 'WEFT_E_OFFLINE');
  assert.match(c!.message!, 'run without --offline');
  assert.equal(events.filter((e) => e.phase === 'fetching'), []);
  assert.not.ok(existsSync(dir));
});

test('--offline checks out from a warm cache into a second workspace', async () => {
  await up(planAt({ ref: 'dev' }), opts());
  renameSync(upstream.dir, upstream.dir + '.gone');
  const ws2 = join(sb.root, 'ws2');
  const plan = makePlan(ws2, [{ ...gitSource(sb, 'lib', { url: upstream.dir, ref: 'dev' }), dir: join(ws2, 'lib') }]);
  const [c] = await up(plan, opts({ offline: true }));
  assert.is(c!.status, 'cloned', c!.message);
  assert.is(c!.revision, upstream.d1);
});

test('--offline, a branch the cache has never seen is "not in the cache" (it may be upstream), not "no such branch"', async () => {
  await up(planAt({ ref: 'main' }), opts());
  upstream.checkout('later', true);
  upstream.commit('later', { 'later.txt': 'x\n' });
  upstream.checkout('main');
  const [c] = await up(planAt({ ref: 'later' }), opts({ offline: true }));
  assert.is(c!.status, 'failed');
  assert.is(c!.code, 'WEFT_E_OFFLINE', c!.message);
  assert.match(c!.message!, 'ref "later" is not in the cache\'s copy of');
  assert.match(c!.message!, 'run without --offline');
  // Online it is found.
  assert.is((await up(planAt({ ref: 'later' }), opts()))[0]!.status, 'updated');
});

test.run();
