// The cache as `weft cache` manages it: weft up stamps what it uses, prune removes only
// what is old and never what a run is using, verify finds broken entries and repair
// removes them so the next run fetches them again.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { defaults } from '../../../src/defaults.js';
import { isWeftError, type WeftError } from '../../../src/errors.js';
import { lockForMaintenance, listEntries, pruneCache, verifyCache } from '../../../src/fetch/cache/index.js';
import { up, type UpOptions } from '../../../src/fetch/index.js';
import { acquireLock } from '../../../src/fetch/lockfile.js';
import type { ArchiveSource, Plan } from '../../../src/types.js';
import { buildTar, gzip } from '../../helpers/archive-builder.js';
import { sri } from '../../helpers/archive-sandbox.js';
import { git, gitSandbox, gitSource, makePlan, makeUpstream, type GitSandbox } from '../../helpers/git-repo.js';

const DAY = 24 * 60 * 60 * 1000;
let sb: GitSandbox;
let plan: Plan;
let children: ChildProcess[] = [];

test.before.each(() => {
  sb = gitSandbox();
  const alpha = makeUpstream(sb, 'alpha');
  const beta = makeUpstream(sb, 'beta');
  const tgz = gzip(buildTar([{ name: 'pkg/', type: 'dir' }, { name: 'pkg/hello.txt', data: 'hello\n' }]));
  const file = join(sb.root, 'pkg.tar.gz');
  writeFileSync(file, tgz);
  const archive: ArchiveSource = {
    type: 'archive',
    name: 'pkg',
    path: 'pkg',
    dir: join(sb.workspace, 'pkg'),
    depends: [],
    groups: [],
    env: [],
    setup: [],
    loc: { file: join(sb.workspace, 'weft.yaml'), line: 1, col: 1 },
    url: `file://${file}`,
    integrity: sri('sha256', tgz),
    strip: 1,
    format: 'tar.gz',
  };
  plan = makePlan(sb.workspace, [gitSource(sb, 'alpha', { url: alpha.dir }), gitSource(sb, 'beta', { url: beta.dir }), archive]);
});

test.after.each(() => {
  for (const c of children) c.kill('SIGKILL');
  children = [];
  sb.cleanup();
});

const guard = { waitMs: 300, staleMs: defaults.staleLockMs };
const run = (p = plan, over: UpOptions['defaults'] = {}) => up(p, { cacheDir: sb.cache, env: sb.env, defaults: over });

/** A live process of our own whose pid a registration or lock file can name. */
function liveProcess(): number {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

function age(path: string, days: number): void {
  const t = new Date(Date.now() - days * DAY);
  utimesSync(path, t, t);
}

test('weft up records the use of every cache entry its workspace stands on, a no-op run too', async () => {
  const first = await run();
  assert.equal(first.map((c) => c.status), ['cloned', 'cloned', 'cloned']);
  const entries = listEntries(sb.cache);
  assert.equal(entries.map((e) => e.kind).sort(), ['archive', 'git', 'git']);
  assert.ok(entries.every((e) => e.useRecorded));
  const beta = entries.find((e) => e.kind === 'git' && e.label.endsWith('/beta'));
  assert.ok(beta, 'mirrors are labelled with their URL');
  assert.ok(entries.find((e) => e.kind === 'archive')!.label.startsWith('sha256-'));
  for (const name of readdirSync(join(sb.cache, 'used'))) age(join(sb.cache, 'used', name), 40);
  const second = await run();
  assert.equal(second.map((c) => c.status), ['unchanged', 'unchanged', 'unchanged']);
  for (const e of listEntries(sb.cache)) assert.ok(Date.now() - e.lastUsedMs < DAY, `${e.label} stamped by the no-op run`);
  assert.equal(readdirSync(join(sb.cache, 'users')), [], 'the run deregistered');
});

test('prune removes only entries unused for longer than asked, and the next weft up fetches them again', async () => {
  await run();
  const before = listEntries(sb.cache);
  const beta = before.find((e) => e.label.endsWith('/beta'))!;
  const archive = before.find((e) => e.kind === 'archive')!;
  age(join(sb.cache, 'used', `git-${beta.key}`), 40);
  age(join(sb.cache, 'used', `archive-${archive.key}`), 40);

  const dry = await pruneCache(sb.cache, { ...guard, olderThanMs: 30 * DAY, dryRun: true });
  assert.equal(dry.candidates.map((e) => e.key).sort(), [beta.key, archive.key].sort());
  assert.is(listEntries(sb.cache).length, 3, '--dry-run removes nothing');

  const r = await pruneCache(sb.cache, { ...guard, olderThanMs: 30 * DAY, dryRun: false });
  assert.equal([...r.outcomes.values()], ['removed', 'removed']);
  assert.ok(r.freedBytes > 0);
  assert.equal(listEntries(sb.cache).map((e) => e.key), [before.find((e) => e.label.endsWith('/alpha'))!.key]);
  assert.not.ok(existsSync(beta.path));
  assert.equal(readdirSync(join(sb.cache, 'tmp')), [], 'nothing half-removed left in tmp/');
  assert.not.ok(existsSync(join(sb.cache, 'used', `git-${beta.key}`)), 'the stamp went with its entry');
  assert.is(git(sb, join(sb.workspace, 'beta'), 'rev-parse', 'HEAD').length, 40, 'the checkout does not need the cache');

  // A moved pin makes the fetcher need the mirror again: it is rebuilt.
  const moved = makePlan(sb.workspace, plan.sources.map((s) => (s.name === 'beta' ? { ...s, path: 'beta2', dir: join(sb.workspace, 'beta2') } : s)));
  const again = await run(moved);
  assert.equal(again.map((c) => c.status), ['unchanged', 'cloned', 'unchanged']);
  assert.ok(existsSync(beta.path));
});

test('prune waits for a running weft up and gives up with WEFT_E_CACHE_BUSY, removing nothing', async () => {
  await run();
  for (const name of readdirSync(join(sb.cache, 'used'))) age(join(sb.cache, 'used', name), 40);
  const pid = liveProcess();
  writeFileSync(join(sb.cache, 'users', `${pid}-test`), JSON.stringify({ pid, host: hostname(), since: new Date().toISOString(), purpose: 'weft up' }));
  try {
    await pruneCache(sb.cache, { ...guard, olderThanMs: 30 * DAY, dryRun: false });
    assert.unreachable('prune went ahead while a weft up was using the cache');
  } catch (err) {
    assert.ok(isWeftError(err), String(err));
    assert.is(err.code, 'WEFT_E_CACHE_BUSY');
    assert.match(err.message, `pid ${pid}`);
  }
  assert.is(listEntries(sb.cache).length, 3, 'nothing removed');
  assert.not.ok(existsSync(join(sb.cache, 'maintenance.lock')), 'the maintenance lock was let go');

  // Once that run is gone (killed, say), its registration no longer counts.
  const gone = children.pop()!;
  const exited = new Promise((r) => (gone.exitCode !== null || gone.signalCode !== null ? r(null) : gone.once('exit', r)));
  gone.kill('SIGKILL');
  await exited;
  const r = await pruneCache(sb.cache, { ...guard, olderThanMs: 30 * DAY, dryRun: false });
  assert.is(r.candidates.length, 3);
  assert.equal(readdirSync(join(sb.cache, 'users')), []);
});

test('weft up waits while the cache is being maintained, and fails clearly when it lasts, touching nothing', async () => {
  const lock = await lockForMaintenance(sb.cache, 'weft cache prune', guard);
  try {
    await run(plan, { workspaceLockWaitMs: 300 });
    assert.unreachable('weft up ran during maintenance');
  } catch (err) {
    assert.ok(isWeftError(err), String(err));
    assert.is(err.code, 'WEFT_E_CACHE_BUSY');
    assert.match(err.message, 'weft cache prune');
  } finally {
    lock.release();
  }
  assert.equal(readdirSync(sb.workspace).filter((n) => n !== '.weft'), [], 'nothing checked out');
  assert.not.ok(existsSync(join(sb.cache, 'git')), 'nothing fetched');
  const after = await run();
  assert.equal(after.map((c) => c.status), ['cloned', 'cloned', 'cloned']);
});

test('a maintenance lock a killed prune left, whose pid now belongs to another process, does not stop weft up: it is not kept fresh, as a live prune keeps it', async () => {
  const pid = liveProcess();
  const lock = join(sb.cache, 'maintenance.lock');
  mkdirSync(sb.cache, { recursive: true });
  writeOwner(lock, pid, 'weft cache prune', Date.now() - DAY);
  age(lock, 1);
  const r = await run(plan, { workspaceLockWaitMs: 300 });
  assert.equal(r.map((c) => c.status), ['cloned', 'cloned', 'cloned']);
});

test('while a fresh maintenance lock or a registered weft up holds the cache, the error names the file to remove if that process is not weft', async () => {
  const pid = liveProcess();
  const lock = join(sb.cache, 'maintenance.lock');
  mkdirSync(join(sb.cache, 'users'), { recursive: true });
  writeOwner(lock, pid, 'weft cache prune');
  const up = await cacheBusy(run(plan, { workspaceLockWaitMs: 300 }), 'weft up ran during maintenance');
  assert.match(up.hint ?? '', `if no "weft cache prune" is running, remove ${lock}`);
  rmSync(lock);
  const user = join(sb.cache, 'users', `${pid}-test`);
  writeOwner(user, pid, 'weft up');
  const prune = await cacheBusy(pruneCache(sb.cache, { ...guard, olderThanMs: 30 * DAY, dryRun: false }), 'prune went ahead while a weft up was using the cache');
  assert.match(prune.hint ?? '', `if no weft up is running, remove ${user}`);
});

/** A lock or registration file naming `pid` on this host, as weft writes one (a maintenance lock carries a nonce). */
function writeOwner(path: string, pid: number, purpose: string, since = Date.now()): void {
  const nonce = purpose === 'weft up' ? {} : { nonce: 'test' };
  writeFileSync(path, JSON.stringify({ pid, host: hostname(), since: new Date(since).toISOString(), purpose, ...nonce }));
}

/** The WEFT_E_CACHE_BUSY that `work` must fail with; `unreachable` says what went wrong if it did not. */
async function cacheBusy(work: Promise<unknown>, unreachable: string): Promise<WeftError> {
  try {
    await work;
  } catch (err) {
    assert.ok(isWeftError(err), String(err));
    assert.is(err.code, 'WEFT_E_CACHE_BUSY');
    return err;
  }
  assert.unreachable(unreachable);
  throw new Error(unreachable);
}

test('prune leaves an entry another weft is writing (its lock is held) and says so', async () => {
  await run();
  const alpha = listEntries(sb.cache).find((e) => e.label.endsWith('/alpha'))!;
  const held = await acquireLock(`${alpha.path}.lock`, { staleMs: defaults.staleLockMs, waitMs: 0 });
  try {
    const r = await pruneCache(sb.cache, { ...guard, olderThanMs: 0, dryRun: false, now: Date.now() + 1000 });
    assert.is(r.outcomes.get(r.candidates.find((e) => e.key === alpha.key)!), 'busy');
    assert.ok(existsSync(join(alpha.path, 'HEAD')), 'the entry being written is intact');
    assert.is(listEntries(sb.cache).length, 1, 'the others went');
  } finally {
    held.release();
  }
});

test('verify passes a healthy cache and names a mirror missing objects and an archive tree holding a symlink', async () => {
  await run();
  const ctx = { env: sb.env, defaults, jobs: 2 };
  const first = await verifyCache(sb.cache, ctx);
  assert.equal(first.map((v) => v.problems), [[], [], []]);
  assert.equal(first.map((v) => !!v.recorded), [false, false, true], 'the archive tree seen whole is recorded');
  assert.equal((await verifyCache(sb.cache, ctx)).map((v) => !!v.recorded), [false, false, false], 'once');

  const alpha = listEntries(sb.cache).find((e) => e.label.endsWith('/alpha'))!;
  const objects = join(alpha.path, 'objects');
  for (const dir of readdirSync(objects).filter((d) => /^[0-9a-f]{2}$/.test(d))) rmSync(join(objects, dir), { recursive: true });
  const archive = listEntries(sb.cache).find((e) => e.kind === 'archive')!;
  symlinkSync('/etc/passwd', join(archive.path, 'pkg', 'evil'));

  const verdicts = await verifyCache(sb.cache, ctx);
  const broken = verdicts.filter((v) => v.problems.length > 0);
  assert.equal(broken.map((v) => v.entry.key).sort(), [alpha.key, archive.key].sort());
  assert.match(broken.find((v) => v.entry.kind === 'archive')!.problems.join('\n'), 'pkg/evil: symlink');
  assert.ok(broken.find((v) => v.entry.kind === 'git')!.problems.length > 0);
});

test('verify reads every object back: a loose blob with other bytes, a truncated one and a pack with a flipped byte are named, though every ref still reaches complete history', async () => {
  const upstream = join(sb.root, 'upstream', 'alpha');
  writeFileSync(join(upstream, 'second.txt'), 'second\n');
  git(sb, upstream, 'add', '--all');
  git(sb, upstream, 'commit', '--quiet', '-m', 'a second blob');
  await run();
  const ctx = { env: sb.env, defaults, jobs: 2 };
  const mirror = (name: string) => listEntries(sb.cache).find((e) => e.label.endsWith(`/${name}`))!;
  const alpha = mirror('alpha');
  const beta = mirror('beta');

  // alpha: its objects are loose (cloned from a local path); two reachable blobs damaged.
  const blobs = git(sb, alpha.path, 'cat-file', '--batch-all-objects', '--batch-check')
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => f[1] === 'blob')
    .map((f) => f[0]!);
  assert.ok(blobs.length >= 2, 'the fixture has loose blobs to damage');
  const loose = (sha: string) => join(alpha.path, 'objects', sha.slice(0, 2), sha.slice(2));
  assert.ok(existsSync(loose(blobs[0]!)) && existsSync(loose(blobs[1]!)));
  chmodSync(loose(blobs[0]!), 0o644);
  writeFileSync(loose(blobs[0]!), deflateSync(Buffer.from('blob 6\0hello\n')));
  chmodSync(loose(blobs[1]!), 0o644);
  writeFileSync(loose(blobs[1]!), readFileSync(loose(blobs[1]!)).subarray(0, 5));

  // beta: packed (as gc leaves a mirror), then one byte flipped inside a blob's compressed data.
  git(sb, beta.path, 'repack', '-adq');
  const packDir = join(beta.path, 'objects', 'pack');
  const idx = join(packDir, readdirSync(packDir).find((n) => n.endsWith('.idx'))!);
  const blob = git(sb, beta.path, 'verify-pack', '-v', idx)
    .split('\n')
    .map((l) => l.split(/\s+/))
    .filter((f) => f[1] === 'blob')
    .sort((x, y) => Number(y[3]) - Number(x[3]))[0]!;
  const pack = idx.replace(/\.idx$/, '.pack');
  const at = Number(blob[4]) + Math.floor(Number(blob[3]) / 2);
  const bytes = readFileSync(pack);
  bytes[at] = bytes[at]! ^ 0xff;
  chmodSync(pack, 0o644);
  writeFileSync(pack, bytes);

  for (const m of [alpha, beta]) {
    // What verify used to be limited to: it sees nothing wrong here.
    execFileSync('git', ['fsck', '--connectivity-only', '--no-dangling', '--no-progress'], { cwd: m.path, env: sb.env, stdio: 'ignore' });
  }
  const verdicts = await verifyCache(sb.cache, ctx);
  const problems = (key: string) => verdicts.find((v) => v.entry.key === key)!.problems.join('\n');
  const hello = execFileSync('git', ['hash-object', '--stdin'], { input: 'hello\n', env: sb.env }).toString().trim();
  assert.match(problems(alpha.key), `object ${blobs[0]}: its content hashes to ${hello}`);
  assert.match(problems(alpha.key), `object ${blobs[1]}: unreadable`);
  assert.match(problems(beta.key), `pack ${packNameOf(pack)}:`);
  assert.equal(verdicts.filter((v) => v.entry.kind === 'archive').map((v) => v.problems), [[]], 'the archive entry is whole');
});

function packNameOf(path: string): string {
  return path.split('/').pop()!.replace(/\.pack$/, '');
}

test('verify compares an archive tree with the hashes recorded at its first check: an edited, a lost and an added file are named; repair-style removal drops the record', async () => {
  await run();
  const ctx = { env: sb.env, defaults, jobs: 2 };
  await verifyCache(sb.cache, ctx);
  const archive = listEntries(sb.cache).find((e) => e.kind === 'archive')!;
  writeFileSync(join(archive.path, 'pkg', 'hello.txt'), 'tampered\n');
  writeFileSync(join(archive.path, 'pkg', 'extra.txt'), 'x\n');
  const v = (await verifyCache(sb.cache, ctx)).find((x) => x.entry.kind === 'archive')!;
  assert.equal(v.problems.sort(), ['pkg/extra.txt: not in the archive', 'pkg/hello.txt: content changed']);
  rmSync(join(archive.path, 'pkg', 'hello.txt'));
  rmSync(join(archive.path, 'pkg', 'extra.txt'));
  const lost = (await verifyCache(sb.cache, ctx)).find((x) => x.entry.kind === 'archive')!;
  assert.equal(lost.problems, ['pkg/hello.txt: missing']);

  const r = await pruneCache(sb.cache, { ...guard, olderThanMs: 0, dryRun: false, now: Date.now() + 1000 });
  assert.is(r.candidates.length, 3);
  assert.equal(readdirSync(join(sb.cache, 'manifests')), [], 'records go with their entries');
});

test.run();
