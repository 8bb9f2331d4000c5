// The small checkers: did-you-mean, URLs, refs, integrity, version ranges, directory clashes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MANIFEST_KEYS, SOURCE_KEYS } from '../../src/resolve/index.js';
import { normaliseIntegrity, formatFromUrl } from '../../src/resolve/integrity.js';
import { findDirClashes, checkCheckoutPath } from '../../src/resolve/paths.js';
import { checkGitRef, checkSvnRev } from '../../src/resolve/refs.js';
import { checkRange } from '../../src/resolve/requires.js';
import { closest, editDistance, suggestHint } from '../../src/resolve/suggest.js';
import { applyMirrors, checkUrl } from '../../src/resolve/urls.js';

test('did-you-mean finds typos, swaps and prefixes, and gives up on strangers', () => {
  assert.is(editDistance('ab', 'ba'), 1, 'a swap of neighbours is one edit');
  assert.is(closest('soruces', MANIFEST_KEYS), 'sources');
  assert.is(closest('submodule', SOURCE_KEYS), 'submodules');
  assert.is(closest('dep', SOURCE_KEYS), 'depth');
  assert.is(closest('Ref', SOURCE_KEYS), 'ref');
  assert.is(closest('zzzz', SOURCE_KEYS), undefined);
  assert.is(suggestHint('x', [], 'source names'), 'there are no source names defined');
  assert.match(suggestHint('qqqq', ['a', 'b'], 'things'), 'valid things: `a`, `b`');
});

test('git URLs: only plain transports pass', () => {
  const ok = (u: string) => checkUrl('git', u, '/ws').ok;
  for (const u of ['https://h/x.git', 'http://h/x', 'ssh://git@h/x', 'git://h/x', 'file:///x', 'git@h:x.git', 'h:x.git', '../x', '/abs/x']) assert.ok(ok(u), u);
  for (const u of ['-x', 'ext::sh -c x', 'fd::3', 'foo::bar', 'ftp://h/x', 'git+ssh://h/x', 'ssh://-oProxyCommand=x/y', 'ssh://-u@h/x', '-oProxyCommand=x@h:y', 'https://h/x\n', '']) {
    assert.not.ok(ok(u), u);
  }
  assert.equal(checkUrl('svn', 'repo', '/ws'), { ok: true, url: 'file:///ws/repo', relative: true });
  assert.equal(checkUrl('git', '/abs/x', '/ws'), { ok: true, url: '/abs/x' });
  assert.not.ok(checkUrl('archive', 'ssh://h/x.tgz', '/ws').ok);
  assert.not.ok(checkUrl('hg', 'h:x', '/ws').ok);
});

test('mirrors pick the longest prefix', () => {
  const m = [['https://a/', 'https://m1/'], ['https://a/b/', 'https://m2/']] as const;
  assert.equal(applyMirrors('https://a/b/c', m), { url: 'https://m2/c', prefix: 'https://a/b/' });
  assert.equal(applyMirrors('https://z/', m), { url: 'https://z/' });
});

test('git refs follow check-ref-format', () => {
  for (const r of ['main', 'v1.0', 'feature/x', 'refs/heads/main', 'release-2.x', '0.8.0']) assert.ok(checkGitRef(r).ok, r);
  for (const r of ['', '-x', 'a b', 'a..b', 'a@{1}', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[', 'a\\b', '/a', 'a/', 'a//b', 'a.', '.a', 'a/.b', 'x.lock', 'a/x.lock/b', '@', 'a\tb']) {
    assert.not.ok(checkGitRef(r).ok, r);
  }
  assert.ok(checkSvnRev('1234').ok);
  assert.ok(checkSvnRev('HEAD').ok);
  assert.not.ok(checkSvnRev('r12').ok);
});

test('integrity is normalised to SRI and its length checked', () => {
  const hex = 'ab'.repeat(32);
  const sri = `sha256-${Buffer.from(hex, 'hex').toString('base64')}`;
  assert.equal(normaliseIntegrity(`sha256:${hex}`), { ok: true, sri });
  assert.equal(normaliseIntegrity(sri), { ok: true, sri });
  assert.ok(normaliseIntegrity(`sha512-${Buffer.alloc(64).toString('base64')}`).ok);
  for (const bad of [`sha256:${hex.slice(2)}`, 'sha1-AAAA', 'sha256-!!!!', `sha512-${Buffer.alloc(32).toString('base64')}`, 'md5:abc', hex]) {
    assert.not.ok(normaliseIntegrity(bad).ok, bad);
  }
  assert.is(formatFromUrl('https://h/a.tar.gz?sig=1#x'), 'tar.gz');
  assert.is(formatFromUrl('https://h/a.gz'), undefined);
});

test('version ranges: comparators separated by spaces', () => {
  for (const r of ['>=2.30', '>=3.9 <4', '=1.0.0', '^1.2', '~1.2', '1.x', '*', '>=1 || <0.5', '2.30.1-rc1']) assert.is(checkRange(r), undefined, r);
  for (const r of ['>= 2', 'latest', '>=2.30,<3', '', '1 ||']) assert.ok(checkRange(r), r);
});

test('checkout paths stay under the root', () => {
  assert.equal(checkCheckoutPath('a/./b/'), { ok: true, path: 'a/b' });
  for (const p of ['', '/a', '.', 'a/..', '..', '../x', 'a/../../x']) assert.not.ok(checkCheckoutPath(p).ok, p);
});

test('directory clashes: same dir, nesting across a sibling that sorts between, locals exempt from nesting', () => {
  const d = (name: string, dir: string, local = false) => ({ name, dir, local, loc: { file: 'f', line: 1, col: 1 } });
  const pairs = (ds: ReturnType<typeof d>[]) => findDirClashes(ds).map((c) => `${c.a.name}-${c.b.name}${c.same ? '=' : '<'}`);
  assert.equal(pairs([d('x', '/w/x'), d('xy', '/w/x-y'), d('in', '/w/x/z')]), ['x-in<'], "'-' sorts before '/'");
  assert.equal(pairs([d('a', '/w/a'), d('b', '/w/a')]), ['a-b=']);
  assert.equal(pairs([d('self', '/w', true), d('a', '/w/deps/a'), d('l2', '/w/deps/a/x', true)]), [], 'locals may contain or sit in checkouts');
  assert.equal(pairs([d('l', '/w/a', true), d('a', '/w/a')]), ['l-a='], 'but never share one');
  assert.equal(pairs([d('l1', '/w/l', true), d('l2', '/w/l', true)]), []);
});

test.run();
