// weft.lock written without the YAML library must be byte for byte what the library writes;
// whatever it is not sure of goes to the library.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stringify } from 'yaml';
import { parseLock, renderLock, type Lock, type LockEntry } from '../../src/resolve/index.js';
import { renderLockFast } from '../../src/resolve/lock-fast-write.js';

const KEY_ORDER: (keyof LockEntry)[] = ['type', 'url', 'ref', 'commit', 'revision', 'integrity', 'defined'];

function byLibrary(lock: Lock): string {
  const sources: Record<string, Record<string, string>> = {};
  for (const name of Object.keys(lock.sources).sort()) {
    const e = lock.sources[name]!;
    sources[name] = Object.fromEntries(KEY_ORDER.filter((k) => e[k] !== undefined).map((k) => [k, e[k]!]));
  }
  return stringify({ version: 1, sources }, { lineWidth: 0, indent: 2, sortMapEntries: false });
}

const VALUES = [
  'git://127.0.0.1:35701/r00.git', 'git@github.com:twisted/twisted.git', 'https://user@host:8443/a/b.git?x=1&y=2', 'file:///tmp/a b',
  'sha256-Fn0Y2h+/abc=', 'sha512-AbC/xyz+==', 'sha256:0123abcd', 'weft.yaml:4', 'sub/base.weft.yaml:12', '3177b214ed4894e81982b666119cf2cb560c3eeb',
  '1234567e12', '1e3', '0x1F', '0o17', '123', '1.5', '.5', '+1', '-1', '1_000', 'null', 'Null', '~', 'true', 'False', 'yes', 'no', 'on', 'off', 'y', 'N',
  '.inf', '.NaN', '2001-12-14', '12:30', 'a: b', 'a:', 'a #b', '#a', '-', '-a', '--end', '?a', ':a', '%a', '@a', '!a', '&a', '*a', '|', '>', "'a'", '"a"',
  'a,b', '[a]', '{a}', 'a[0]', 'a}', '=', '=a', 'a.', '..', '.', '(x)', '$x', 'a\tb', 'trunk', 'v1.2.3', 'release/2.x', '', ' a', 'a ',
];

test('every value it writes is written exactly as the YAML library writes it', () => {
  let fast = 0;
  for (const v of VALUES) {
    for (const name of ['alpha', 'B', 'a.b', 'a-b', '1', 'true', 'yes', '0x1']) {
      const lock: Lock = { version: 1, sources: { [name]: { type: 'git', url: v, ref: v, commit: '3177b214ed4894e81982b666119cf2cb560c3eeb', defined: 'weft.yaml' } } };
      const text = renderLockFast(lock, 1, KEY_ORDER);
      if (text === undefined) continue;
      fast++;
      assert.is(text, byLibrary(lock), `${JSON.stringify(name)}: ${JSON.stringify(v)}`);
    }
  }
  // The common shapes must take the fast way, or it saves nothing.
  assert.ok(fast > 50, `only ${fast} rendered without the library`);
});

test('many sources are sorted as the library sorts them, and an empty lock is written the same', () => {
  const names = ['zeta', 'Alpha', 'alpha', 'a-b', 'a.b', 'a_b', 'a0', '0a', 'beta'];
  const sources: Record<string, LockEntry> = {};
  for (const [i, n] of names.entries()) sources[n] = { type: i % 2 ? 'local' : 'archive', url: i % 2 ? undefined : `https://example.org/${n}.tgz`, integrity: i % 2 ? undefined : 'sha256-abc=', defined: `weft.yaml:${i + 3}` };
  const lock: Lock = { version: 1, sources };
  assert.is(renderLockFast(lock, 1, KEY_ORDER), byLibrary(lock));
  assert.is(renderLockFast({ version: 1, sources: {} }, 1, KEY_ORDER), byLibrary({ version: 1, sources: {} }));
});

test('values the library must quote go to the library, and read back unchanged', () => {
  for (const ref of ['1.0', 'true', 'null', 'a: b', '#x', '', '@a']) {
    const lock: Lock = { version: 1, sources: { alpha: { type: 'git', url: 'https://example.org/a.git', ref, commit: '3177b214ed4894e81982b666119cf2cb560c3eeb', defined: 'weft.yaml' } } };
    assert.is(renderLockFast(lock, 1, KEY_ORDER), undefined, ref);
    const text = renderLock(lock);
    assert.ok(text.endsWith(byLibrary(lock)), ref);
    assert.equal(parseLock(text, 'weft.lock').sources.alpha, lock.sources.alpha, ref);
  }
});

test.run();
