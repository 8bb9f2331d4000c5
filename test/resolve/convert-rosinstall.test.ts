import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { convertRosinstall } from '../../src/resolve/convert/index.js';
import type { WeftError } from '../../src/errors.js';
import { fixture } from '../helpers/convert-fixtures.js';

test('a classic rosinstall becomes git, svn and hg sources, and "other" a local directory', () => {
  const { path, text } = fixture('classic.rosinstall');
  const { manifest } = convertRosinstall(text, path);
  assert.equal(manifest, {
    weft: 1,
    sources: {
      ros: { local: '/opt/ros/noetic/share/ros' },
      ros_tutorials: { git: 'https://github.com/ros/ros_tutorials.git', ref: 'noetic-devel' },
      common_msgs: { svn: 'https://code.ros.org/svn/ros-pkg/stacks/common_msgs/trunk', ref: '5432', path: 'stacks/common_msgs' },
      geometry_experimental: { hg: 'https://kforge.ros.org/geometry/experimental', ref: 'default' },
    },
  });
});

test('setup-file, bzr and tar entries are reported with their line', () => {
  const { path, text } = fixture('classic.rosinstall');
  const { notes } = convertRosinstall(text, path);
  assert.equal(notes, [
    { line: 2, message: 'setup-file "/opt/ros/noetic/setup.sh" not carried over: weft writes the environment itself; put variables under "env:"' },
    { line: 12, message: 'bzr entry "bzr_pkg" not carried over: weft fetches git, svn, hg, archives and local directories' },
    { line: 13, message: 'tar entry "tarpkg" not carried over: weft archives need an integrity hash; add it as "archive:" with "integrity:"' },
  ]);
});

test('an entry with two kinds is refused with its position', () => {
  try {
    convertRosinstall('- git: {local-name: a, uri: u}\n- git: {local-name: b, uri: u}\n  svn: {local-name: b, uri: u}\n', '/w/.rosinstall');
    assert.unreachable('should fail');
  } catch (err) {
    const e = err as WeftError;
    assert.is(e.code, 'WEFT_E_CONVERT_INPUT');
    assert.equal(e.loc, { file: '/w/.rosinstall', line: 2, col: 3 });
  }
});

test('an entry without local-name is refused', () => {
  try {
    convertRosinstall('- git: {uri: https://h/a.git}\n', '/w/.rosinstall');
    assert.unreachable('should fail');
  } catch (err) {
    const e = err as WeftError;
    assert.is(e.code, 'WEFT_E_CONVERT_INPUT');
    assert.match(e.message, /no "local-name"/);
    assert.is(e.loc?.line, 1);
  }
});

test('a mapping at the top is not a rosinstall file', () => {
  try {
    convertRosinstall('git: {local-name: a}\n', 'x.rosinstall');
    assert.unreachable('should fail');
  } catch (err) {
    assert.is((err as WeftError).code, 'WEFT_E_CONVERT_INPUT');
    assert.match((err as WeftError).message, /must be a list/);
  }
});

test.run();
