import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { convertVcstool } from '../../src/resolve/convert/index.js';
import { WeftError } from '../../src/errors.js';
import { fixture } from '../helpers/convert-fixtures.js';

test('a ROS 2 style .repos becomes git, hg and svn sources that keep their paths and versions', () => {
  const { path, text } = fixture('ros2.repos');
  const { manifest } = convertVcstool(text, path);
  assert.equal(manifest, {
    weft: 1,
    sources: {
      ament_cmake: { git: 'https://github.com/ament/ament_cmake.git', ref: 'rolling', path: 'ament/ament_cmake' },
      cyclonedds: { git: 'https://github.com/eclipse-cyclonedds/cyclonedds.git', ref: 'releases/0.10.x', path: 'eclipse-cyclonedds/cyclonedds' },
      rcl: { git: 'https://github.com/ros2/rcl.git', ref: 'rolling', path: 'ros2/rcl' },
      'vendor-rcl': { git: 'https://github.com/example/rcl-fork.git', ref: '1.10', path: 'vendor/rcl' },
      rviz: { hg: 'https://hg.example.org/rviz', path: 'ros2/rviz' },
      legacy: { svn: 'https://svn.example.org/legacy/trunk', ref: '1234', path: 'tools/legacy' },
    },
  });
  assert.equal(Object.keys(manifest.sources), ['ament_cmake', 'cyclonedds', 'rcl', 'vendor-rcl', 'rviz', 'legacy'], 'input order is kept');
});

test('tar and bzr repositories are reported with their line instead of carried over', () => {
  const { path, text } = fixture('ros2.repos');
  const { notes } = convertVcstool(text, path);
  assert.equal(notes, [
    { line: 25, message: 'repository "vendor/tinyxml" (type tar, https://example.org/tinyxml-2.6.2.tar.gz) not carried over: weft archives need an integrity hash; add it as "archive:" with "integrity:"' },
    { line: 29, message: 'repository "tools/old" (type bzr) not carried over: weft fetches git, svn, hg, archives and local directories' },
  ]);
});

test('a repository inside another (or around it) is left out with a note naming both lines; side by side ones stay', () => {
  const text = [
    'repositories:',
    '  src/core:',
    '    type: git',
    '    url: https://h/core.git',
    '  src/core/plugins:',
    '    type: git',
    '    url: https://h/plugins.git',
    '  src/core-extras:',
    '    type: git',
    '    url: https://h/extras.git',
    '  src:',
    '    type: git',
    '    url: https://h/all.git',
    '',
  ].join('\n');
  const { manifest, notes } = convertVcstool(text, 'x.repos');
  assert.equal(Object.keys(manifest.sources), ['core', 'core-extras']);
  assert.equal(notes, [
    { line: 5, message: 'repository at "src/core/plugins" not carried over: it would be checked out inside the one at "src/core" (line 2), and weft keeps each source in a directory of its own; add it by hand with a path of its own' },
    { line: 11, message: 'repository at "src" not carried over: it would be checked out around the one at "src/core" (line 2), and weft keeps each source in a directory of its own; add it by hand with a path of its own' },
  ]);
});

test('a version that YAML would read as a number keeps its written text', () => {
  const { manifest } = convertVcstool('repositories:\n  a:\n    type: git\n    url: u\n    version: 2.10\n', 'x.repos');
  assert.is(manifest.sources['a']?.ref, '2.10');
});

test('unknown entry fields and top-level keys are noted, not silently dropped', () => {
  const text = 'extra: 1\nrepositories:\n  lib:\n    type: git\n    url: https://h/lib.git\n    shallow: true\n';
  const { manifest, notes } = convertVcstool(text, 'x.repos');
  assert.equal(manifest.sources, { lib: { git: 'https://h/lib.git' } });
  assert.equal(notes.map((n) => n.line), [1, 6]);
  assert.match(notes[1]!.message, /"shallow" of repository "lib" not carried over/);
});

test('a literal ${ in a URL is escaped so weft does not read it as a variable', () => {
  const { manifest } = convertVcstool('repositories:\n  a:\n    type: git\n    url: https://h/${x}.git\n', 'x.repos');
  assert.is(manifest.sources['a']?.git, 'https://h/$${x}.git');
});

test('an entry without url fails with its position', () => {
  try {
    convertVcstool('repositories:\n  a:\n    type: git\n', '/w/x.repos');
    assert.unreachable('should fail');
  } catch (err) {
    assert.instance(err, WeftError);
    const e = err as WeftError;
    assert.is(e.code, 'WEFT_E_CONVERT_INPUT');
    assert.is(e.exitCode, 2);
    assert.equal(e.loc, { file: '/w/x.repos', line: 2, col: 3 });
  }
});

test('a file without "repositories" is refused', () => {
  try {
    convertVcstool('repos:\n  a: {}\n', 'x.repos');
    assert.unreachable('should fail');
  } catch (err) {
    assert.is((err as WeftError).code, 'WEFT_E_CONVERT_INPUT');
    assert.match((err as WeftError).message, /no "repositories"/);
  }
});

test('broken YAML fails with the line and column of the syntax error', () => {
  try {
    convertVcstool('repositories:\n  a:\n    type: git\n    url: [unclosed\n', '/w/x.repos');
    assert.unreachable('should fail');
  } catch (err) {
    const e = err as WeftError;
    assert.is(e.code, 'WEFT_E_CONVERT_PARSE');
    assert.is(e.exitCode, 2);
    assert.is(e.loc?.file, '/w/x.repos');
    assert.ok((e.loc?.line ?? 0) >= 4, `line ${e.loc?.line}`);
  }
});

test('duplicate repository paths are a YAML error, not a silent overwrite', () => {
  try {
    convertVcstool('repositories:\n  a: {type: git, url: u}\n  a: {type: git, url: v}\n', 'x.repos');
    assert.unreachable('should fail');
  } catch (err) {
    const e = err as WeftError;
    assert.is(e.code, 'WEFT_E_CONVERT_PARSE');
    assert.is(e.loc?.line, 3);
    assert.is(e.loc?.col, 3);
  }
});

test.run();
