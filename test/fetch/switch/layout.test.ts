import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isWeftError } from '../../../src/errors.js';
import { branchDir } from '../../../src/fetch/switch/layout.js';
import { svnBase } from '../../../src/fetch/switch/svn.js';

test('a branch checkout lives under <root>/.weft-branches/<name>/<branch>, nesting branch names with slashes', () => {
  assert.is(branchDir('/ws', 'lib', 'feature'), '/ws/.weft-branches/lib/feature');
  assert.is(branchDir('/ws/src', 'lib', 'topic/login'), '/ws/src/.weft-branches/lib/topic/login');
});

test('the svn branch base is the URL above /trunk or /branches/NAME', () => {
  assert.is(svnBase('docs', 'file:///r/proj/trunk'), 'file:///r/proj');
  assert.is(svnBase('docs', 'https://svn.example.org/proj/branches/b2/'), 'https://svn.example.org/proj');
});

test('an svn URL outside the trunk/branches layout is a clear error naming the layout', () => {
  for (const url of ['file:///r/proj', 'file:///r/proj/trunk/sub', 'file:///r/proj/tags/v1', 'file:///r/proj/branches']) {
    try {
      svnBase('docs', url);
      assert.unreachable(`accepted ${url}`);
    } catch (err) {
      assert.ok(isWeftError(err), String(err));
      assert.is(err.code, 'WEFT_E_SWITCH_SVN_LAYOUT');
      assert.match(err.message, /\/trunk or \/branches\/NAME/);
      assert.ok(err.hint);
    }
  }
});

test.run();
