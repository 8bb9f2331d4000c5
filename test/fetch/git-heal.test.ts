// A damaged git mirror in the cache heals on the next `weft up`: set aside, fetched again,
// one line saying so. Real damage made by hand to a real mirror, the real executable.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mirrorPath } from '../../src/fetch/index.js';
import { isolatedEnv, weft, type WeftResult } from '../helpers/cli.js';
import { cutPack, git, gitSandbox, makeUpstream, packOf, type GitSandbox, type Upstream } from '../helpers/git-repo.js';

let sb: GitSandbox;
let env: NodeJS.ProcessEnv;
let upstream: Upstream;
let ws: string;
let mirror: string;

test.before.each(async () => {
  sb = gitSandbox();
  env = isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache, CI: '1' });
  upstream = makeUpstream(sb, 'lib');
  upstream.commit('second', { 'src/a.txt': 'a\n'.repeat(500) });
  upstream.commit('third', { 'src/b.txt': 'b\n'.repeat(500) });
  ws = join(sb.root, 'ws1');
  mkdirSync(ws);
  writeFileSync(join(ws, 'weft.yaml'), `weft: 1\nsources:\n  lib:\n    git: ${upstream.dir}\n`);
  const r = await weft(['up'], { cwd: ws, env });
  assert.is(r.code, 0, r.stdout + r.stderr);
  mirror = mirrorPath(sb.cache, upstream.dir);
  // A clone of a local path hardlinks loose objects: pack them, as a clone over the network has them.
  git(sb, mirror, 'repack', '-a', '-d', '-q');
});
test.after.each(() => sb.cleanup());

const pack = (): string => packOf(mirror);

const DAMAGE: Record<string, () => void> = {
  'an empty HEAD': () => writeFileSync(join(mirror, 'HEAD'), ''),
  'a garbage config': () => writeFileSync(join(mirror, 'config'), 'garbage{{\n'),
  'a truncated packed-refs': () => {
    const text = readFileSync(join(mirror, 'packed-refs'), 'utf8');
    writeFileSync(join(mirror, 'packed-refs'), text.slice(0, text.indexOf('\n') + 20));
  },
  'a deleted pack': () => rmSync(pack()),
  'a truncated pack': () => cutPack(mirror),
  // fsck --connectivity-only never reads a blob: found by re-reading the object git named.
  'a corrupt loose object': () => {
    const p = pack();
    const data = readFileSync(p);
    for (const f of readdirSync(join(mirror, 'objects', 'pack'))) rmSync(join(mirror, 'objects', 'pack', f));
    execFileSync('git', ['unpack-objects', '-q'], { cwd: mirror, input: data, env: sb.env });
    const id = git(sb, mirror, 'rev-parse', 'HEAD:src/a.txt');
    const f = join(mirror, 'objects', id.slice(0, 2), id.slice(2));
    const bytes = readFileSync(f);
    rmSync(f);
    writeFileSync(f, bytes.subarray(0, bytes.length - 6));
  },
};

/**
 * Damage an update's successful fetch leaves in place, as `weft cache verify` names it: a
 * loose object is not among the files the mirror's structural check reads (a cut pack
 * is: it heals on the update like the rest).
 */
const LEFT_BESIDE: Record<string, RegExp | undefined> = {
  'a corrupt loose object': /object [0-9a-f]{40}: unreadable/,
};

/** A new workspace with ws1's manifest and lock (so the mirror is read, not fetched). */
function freshWorkspace(name: string): string {
  const dir = join(sb.root, name);
  mkdirSync(dir);
  copyFileSync(join(ws, 'weft.yaml'), join(dir, 'weft.yaml'));
  copyFileSync(join(ws, 'weft.lock'), join(dir, 'weft.lock'));
  return dir;
}

interface Report {
  checkouts: { name: string; status: string; revision?: string; message?: string; cause?: string; code?: string; cacheHealed?: boolean }[];
}

function json(r: WeftResult): Report {
  try {
    return JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`not JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
}

async function verifyClean(): Promise<void> {
  const v = await weft(['cache', 'verify'], { cwd: ws, env });
  assert.is(v.code, 0, v.stdout + v.stderr);
  assert.match(v.stdout + v.stderr, /1 entry checked, 0 broken/);
}

function scratchLeft(): string[] {
  try {
    return readdirSync(join(sb.cache, 'tmp'));
  } catch {
    return [];
  }
}

for (const [what, damage] of Object.entries(DAMAGE)) {
  test(`a mirror with ${what} is set aside and fetched again, for a new workspace and after an upstream commit for an existing one`, async () => {
    damage();
    const fresh = freshWorkspace('ws2');
    const r = await weft(['up', '--json'], { cwd: fresh, env });
    const [c] = json(r).checkouts;
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.is(c!.status, 'cloned');
    assert.is(c!.cacheHealed, true, c!.message);
    assert.match(c!.message ?? '', /^the cache's copy was damaged \(.+\); fetched it again/);
    assert.is(git(sb, join(fresh, 'lib'), 'rev-parse', 'HEAD'), upstream.rev('HEAD'));
    await verifyClean();

    // The same damage again, and the remote moves: the existing checkout follows it.
    git(sb, mirror, 'repack', '-a', '-d', '-q');
    damage();
    const c4 = upstream.commit('fourth', { README: 'lib 4\n' });
    const u = await weft(['update'], { cwd: ws, env });
    assert.is(u.code, 0, u.stdout + u.stderr);
    assert.is(git(sb, join(ws, 'lib'), 'rev-parse', 'HEAD'), c4);
    const leftover = LEFT_BESIDE[what];
    if (leftover) {
      // The fetch succeeded (the checkout has its own copy of the object), so nothing
      // healed: verify names the damaged copy, --repair removes the entry, and the next run
      // that needs it fetches it whole.
      const v = await weft(['cache', 'verify'], { cwd: ws, env });
      assert.is(v.code, 1, v.stdout + v.stderr);
      assert.match(v.stdout + v.stderr, leftover);
      assert.is((await weft(['cache', 'verify', '--repair'], { cwd: ws, env })).code, 0);
      const again = await weft(['up'], { cwd: freshWorkspace('ws3'), env });
      assert.is(again.code, 0, again.stdout + again.stderr);
    }
    await verifyClean();
  });
}

test('the summary says in one line that the cache copy was damaged and fetched again', async () => {
  writeFileSync(join(mirror, 'HEAD'), 'not a ref\n');
  const r = await weft(['up'], { cwd: freshWorkspace('ws2'), env });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^\+ lib +cloned .*\n {4}the cache's copy was damaged \(HEAD is not a ref or a commit id\); fetched it again$/m);
  assert.match(r.stderr, /weft: fetching lib: the cache's copy was damaged \(HEAD is not a ref or a commit id\); fetching it again/);
});

test('a tag whose commit the damaged mirror cannot read is not reported missing: the mirror is fetched again', async () => {
  upstream.tag('v1', true);
  const manifest = `weft: 1\nsources:\n  lib:\n    git: ${upstream.dir}\n    ref: v1\n`;
  const first = join(sb.root, 'wsT');
  mkdirSync(first);
  writeFileSync(join(first, 'weft.yaml'), manifest);
  assert.is((await weft(['up'], { cwd: first, env })).code, 0);
  git(sb, mirror, 'repack', '-a', '-d', '-q');
  cutPack(mirror);
  // No weft.lock: the tag is peeled in the mirror (git rev-parse), which meets the damage.
  const second = join(sb.root, 'wsT2');
  mkdirSync(second);
  writeFileSync(join(second, 'weft.yaml'), manifest);
  const r = await weft(['up', '--json'], { cwd: second, env });
  const [c] = json(r).checkouts;
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.is(c!.cacheHealed, true, c!.message);
  assert.is(c!.revision, upstream.rev('v1'));
  await verifyClean();
});

test("a checkout's uncommitted change survives a run that heals its mirror", async () => {
  const readme = join(ws, 'lib', 'README');
  writeFileSync(readme, 'my unsaved work\n');
  writeFileSync(join(mirror, 'HEAD'), '');
  upstream.commit('fourth', { README: 'lib 4\n' });
  const before = git(sb, join(ws, 'lib'), 'rev-parse', 'HEAD');
  const r = await weft(['update', '--json'], { cwd: ws, env });
  const [c] = json(r).checkouts;
  assert.is(c!.cacheHealed, true, r.stdout + r.stderr);
  assert.is(c!.status, 'skipped', c!.message);
  assert.is(readFileSync(readme, 'utf8'), 'my unsaved work\n');
  assert.is(git(sb, join(ws, 'lib'), 'rev-parse', 'HEAD'), before);
  await verifyClean();
});

test('offline, a damaged mirror fails the source with WEFT_E_CACHE_DAMAGED and is left where it is', async () => {
  writeFileSync(join(mirror, 'HEAD'), '');
  const ino = statSync(mirror).ino;
  const fresh = freshWorkspace('ws2');
  const r = await weft(['up', '--offline', '--json'], { cwd: fresh, env });
  assert.is(r.code, 1, r.stdout + r.stderr);
  const [c] = json(r).checkouts;
  assert.is(c!.status, 'failed');
  assert.is(c!.code, 'WEFT_E_CACHE_DAMAGED');
  assert.match(c!.message ?? '', /damaged \(HEAD is empty\).*run `weft up` without --offline to fetch it again/);
  assert.is(statSync(mirror).ino, ino, 'the entry stays where it is');
  assert.is(readFileSync(join(mirror, 'HEAD'), 'utf8'), '');
  assert.equal(readdirSync(fresh).filter((f) => f === 'lib'), [], 'no checkout was made');
});

test('a server that is down never costs a healthy mirror', async () => {
  writeFileSync(join(mirror, 'weft-marker'), 'still here\n');
  const ino = statSync(mirror).ino;
  renameSync(upstream.dir, `${upstream.dir}.away`);
  const r = await weft(['update', '--json'], { cwd: ws, env });
  assert.is(r.code, 1, r.stdout + r.stderr);
  const [c] = json(r).checkouts;
  assert.is(c!.status, 'failed');
  assert.is(c!.cacheHealed, undefined);
  assert.is(statSync(mirror).ino, ino);
  assert.is(readFileSync(join(mirror, 'weft-marker'), 'utf8'), 'still here\n');
});

test("damage in the upstream repository itself is not blamed on the cache's healthy mirror", async () => {
  // A local upstream's own stderr is not prefixed "remote:": only fsck of the mirror tells.
  upstream.commit('fourth', { 'src/c.txt': 'c\n'.repeat(500) });
  git(sb, upstream.dir, 'repack', '-a', '-d', '-q');
  cutPack(join(upstream.dir, '.git'));
  writeFileSync(join(mirror, 'weft-marker'), 'still here\n');
  const ino = statSync(mirror).ino;
  const r = await weft(['update', '--json'], { cwd: ws, env });
  assert.is(r.code, 1, r.stdout + r.stderr);
  const [c] = json(r).checkouts;
  assert.is(c!.status, 'failed');
  assert.match(c!.cause ?? '', /does not match index|corrupt|bad object|unable to read/);
  assert.is(statSync(mirror).ino, ino);
  assert.is(readFileSync(join(mirror, 'weft-marker'), 'utf8'), 'still here\n');
});

test('two workspaces meeting one damaged mirror at once: one heals it, the other uses the rebuilt one', async () => {
  writeFileSync(join(mirror, 'HEAD'), '');
  const [a, b] = [freshWorkspace('wsA'), freshWorkspace('wsB')];
  // The entry's lock, held by this (live) process for a moment, so that both runs are
  // likely to meet the damage before either can set it aside. Whatever the interleaving,
  // what is asserted below must hold: this only makes the race likelier, never required.
  const lock = `${mirror}.lock`;
  writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), nonce: 'test' }));
  const runs = Promise.all([weft(['up', '--json'], { cwd: a, env }), weft(['up', '--json'], { cwd: b, env })]);
  await sleep(1500);
  rmSync(lock);
  const [ra, rb] = await runs;
  assert.is(ra.code, 0, ra.stdout + ra.stderr);
  assert.is(rb.code, 0, rb.stdout + rb.stderr);
  const healed = [json(ra), json(rb)].filter((r) => r.checkouts[0]!.cacheHealed);
  assert.is(healed.length, 1, 'exactly one run set the entry aside');
  for (const dir of [a, b]) assert.is(git(sb, join(dir, 'lib'), 'rev-parse', 'HEAD'), upstream.rev('HEAD'));
  await verifyClean();
});

test('a set-aside entry does not stay in the cache', async () => {
  writeFileSync(join(mirror, 'HEAD'), '');
  const r = await weft(['up'], { cwd: freshWorkspace('ws2'), env });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /the cache's copy was damaged \(HEAD is empty\)/);
  // Removed in the background by the run that healed it, else swept by the next run.
  const again = await weft(['up'], { cwd: ws, env });
  assert.is(again.code, 0, again.stdout + again.stderr);
  assert.equal(scratchLeft().filter((n) => existsDir(join(sb.cache, 'tmp', n, 'objects'))), []);
  await verifyClean();
});

function existsDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

test.run();
