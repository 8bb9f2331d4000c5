import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cacheDirFrom, readState, up, updateState } from '../../src/fetch/index.js';
import { writeFileAtomic } from '../../src/atomic.cjs';
import { isWeftError } from '../../src/errors.js';
import { runPool } from '../../src/fetch/pool.js';
import { gitSandbox, localSource, makePlan, type GitSandbox } from '../helpers/git-repo.js';

let sb: GitSandbox;
test.before.each(() => {
  sb = gitSandbox();
});
test.after.each(() => sb.cleanup());

test('the cache dir comes from WEFT_CACHE_DIR, then XDG_CACHE_HOME, then HOME', () => {
  assert.is(cacheDirFrom({ WEFT_CACHE_DIR: '/c/w', XDG_CACHE_HOME: '/x', HOME: '/h' }), '/c/w');
  assert.is(cacheDirFrom({ XDG_CACHE_HOME: '/x', HOME: '/h' }), '/x/weft');
  assert.is(cacheDirFrom({ XDG_CACHE_HOME: 'relative', HOME: '/h' }), '/h/.cache/weft');
  assert.is(cacheDirFrom({ HOME: '/h' }), '/h/.cache/weft');
});

test('a relative WEFT_CACHE_DIR is an error, not a cache in whatever directory weft runs in', () => {
  for (const value of ['rel', './rel', '~/weft-cache']) {
    try {
      cacheDirFrom({ WEFT_CACHE_DIR: value, XDG_CACHE_HOME: '/x', HOME: '/h' });
      assert.unreachable(`${value} was taken`);
    } catch (err) {
      assert.ok(isWeftError(err), String(err));
      assert.is(err.code, 'WEFT_E_CACHE_DIR');
      assert.is(err.exitCode, 2);
      assert.match(err.message, `WEFT_CACHE_DIR is "${value}"`);
    }
  }
});

test('atomic writes replace the file whole and leave no temp files', () => {
  const f = join(sb.root, 'state.json');
  writeFileAtomic(f, 'one');
  writeFileAtomic(f, 'two');
  assert.is(readFileSync(f, 'utf8'), 'two');
  assert.equal(readdirSync(sb.root).filter((n) => n.includes('.tmp')), []);
});

test("state updates keep fields other layers own", () => {
  mkdirSync(join(sb.workspace, '.weft'));
  writeFileSync(
    join(sb.workspace, '.weft', 'state.json'),
    JSON.stringify({ version: 1, other: 'kept', sources: { a: { type: 'git', dir: '/a', setup: { stamp: 1 }, activeDir: '/b' } } }),
  );
  updateState(sb.workspace, { a: { revision: 'r2' } });
  const s = readState(sb.workspace);
  assert.is(s.other, 'kept');
  assert.equal(s.sources.a!.setup, { stamp: 1 });
  assert.is(s.sources.a!.activeDir, '/b');
  assert.is(s.sources.a!.revision, 'r2');
});

test('the pool keeps to its limits and returns results in task order', async () => {
  let running = 0;
  let peak = 0;
  const perHost = new Map<string, number>();
  let hostPeak = 0;
  const tasks = Array.from({ length: 12 }, (_, i) => ({
    host: i % 2 ? 'a' : 'b',
    run: async () => {
      running++;
      peak = Math.max(peak, running);
      const h = i % 2 ? 'a' : 'b';
      perHost.set(h, (perHost.get(h) ?? 0) + 1);
      hostPeak = Math.max(hostPeak, perHost.get(h)!);
      await new Promise((r) => setTimeout(r, 5 + ((i * 7) % 11)));
      perHost.set(h, perHost.get(h)! - 1);
      running--;
      return i;
    },
  }));
  const out = await runPool(tasks, { jobs: 4, jobsPerHost: 1 });
  assert.equal(out, Array.from({ length: 12 }, (_, i) => i));
  assert.ok(peak <= 2, `peak ${peak}`);
  assert.is(hostPeak, 1);
});

test('a parked task frees its slot and its host: the others start, and the pool waits for it', async () => {
  // Every task parks on one promise that settles only once all six have started: with two
  // slots and one per host, that happens only if parking lets the next ones in.
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const started: number[] = [];
  let ended = 0;
  const tasks = Array.from({ length: 6 }, (_, i) => ({
    host: 'h',
    run: async (park: <R>(p: Promise<R>) => Promise<R>) => {
      started.push(i);
      if (started.length === 6) release();
      await park(gate);
      await new Promise((r) => setTimeout(r, 2));
      ended++;
      return i;
    },
  }));
  const out = await runPool(tasks, { jobs: 2, jobsPerHost: 1 });
  assert.equal(out, [0, 1, 2, 3, 4, 5]);
  assert.equal(started, [0, 1, 2, 3, 4, 5]);
  assert.is(ended, 6, 'the pool resolved before a parked task had finished');
});

test('fail-fast starts nothing after the first failure', async () => {
  const started: number[] = [];
  const tasks = Array.from({ length: 5 }, (_, i) => ({ run: async () => (started.push(i), i === 1 ? 'bad' : 'good') }));
  const out = await runPool(tasks, { jobs: 1, jobsPerHost: 1, failFast: true, isFailure: (r) => r === 'bad' });
  assert.equal(started, [0, 1]);
  assert.equal(out, ['good', 'bad', undefined, undefined, undefined]);
});

test('a local source is used in place; a missing one fails', async () => {
  const here = join(sb.root, 'mylib');
  mkdirSync(here);
  writeFileSync(join(here, 'f'), 'x');
  const plan = makePlan(sb.workspace, [localSource(sb, 'mylib', here), localSource(sb, 'gone', join(sb.root, 'gone'))]);
  const [a, b] = await up(plan, { env: sb.env, cacheDir: sb.cache });
  assert.is(a!.status, 'local');
  assert.is(a!.dir, here);
  assert.equal(readdirSync(here), ['f']);
  assert.is(b!.status, 'failed');
  assert.is(b!.code, 'WEFT_E_LOCAL_MISSING');
  assert.not.ok(existsSync(join(sb.root, 'gone')));
});

test('a source that fails (here an archive with a malformed integrity) does not stop the others', async () => {
  const here = join(sb.root, 'mylib');
  mkdirSync(here);
  const archive = { ...localSource(sb, 'arc', join(sb.workspace, 'arc')), type: 'archive' as const, url: 'https://x/a.tgz', integrity: 'sha256-x', strip: 0 };
  const [a, b] = await up(makePlan(sb.workspace, [archive, localSource(sb, 'mylib', here)]), { env: sb.env, cacheDir: sb.cache });
  assert.is(a!.status, 'failed');
  assert.is(a!.code, 'WEFT_E_INTEGRITY_FORMAT');
  // The fix travels as the checkout's hint (the summary's "hint:" line, --json's "hint"), not as a cause.
  assert.match(a!.hint ?? '', /^write sha256-<base64>/);
  assert.is(a!.cause, undefined);
  assert.is(a!.revision, undefined, 'a failure reports no revision: nothing of the manifest archive is there');
  assert.is(b!.status, 'local');
});

test('only the selected sources are converged; unknown names are a usage error', async () => {
  const here = join(sb.root, 'mylib');
  mkdirSync(here);
  const plan = makePlan(sb.workspace, [localSource(sb, 'a', here), localSource(sb, 'gone', join(sb.root, 'gone'))]);
  const out = await up(plan, { env: sb.env, cacheDir: sb.cache, only: ['a'] });
  assert.is(out.length, 2);
  assert.is(out[0]!.status, 'local');
  assert.is(out[1]!.message, 'not selected');
  assert.is(out[1]!.notSelected, true, 'the summary counts it apart');
  try {
    await up(plan, { env: sb.env, cacheDir: sb.cache, only: ['nope'] });
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code: string }).code, 'WEFT_E_USAGE_UNKNOWN_SOURCE');
  }
});

test('a workspace lock held by a live process makes up fail naming the holder', async () => {
  mkdirSync(join(sb.workspace, '.weft'));
  writeFileSync(join(sb.workspace, '.weft', 'lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
  try {
    await up(makePlan(sb.workspace, []), { env: sb.env, cacheDir: sb.cache, defaults: { workspaceLockWaitMs: 200 } });
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code: string }).code, 'WEFT_E_LOCKED');
    assert.match((err as Error).message, String(process.pid));
  }
  assert.ok(existsSync(join(sb.workspace, '.weft', 'lock')), "the holder's lock is left alone");
});

test('a workspace lock left by a dead process is taken over', async () => {
  const { spawnSync } = await import('node:child_process');
  const dead = spawnSync('true').pid!;
  mkdirSync(join(sb.workspace, '.weft'));
  writeFileSync(join(sb.workspace, '.weft', 'lock'), JSON.stringify({ pid: dead, host: hostname(), since: new Date().toISOString() }));
  const out = await up(makePlan(sb.workspace, []), { env: sb.env, cacheDir: sb.cache, defaults: { workspaceLockWaitMs: 200 } });
  assert.equal(out, []);
  assert.not.ok(existsSync(join(sb.workspace, '.weft', 'lock')));
});

test.run();
