import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { weft, isolatedEnv } from '../helpers/cli.js';
import { git, gitSandbox, makeUpstream, type GitSandbox, type Upstream } from '../helpers/git-repo.js';

interface World {
  sb: GitSandbox;
  a: Upstream;
  b: Upstream;
  env: NodeJS.ProcessEnv;
  ws: string;
  run: (...args: string[]) => ReturnType<typeof weft>;
  lock: () => string;
  head: (name: string) => string;
  manifest: (aRef: string) => void;
}

function world(): World {
  const sb = gitSandbox();
  const a = makeUpstream(sb, 'alpha');
  const b = makeUpstream(sb, 'beta');
  b.tag('v1');
  const env = isolatedEnv(sb.root);
  const ws = sb.workspace;
  const manifest = (aRef: string): void =>
    writeFileSync(join(ws, 'weft.yaml'), `weft: 1\nsources:\n  alpha:\n    git: ${a.dir}\n    ref: ${aRef}\n  beta:\n    git: ${b.dir}\n    ref: v1\n`);
  manifest('main');
  return {
    sb, a, b, env, ws, manifest,
    run: (...args) => weft(args, { cwd: ws, env }),
    lock: () => readFileSync(join(ws, 'weft.lock'), 'utf8'),
    head: (name) => git(sb, join(ws, name), 'rev-parse', 'HEAD'),
  };
}

function ok(r: { code: number | null; stdout: string; stderr: string }, what: string): void {
  assert.is(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
}

test('weft up writes a lock with every source pinned, and a second run leaves it byte-identical', async () => {
  const w = world();
  try {
    ok(await w.run('up'), 'up');
    const first = w.lock();
    assert.match(first, `commit: ${w.a.rev('HEAD')}`);
    assert.match(first, `commit: ${w.b.rev('v1')}`);
    assert.match(first, 'defined: weft.yaml\n');
    assert.ok(first.indexOf('alpha:') < first.indexOf('beta:'));
    ok(await w.run('up'), 'second up');
    assert.is(w.lock(), first);
  } finally {
    w.sb.cleanup();
  }
});

test('a branch left ahead with the user\'s own commits: the lock keeps upstream\'s commit, which another clone can fetch', async () => {
  const w = world();
  try {
    ok(await w.run('up'), 'up');
    const first = w.lock();
    const alpha = join(w.ws, 'alpha');
    writeFileSync(join(alpha, 'mine.txt'), 'mine\n');
    git(w.sb, alpha, 'add', 'mine.txt');
    git(w.sb, alpha, 'commit', '--quiet', '-m', 'local only');
    for (const cmd of ['up', 'update']) {
      ok(await w.run(cmd), cmd);
      assert.is(w.lock(), first, `${cmd} pins no commit only this checkout has`);
      assert.not.match(w.lock(), w.head('alpha'));
    }
    // The lock is what a teammate gets: every commit in it can be fetched.
    const other = join(w.sb.root, 'other');
    renameSync(join(w.ws, 'alpha'), join(w.sb.root, 'alpha-kept'));
    renameSync(w.ws, other);
    const r = await weft(['up', '--frozen'], { cwd: other, env: w.env });
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.is(git(w.sb, join(other, 'alpha'), 'rev-parse', 'HEAD'), w.a.rev('HEAD'));
  } finally {
    w.sb.cleanup();
  }
});

test('the lock pins a branch: up stays at the locked commit without the upstream, update moves only that entry', async () => {
  const w = world();
  try {
    ok(await w.run('up'), 'up');
    const locked = w.a.rev('HEAD');
    const before = w.lock();
    const moved = w.a.commit('second', { 'README': 'alpha 2\n' });
    // Without network: the upstream is gone, so anything but the lock would fail.
    renameSync(w.a.dir, w.a.dir + '.away');
    ok(await w.run('up'), 'up without upstream');
    assert.is(w.head('alpha'), locked);
    assert.is(w.lock(), before);
    renameSync(w.a.dir + '.away', w.a.dir);
    ok(await w.run('update', 'alpha'), 'update');
    assert.is(w.head('alpha'), moved);
    const after = w.lock();
    assert.is(after, before.replace(locked, moved));
    assert.is.not(after, before);
  } finally {
    w.sb.cleanup();
  }
});

test('changing a source\'s ref in the manifest re-resolves that entry only', async () => {
  const w = world();
  try {
    ok(await w.run('up'), 'up');
    const before = w.lock();
    w.a.checkout('dev', true);
    const dev = w.a.commit('dev work', { 'dev.txt': 'x\n' });
    w.a.checkout('main');
    w.manifest('dev');
    ok(await w.run('up'), 'up after ref change');
    assert.is(w.head('alpha'), dev);
    const after = w.lock();
    assert.match(after, 'ref: dev');
    assert.match(after, `commit: ${dev}`);
    const betaOf = (t: string): string => t.slice(t.indexOf('beta:'));
    assert.is(betaOf(after), betaOf(before));
  } finally {
    w.sb.cleanup();
  }
});

test('up --frozen fails naming stale entries before fetching, and succeeds when the lock is current', async () => {
  const w = world();
  try {
    let r = await w.run('up', '--frozen');
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, 'weft.lock');
    assert.not.ok(existsSync(join(w.ws, 'alpha')));
    ok(await w.run('up'), 'up');
    ok(await w.run('up', '--frozen'), 'frozen with a current lock');
    const before = w.lock();
    w.a.checkout('dev', true);
    w.a.checkout('main');
    w.manifest('dev');
    r = await w.run('up', '--frozen');
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, 'alpha');
    assert.not.match(r.stderr, 'beta');
    assert.is(w.head('alpha'), w.a.rev('main'));
    assert.is(w.lock(), before);
  } finally {
    w.sb.cleanup();
  }
});

test('weft lock pins refs without checking out, and lock --check tells current from stale', async () => {
  const w = world();
  try {
    let r = await w.run('lock', '--check');
    assert.is(r.code, 1);
    assert.match(r.stderr, 'missing');
    ok(await w.run('lock'), 'lock');
    assert.not.ok(existsSync(join(w.ws, 'alpha')));
    assert.match(w.lock(), `commit: ${w.a.rev('main')}`);
    assert.match(w.lock(), `commit: ${w.b.rev('v1')}`);
    const text = w.lock();
    ok(await w.run('lock', '--check'), 'check current');
    w.manifest('dev');
    r = await w.run('lock', '--check');
    assert.is(r.code, 1);
    assert.match(r.stderr, 'alpha');
    assert.is(w.lock(), text);
  } finally {
    w.sb.cleanup();
  }
});

test('a token in a source URL never reaches the lock, and another person\'s token leaves the lock current', async () => {
  const w = world();
  try {
    const sha = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    writeFileSync(
      join(w.ws, 'weft.yaml'),
      `weft: 1\nsources:\n  pkg:\n    archive: https://ci:\${env.TOKEN}@127.0.0.1:1/pkg.tar.gz?token=\${env.TOKEN}\n    integrity: ${sha}\n` +
        `  alpha:\n    git: ${w.a.dir}\n    ref: main\n`,
    );
    const as = (token: string) => (...args: string[]) => weft(args, { cwd: w.ws, env: { ...w.env, TOKEN: token } });
    ok(await as('s3cr3tTOKEN')('lock'), 'lock');
    assert.not.match(w.lock(), 's3cr3tTOKEN');
    assert.match(w.lock(), 'url: https://127.0.0.1:1/pkg.tar.gz?token=\n');
    ok(await as('someone-elses')('lock', '--check'), 'lock --check with another token');
    const before = w.lock();
    ok(await as('someone-elses')('lock'), 'lock with another token');
    assert.is(w.lock(), before);
  } finally {
    w.sb.cleanup();
  }
});

test('weft.local.yaml is personal: its own checkout, branch or extra source never reaches the committed lock', async () => {
  const w = world();
  try {
    for (const u of [w.a, w.b]) {
      u.checkout('dev', true);
      u.commit('dev work', { 'dev.txt': 'dev\n' });
      u.checkout('main');
    }
    const manifest = (gammaRef: string) =>
      writeFileSync(
        join(w.ws, 'weft.yaml'),
        `weft: 1\nsources:\n  alpha:\n    git: ${w.a.dir}\n    ref: main\n  beta:\n    git: ${w.b.dir}\n    ref: v1\n  gamma:\n    git: ${w.a.dir}\n    ref: ${gammaRef}\n`,
      );
    manifest('main');
    ok(await w.run('up'), 'up');
    const committed = w.lock();
    const mine = join(w.sb.root, 'my-alpha');
    mkdirSync(mine);
    // alpha: the user's own checkout; beta: their branch; gamma: only its environment (not in the lock); extra: theirs alone.
    writeFileSync(
      join(w.ws, 'weft.local.yaml'),
      `sources:\n  alpha:\n    local: ${mine}\n  beta:\n    ref: dev\n  gamma:\n    env: { GAMMA_DEBUG: "1" }\n  extra:\n    git: ${w.b.dir}\n    ref: main\n`,
    );
    ok(await w.run('up'), 'up with the override');
    assert.is(w.head('beta'), w.b.rev('dev'), 'the override applies to the checkout');
    assert.is(w.lock(), committed, 'and not to the lock');
    ok(await w.run('lock', '--check'), 'lock --check with the override');
    ok(await w.run('up', '--frozen'), 'up --frozen with the override');
    ok(await w.run('lock'), 'lock with the override');
    assert.is(w.lock(), committed);
    // The committed manifest still moves the lock of a source the override leaves as it is.
    manifest('dev');
    ok(await w.run('up'), 'up after the manifest moved gamma');
    assert.match(w.lock(), `  gamma:\n    type: git\n    url: ${w.a.dir}\n    ref: dev\n    commit: ${w.a.rev('dev')}\n`);
    assert.match(w.lock(), `  beta:\n    type: git\n    url: ${w.b.dir}\n    ref: v1\n    commit: ${w.b.rev('v1')}\n`);
    assert.match(w.lock(), `  alpha:\n    type: git\n    url: ${w.a.dir}\n    ref: main\n`);
    assert.not.match(w.lock(), 'extra:');
    rmSync(join(w.ws, 'weft.local.yaml'));
    ok(await w.run('lock', '--check'), 'lock --check without the override');
  } finally {
    w.sb.cleanup();
  }
});

test('a repository named by a path relative to the manifest is locked as written, so the lock holds in another clone', async () => {
  const w = world();
  try {
    // The upstream beside the workspace, named from the manifest as ../alpha.
    const here = join(w.sb.root, 'here');
    execFileSync('mkdir', ['-p', here]);
    renameSync(w.a.dir, join(here, 'alpha'));
    renameSync(w.ws, join(here, 'ws'));
    const ws = join(here, 'ws');
    writeFileSync(join(ws, 'weft.yaml'), 'weft: 1\nsources:\n  alpha:\n    git: ../alpha\n    ref: main\n');
    ok(await weft(['up'], { cwd: ws, env: w.env }), 'up');
    const lock = readFileSync(join(ws, 'weft.lock'), 'utf8');
    assert.match(lock, 'url: ../alpha\n');
    // The same two directories somewhere else: the lock is current there too.
    const there = join(w.sb.root, 'there');
    renameSync(here, there);
    execFileSync('rm', ['-rf', join(there, 'ws', 'alpha'), join(there, 'ws', '.weft')]);
    const r = await weft(['up', '--frozen'], { cwd: join(there, 'ws'), env: w.env });
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.is(readFileSync(join(there, 'ws', 'weft.lock'), 'utf8'), lock);
  } finally {
    w.sb.cleanup();
  }
});

test('a broken lock file fails with exit 2 at its line and column, and nothing is written or fetched', async () => {
  const w = world();
  try {
    const broken = 'version: 1\nsources:\n  alpha:\n    type: git\n    commit: [oops\n';
    writeFileSync(join(w.ws, 'weft.lock'), broken);
    const r = await w.run('up');
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /weft\.lock:\d+:\d+/);
    assert.match(r.stderr, 'WEFT_E_LOCK');
    assert.match(r.stderr, 'hint:');
    assert.is(readFileSync(join(w.ws, 'weft.lock'), 'utf8'), broken);
    assert.not.ok(existsSync(join(w.ws, 'alpha')));
    const bad = 'version: 1\nsources:\n  alpha:\n    type: gti\n';
    writeFileSync(join(w.ws, 'weft.lock'), bad);
    const r2 = await w.run('lock');
    assert.is(r2.code, 2);
    assert.match(r2.stderr, 'weft.lock:4:11', 'at the bad value');
    assert.is(readFileSync(join(w.ws, 'weft.lock'), 'utf8'), bad);
  } finally {
    w.sb.cleanup();
  }
});

test('weft lock resolves an annotated tag to the commit it names, as weft up does', async () => {
  const w = world();
  try {
    w.b.commit('second', { 'README': 'beta 2\n' });
    w.b.tag('v2', true);
    w.b.commit('third', { 'README': 'beta 3\n' });
    writeFileSync(join(w.ws, 'weft.yaml'), `weft: 1\nsources:\n  beta:\n    git: ${w.b.dir}\n    ref: v2\n`);
    ok(await w.run('lock'), 'lock');
    const locked = w.lock();
    assert.match(locked, `commit: ${w.b.rev('v2')}`);
    ok(await w.run('up'), 'up');
    assert.is(w.head('beta'), w.b.rev('v2'));
    assert.is(w.lock(), locked);
  } finally {
    w.sb.cleanup();
  }
});

test('a ref moved to a tag or branch made since the last fetch on a commit the cache holds: weft lock, then weft up checks it out', async () => {
  const w = world();
  try {
    ok(await w.run('up'), 'first up fills the cache');
    const at = w.b.rev('v1');
    w.b.tag('v1.1', true);
    w.b.checkout('release', true);
    w.b.checkout('main');
    for (const ref of ['v1.1', 'release']) {
      writeFileSync(join(w.ws, 'weft.yaml'), `weft: 1\nsources:\n  beta:\n    git: ${w.b.dir}\n    ref: ${ref}\n`);
      ok(await w.run('lock'), `lock at ${ref}`);
      assert.match(w.lock(), `commit: ${at}`);
      const up = await w.run('up');
      assert.is(up.code, 0, `up at ${ref}:\n${up.stdout}\n${up.stderr}`);
      assert.is(w.head('beta'), at);
    }
    assert.is(git(w.sb, join(w.ws, 'beta'), 'rev-parse', '--abbrev-ref', 'HEAD'), 'release', 'on the branch, not detached');
  } finally {
    w.sb.cleanup();
  }
});

test('weft bundle right after weft lock packs a tag made upstream on a commit the cache holds', async () => {
  const w = world();
  try {
    ok(await w.run('up'), 'first up fills the cache');
    w.b.tag('v1.1', true);
    writeFileSync(join(w.ws, 'weft.yaml'), `weft: 1\nsources:\n  beta:\n    git: ${w.b.dir}\n    ref: v1.1\n`);
    ok(await w.run('lock'), 'lock');
    ok(await w.run('bundle', '-o', join(w.sb.root, 'sprint.weft')), 'bundle');
    assert.ok(existsSync(join(w.sb.root, 'sprint.weft')));
  } finally {
    w.sb.cleanup();
  }
});

test('weft lock fails with exit 1 naming a source whose remote is unreachable, leaving weft.lock as it was', async () => {
  const w = world();
  try {
    ok(await w.run('lock'), 'lock');
    const before = w.lock();
    renameSync(w.a.dir, w.a.dir + '.away');
    w.manifest('dev');
    const r = await w.run('lock');
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, 'alpha');
    assert.match(r.stderr, 'WEFT_E_GIT_LS_REMOTE');
    assert.is(w.lock(), before);
  } finally {
    w.sb.cleanup();
  }
});

test('a first weft up where every source fails writes no weft.lock; one that converges any does', async () => {
  const w = world();
  try {
    renameSync(w.a.dir, w.a.dir + '.away');
    renameSync(w.b.dir, w.b.dir + '.away');
    const failed = await w.run('up');
    assert.is(failed.code, 1, failed.stderr);
    assert.not.ok(existsSync(join(w.ws, 'weft.lock')), 'nothing converged, nothing to lock');
    assert.not.match(failed.stderr, 'wrote weft.lock');
    renameSync(w.b.dir + '.away', w.b.dir);
    const half = await w.run('up');
    assert.is(half.code, 1, half.stderr);
    assert.match(w.lock(), 'beta:');
    assert.not.match(w.lock(), 'alpha:');
  } finally {
    w.sb.cleanup();
  }
});

test('weft lock takes the workspace lock as weft up does: while another weft holds it, it waits (saying so) and writes nothing; then it writes. In a fresh clone it leaves no .weft/ behind', async () => {
  const w = world();
  try {
    ok(await w.run('lock'), 'lock in a fresh clone');
    assert.not.ok(existsSync(join(w.ws, '.weft')), 'no .weft/ made for it');
    rmSync(join(w.ws, 'weft.lock'));
    // Held by a live process (this one), as a running weft up holds it.
    mkdirSync(join(w.ws, '.weft'));
    const held = join(w.ws, '.weft', 'lock');
    writeFileSync(held, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose: 'weft up', nonce: 'test' }));
    const running = w.run('lock');
    // Given time to do its work (a few hundred ms unheld), it must still be waiting.
    await new Promise((r) => setTimeout(r, 1500));
    assert.not.ok(existsSync(join(w.ws, 'weft.lock')), 'nothing written while the workspace is held');
    rmSync(held);
    const r = await running;
    ok(r, 'lock after the hold');
    assert.match(r.stderr, `waiting for weft process ${process.pid} to finish with this workspace`);
    assert.match(w.lock(), 'alpha:');
  } finally {
    w.sb.cleanup();
  }
});

test.run();
