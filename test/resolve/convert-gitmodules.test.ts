import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { convertGitmodules, resolveRelativeUrl } from '../../src/resolve/convert/index.js';
import type { WeftError } from '../../src/errors.js';
import { fixture } from '../helpers/convert-fixtures.js';

test('.gitmodules becomes git sources with paths, branches and shallow as depth 1', () => {
  const { path, text } = fixture('gitmodules');
  const { manifest } = convertGitmodules(text, path, { remote: 'https://github.com/acme/app.git' });
  assert.equal(manifest, {
    weft: 1,
    sources: {
      googletest: { git: 'https://github.com/google/googletest.git', ref: 'main', path: 'third_party/googletest' },
      libfoo: { git: 'https://github.com/acme/libfoo.git', ref: 'stable', depth: 1, path: 'lib/foo' },
      theme: { git: 'https://github.com/acme/app.git/theme.git', path: 'docs/theme' },
    },
  });
});

test('relative URLs without --remote are kept as written and reported', () => {
  const { path, text } = fixture('gitmodules');
  const { manifest, notes } = convertGitmodules(text, path);
  assert.is(manifest.sources['libfoo']?.git, '../libfoo.git');
  assert.is(manifest.sources['theme']?.git, './theme.git');
  assert.equal(notes, [
    { line: 1, message: 'submodule commits are recorded in the superproject, not in .gitmodules; weft follows each branch and pins what it checked out in weft.lock' },
    { line: 5, message: 'submodule "libfoo" has the relative url "../libfoo.git", kept as written (relative to weft.yaml); pass --remote URL of the superproject to resolve it' },
    { line: 10, message: 'submodule "theme" has the relative url "./theme.git", kept as written (relative to weft.yaml); pass --remote URL of the superproject to resolve it' },
    { line: 13, message: '"update" of submodule "theme" not carried over: weft checks out the ref; merge/rebase policies are up to you in the checkout' },
  ]);
});

test('relative URLs resolve the way git resolves them, for URLs and scp-like remotes', () => {
  assert.is(resolveRelativeUrl('https://github.com/acme/app.git', '../lib.git'), 'https://github.com/acme/lib.git');
  assert.is(resolveRelativeUrl('https://github.com/acme/app/', '../../other/lib.git'), 'https://github.com/other/lib.git');
  assert.is(resolveRelativeUrl('git@github.com:acme/app.git', '../lib.git'), 'git@github.com:acme/lib.git');
  assert.is(resolveRelativeUrl('git@github.com:acme/app.git', '../../x/lib.git'), 'git@github.com:x/lib.git');
  assert.is(resolveRelativeUrl('/srv/git/app.git', './sub.git'), '/srv/git/app.git/sub.git');
});

test('a relative URL climbing above the host is refused', () => {
  try {
    resolveRelativeUrl('https://github.com/app.git', '../../x.git');
    assert.unreachable('should fail');
  } catch (err) {
    assert.is((err as WeftError).code, 'WEFT_E_USAGE');
  }
});

test('git config syntax: quotes, comments, case-insensitive keys, "branch = ." and other sections', () => {
  const text = [
    '# top comment',
    '[core]',
    '\tbare = false',
    '[Submodule "a"]',
    '\tPath = "dir with space"  ; trailing comment',
    '\tURL = https://h/a.git # another',
    '\tbranch = .',
    '',
  ].join('\n');
  const { manifest, notes } = convertGitmodules(text, '.gitmodules');
  assert.equal(manifest.sources, { a: { git: 'https://h/a.git', path: 'dir with space' } });
  assert.equal(notes.map((n) => n.line), [2, 4, 4]);
  assert.match(notes[0]!.message, /\[core\] not carried over/);
  assert.ok(notes.some((n) => /branch = \./.test(n.message)));
});

test('a malformed line is refused with its line and column', () => {
  try {
    convertGitmodules('[submodule "a"]\n\tpath = a\n\t= nothing\n', '/w/.gitmodules');
    assert.unreachable('should fail');
  } catch (err) {
    const e = err as WeftError;
    assert.is(e.code, 'WEFT_E_CONVERT_PARSE');
    assert.is(e.exitCode, 2);
    assert.equal(e.loc, { file: '/w/.gitmodules', line: 3, col: 2 });
  }
});

test('a submodule without url is refused at its section', () => {
  try {
    convertGitmodules('\n[submodule "a"]\n\tpath = a\n', '/w/.gitmodules');
    assert.unreachable('should fail');
  } catch (err) {
    const e = err as WeftError;
    assert.is(e.code, 'WEFT_E_CONVERT_INPUT');
    assert.equal(e.loc, { file: '/w/.gitmodules', line: 2, col: 1 });
  }
});

test('a submodule written in two sections of one name is one submodule, as git reads it: settings merged, the later value winning', () => {
  const text = [
    '[submodule "a"]',
    '\tpath = a',
    '\tbranch = main',
    '[submodule "b"]',
    '\tpath = b',
    '\turl = https://h/b.git',
    '[submodule "a"]',
    '\turl = https://h/a.git',
    '\tbranch = stable',
    '',
  ].join('\n');
  const { manifest } = convertGitmodules(text, '.gitmodules');
  assert.equal(manifest.sources, { a: { git: 'https://h/a.git', ref: 'stable' }, b: { git: 'https://h/b.git' } });
  assert.equal(Object.keys(manifest.sources), ['a', 'b'], 'in the order git lists them: where each first appears');
});

test.run();
