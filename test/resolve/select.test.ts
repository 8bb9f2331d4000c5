import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { selectSources } from '../../src/resolve/index.js';
import { WeftError } from '../../src/errors.js';
import type { Plan, Source } from '../../src/types.js';

const src = (name: string, depends: string[] = [], groups: string[] = []): Source => ({
  type: 'local', name, path: name, dir: `/w/${name}`, depends, groups, env: [], setup: [], loc: { file: '/w/weft.yaml', line: 1, col: 1 },
});
const plan = {
  sources: [src('app', ['lib']), src('lib', ['core']), src('core'), src('docs', [], ['extra']), src('py2', ['core'], ['extra', 'old'])],
  manifest: '/w/weft.yaml',
} as unknown as Plan;

test('nothing named selects every source, minus the skipped ones', () => {
  assert.equal(selectSources(plan, {}), ['app', 'lib', 'core', 'docs', 'py2']);
  assert.equal(selectSources(plan, { skip: ['docs'] }), ['app', 'lib', 'core', 'py2']);
});

test('a named source brings what it depends on, transitively, in manifest order', () => {
  assert.equal(selectSources(plan, { names: ['app'] }), ['app', 'lib', 'core']);
  assert.equal(selectSources(plan, { names: ['app'], skip: ['core'] }), ['app', 'lib']);
});

test('a group selects its members and their dependencies, together with named sources', () => {
  assert.equal(selectSources(plan, { groups: ['old'] }), ['core', 'py2']);
  assert.equal(selectSources(plan, { groups: ['extra'], names: ['lib'] }), ['lib', 'core', 'docs', 'py2']);
});

test('unknown sources and groups are usage errors with a suggestion', () => {
  for (const [sel, text] of [[{ names: ['ap'] }, 'did you mean "app"?'], [{ groups: ['extr'] }, 'did you mean "extra"?'], [{ skip: ['nope'] }, 'sources: app']] as const) {
    try {
      selectSources(plan, sel);
      assert.unreachable('should have thrown');
    } catch (err) {
      assert.instance(err, WeftError);
      assert.is((err as WeftError).code, 'WEFT_E_USAGE_SOURCE');
      assert.is((err as WeftError).exitCode, 2);
      assert.match((err as WeftError).hint ?? '', text);
    }
  }
});

test.run();
