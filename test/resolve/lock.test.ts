import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { applyLock, entryFor, lockAfter, lockStaleness, parseLock, renderLock, type Lock } from '../../src/resolve/index.js';
import type { WeftError } from '../../src/errors.js';
import type { Checkout, GitSource, Plan, Source } from '../../src/types.js';

const WS = '/ws';
const C1 = 'a'.repeat(40);
const C2 = 'b'.repeat(40);

function src(name: string, fields: Partial<Source> & Pick<Source, 'type'>, line = 3): Source {
  return {
    name, path: name, dir: join(WS, name), depends: [], groups: [], env: [], setup: [],
    loc: { file: join(WS, 'weft.yaml'), line, col: 3 },
    ...(fields.type === 'git' ? { submodules: false } : {}),
    ...fields,
  } as Source;
}

function plan(sources: Source[]): Plan {
  return { name: 't', manifest: join(WS, 'weft.yaml'), workspace: WS, root: WS, sources, envOrder: sources.map((s) => s.name), env: [], requires: {}, mirrors: {}, imports: [], files: [] };
}

function failure(fn: () => unknown): WeftError {
  try {
    fn();
  } catch (err) {
    return err as WeftError;
  }
  throw new Error('expected a failure');
}

const gitA = src('a', { type: 'git', url: 'https://h/a.git', ref: 'main' } as GitSource);
const lockA: Lock = { version: 1, sources: { a: { type: 'git', url: 'https://h/a.git', ref: 'main', commit: C1, defined: 'weft.yaml' } } };

test('render puts sources in name order with a fixed key order, and parse reads it back unchanged', () => {
  const lock: Lock = {
    version: 1,
    sources: {
      zed: { defined: 'more/weft.yaml', integrity: 'sha256-xx', url: 'https://h/z.tgz', type: 'archive' },
      a: { commit: C1, ref: 'main', type: 'git', url: 'https://h/a.git', defined: 'weft.yaml' },
    },
  };
  const text = renderLock(lock);
  assert.ok(text.indexOf('  a:') < text.indexOf('  zed:'));
  assert.match(text, /type: git\n\s+url: https:\/\/h\/a.git\n\s+ref: main\n\s+commit: a+\n\s+defined: weft.yaml\n/);
  assert.equal(parseLock(text, '/ws/weft.lock'), { version: 1, sources: { a: lock.sources.a!, zed: lock.sources.zed! } });
  assert.is(renderLock(parseLock(text, '/ws/weft.lock')), text);
});

test('applyLock pins a git source whose type, url and ref match, and reports changed entries as stale', () => {
  const b = src('b', { type: 'git', url: 'https://h/b.git', ref: 'dev' } as GitSource, 7);
  const lock: Lock = { version: 1, sources: { ...lockA.sources, b: { type: 'git', url: 'https://h/b.git', ref: 'main', commit: C2 } } };
  const { plan: out, stale } = applyLock(plan([gitA, b]), lock);
  assert.is((out.sources[0] as GitSource).commit, C1);
  assert.is((out.sources[1] as GitSource).commit, undefined);
  assert.equal(stale, ['b']);
});

test('applyLock leaves a commit from the manifest alone and skips the names it is told to', () => {
  const pinned = { ...gitA, commit: C2 } as GitSource;
  assert.is((applyLock(plan([pinned]), lockA).plan.sources[0] as GitSource).commit, C2);
  const { plan: out, stale } = applyLock(plan([gitA]), lockA, new Set(['a']));
  assert.is((out.sources[0] as GitSource).commit, undefined);
  assert.equal(stale, []);
});

test('applyLock pins svn and hg revisions and ignores a mirror rewrite of the url', () => {
  const s = src('s', { type: 'svn', url: 'https://mirror/s', canonicalUrl: 'https://h/s', ref: undefined }) ;
  const lock: Lock = { version: 1, sources: { s: { type: 'svn', url: 'https://h/s', revision: '42' } } };
  const out = applyLock(plan([s]), lock).plan.sources[0];
  assert.is(out?.type === 'svn' ? out.revision : undefined, '42');
});

test('lockAfter records successful checkouts, keeps entries of failed ones and drops removed sources', () => {
  const b = src('b', { type: 'git', url: 'https://h/b.git' } as GitSource, 7);
  const old: Lock = { version: 1, sources: { ...lockA.sources, b: { type: 'git', url: 'https://h/b.git', commit: C1 }, gone: { type: 'local' } } };
  const checkouts: Checkout[] = [
    { name: 'a', type: 'git', dir: '/ws/a', status: 'updated', revision: C2 },
    { name: 'b', type: 'git', dir: '/ws/b', status: 'failed', revision: C2 },
  ];
  const next = lockAfter(plan([gitA, b]), old, checkouts);
  assert.equal(Object.keys(next.sources), ['a', 'b']);
  assert.is(next.sources.a?.commit, C2);
  assert.equal(next.sources.b, old.sources.b);
});

test('lockStaleness names missing, stale (saying what differs), unpinned and removed entries, and nothing for a current lock', () => {
  assert.equal(lockStaleness(plan([gitA]), lockA), []);
  const b = src('b', { type: 'local' }, 8);
  const c = src('c', { type: 'svn', url: 'https://h/c' }, 9);
  const moved = { ...gitA, ref: 'dev' } as GitSource;
  const lock: Lock = { version: 1, sources: { ...lockA.sources, c: { type: 'svn', url: 'https://h/c' }, old: { type: 'local' } } };
  assert.equal(lockStaleness(plan([moved, b, c]), lock), [
    { name: 'a', why: 'stale', detail: 'ref: locked main, manifest dev' },
    { name: 'b', why: 'missing' },
    { name: 'c', why: 'unpinned' },
    { name: 'old', why: 'removed' },
  ]);
});

test('lockStaleness does not compare where a source is defined: another line, another file, or an old FILE:LINE:COL', () => {
  const lower = src('a', { type: 'git', url: 'https://h/a.git', ref: 'main' } as GitSource, 40);
  const elsewhere = { ...lower, loc: { file: join(WS, 'more.weft.yaml'), line: 2, col: 3 } } as GitSource;
  for (const s of [gitA, lower, elsewhere]) assert.equal(lockStaleness(plan([s]), lockA), [], s.loc.file);
  const old = parseLock(`version: 1\nsources:\n  a:\n    type: git\n    url: https://h/a.git\n    ref: main\n    commit: ${C1}\n    defined: weft.yaml:3:5\n`, '/ws/weft.lock');
  assert.is(old.sources.a?.defined, 'weft.yaml');
  assert.equal(lockStaleness(plan([lower]), old), []);
  const quoted = parseLock(`version: 1\nsources:\n  a:\n    type: git\n    url: https://h/a.git\n    ref: main\n    commit: ${C1}\n    defined: "weft.yaml:7"\n`, '/ws/weft.lock');
  assert.is(quoted.sources.a?.defined, 'weft.yaml', 'the full parser reads it the same');
});

test('entryFor records the canonical url, and local sources with no url or revision', () => {
  const m = { ...gitA, url: 'https://mirror/a.git', canonicalUrl: 'https://h/a.git' } as GitSource;
  assert.equal(entryFor(plan([m]), m, C1), { type: 'git', url: 'https://h/a.git', ref: 'main', commit: C1, defined: 'weft.yaml' });
  const l = src('l', { type: 'local' }, 5);
  assert.equal(entryFor(plan([l]), l), { type: 'local', defined: 'weft.yaml' });
});

test('a lock that is not valid YAML fails with WEFT_E_LOCK_SYNTAX at its line and column', () => {
  const err = failure(() => parseLock('version: 1\nsources:\n  a: [x\n', '/ws/weft.lock'));
  assert.is(err.code, 'WEFT_E_LOCK_SYNTAX');
  assert.is(err.exitCode, 2);
  assert.is(err.loc?.file, '/ws/weft.lock');
  assert.ok((err.loc?.line ?? 0) >= 3);
  assert.ok(err.hint);
});

test('every shape problem in a lock is reported with where it is', () => {
  const err = failure(() => parseLock('version: 1\nsources:\n  a:\n    type: git\n    colour: red\n  b:\n    type: gti\n  c:\n    type: git\n    commit: abc\n', '/ws/weft.lock'));
  const all = err.all().map((e) => `${e.code} ${e.loc?.line}:${e.loc?.col}`);
  // At the value that is wrong, not at its entry's name.
  assert.equal(all, ['WEFT_E_LOCK_KEY 5:5', 'WEFT_E_LOCK_VALUE 7:11', 'WEFT_E_LOCK_VALUE 10:13']);
});

test('a control character in a lock, raw or as a YAML escape, key or value, is refused where it is (the lock is committed, and printed)', () => {
  for (const [text, at] of [
    [`version: 1\nsources:\n  a:\n    type: git\n    url: /u\n    ref: "main\\e]0;x\\a"\n    commit: ${C1}\n`, '6:10'],
    [`version: 1\nsources:\n  a:\n    type: git\n    url: /u\x1b[8m\n    commit: ${C1}\n`, '5:10'],
    [`version: 1\nsources:\n  "a\x07":\n    type: git\n    url: /u\n    commit: ${C1}\n`, '3:3'],
  ] as const) {
    const err = failure(() => parseLock(text, '/ws/weft.lock'));
    assert.is(`${err.code} ${err.loc?.line}:${err.loc?.col}`, `WEFT_E_LOCK_VALUE ${at}`, text);
    assert.match(err.message, /control character U\+00(1B|07)/);
    assert.is(err.exitCode, 2);
  }
});

test('a commit id YAML would read as a number (all digits, or digits around one e) is read as written', () => {
  for (const commit of ['0'.repeat(40), '1'.repeat(39) + '0', `123e${'4'.repeat(36)}`]) {
    const lock = parseLock(`version: 1\nsources:\n  a:\n    type: git\n    url: /u\n    commit: ${commit}\n`, '/ws/weft.lock');
    assert.is(lock.sources['a']?.commit, commit);
  }
});

test('a lock of another version is refused with a version error', () => {
  const err = failure(() => parseLock('version: 9\nsources: {}\n', '/ws/weft.lock'));
  assert.is(err.code, 'WEFT_E_LOCK_VERSION');
  assert.equal(err.loc, { file: '/ws/weft.lock', line: 1, col: 10 });
  // A newer weft's lock pins the team's revisions: upgrade, do not delete it.
  assert.match(err.hint!, 'upgrade weft');
  assert.not.match(err.hint!, 'delete weft.lock and');
  const odd = failure(() => parseLock('version: x\nsources: {}\n', '/ws/weft.lock'));
  assert.is(odd.code, 'WEFT_E_LOCK_VERSION');
  assert.not.match(odd.hint!, 'upgrade');
});

test.run();
