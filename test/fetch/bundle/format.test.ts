import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isWeftError } from '../../../src/errors.js';
import { BUNDLE_FORMAT, parseIndex, safeEntryName, withoutSecret } from '../../../src/fetch/bundle/format.js';

const SUM = { size: 1, sha256: 'a'.repeat(64) };

function index(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    format: BUNDLE_FORMAT,
    weft: '0.0.0',
    created: '2026-11-26T00:00:00Z',
    name: 't',
    workspace: ['workspace/weft.yaml'],
    manifest: 'workspace/weft.yaml',
    sources: [{ type: 'git', name: 'app', dir: 'app', url: 'https://example.org/app.git', entry: 'git/app.bundle', commit: 'b'.repeat(40) }],
    entries: { 'workspace/weft.yaml': SUM, 'git/app.bundle': SUM },
    ...over,
  });
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isWeftError(err) ? err.code : 'not a WeftError';
  }
  return undefined;
}

test('entry names weft writes are accepted; climbing, absolute and odd names are not', () => {
  for (const ok of ['weft-bundle.json', 'git/app.bundle', 'workspace/sub/base.weft.yaml', 'archives/pkg_1']) assert.ok(safeEntryName(ok), ok);
  for (const bad of ['../x', 'a/../b', '/etc/passwd', './a', 'a//b', '', 'a\\b', '.hidden', 'a/.git/config', 'a b']) assert.not.ok(safeEntryName(bad), bad);
});

test('a well-formed index parses', () => {
  assert.is(parseIndex(index(), 'f').sources[0]!.name, 'app');
});

test('an index from a newer weft is refused with the version it needs', () => {
  assert.is(code(() => parseIndex(index({ format: BUNDLE_FORMAT + 1, weft: '9.0.0' }), 'f')), 'WEFT_E_BUNDLE_VERSION');
});

test('an index listing an unsafe entry, a source outside the workspace or a short commit is refused', () => {
  assert.is(code(() => parseIndex(index({ entries: { '../x': SUM, 'workspace/weft.yaml': SUM } }), 'f')), 'WEFT_E_BUNDLE_DAMAGED');
  const src = (o: Record<string, unknown>) => [{ type: 'git', name: 'app', dir: 'app', url: 'u', entry: 'git/app.bundle', commit: 'b'.repeat(40), ...o }];
  assert.is(code(() => parseIndex(index({ sources: src({ dir: '../outside' }) }), 'f')), 'WEFT_E_BUNDLE_DAMAGED');
  assert.is(code(() => parseIndex(index({ sources: src({ commit: 'abc' }) }), 'f')), 'WEFT_E_BUNDLE_DAMAGED');
  assert.is(code(() => parseIndex(index({ sources: src({ entry: 'git/other.bundle' }) }), 'f')), 'WEFT_E_BUNDLE_DAMAGED');
  assert.is(code(() => parseIndex('{not json', 'f')), 'WEFT_E_BUNDLE_DAMAGED');
});

test('a password or token in a URL never reaches the index; the user name stays', () => {
  assert.is(withoutSecret('https://ann:s3cret@hg.example.org/repo'), 'https://ann@hg.example.org/repo');
  assert.is(withoutSecret('https://hg.example.org/repo'), 'https://hg.example.org/repo');
  assert.is(withoutSecret('svn+ssh://bob@svn.example.org/trunk'), 'svn+ssh://bob@svn.example.org/trunk');
});

test.run();
