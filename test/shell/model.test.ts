import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WeftError } from '../../src/errors.js';
import { buildEnvModel } from '../../src/shell/index.js';
import { append, checkoutOf, planOf, prepend, set, unset } from '../helpers/shell.js';

function weftError(fn: () => unknown): WeftError {
  try {
    fn();
  } catch (err) {
    if (err instanceof WeftError) return err;
    throw err;
  }
  throw new Error('expected a WeftError');
}

test('relative paths resolve against the workspace or the checkout directory, absolute ones are normalised', () => {
  const plan = planOf({
    workspace: '/ws',
    env: [prepend('PATH', ['tools/bin', '/opt/x/../y/'])],
    sources: [
      { name: 'a', dir: '/ws/a', env: [prepend('PATH', ['bin', './sub/../lib'])] },
      { name: 'b', dir: '/ws/b', env: [prepend('PATH', ['bin'])] },
    ],
  });
  const model = buildEnvModel(plan, [checkoutOf('a', '/worktrees/a-feature')]);
  assert.equal(model.vars, [
    { type: 'list', name: 'PATH', prepend: ['/ws/tools/bin', '/opt/y', '/worktrees/a-feature/bin', '/worktrees/a-feature/lib', '/ws/b/bin'], append: [] },
  ]);
});

test('sources follow envOrder, not manifest order, after the workspace', () => {
  const plan = planOf({
    workspace: '/ws',
    env: [prepend('PATH', ['w'])],
    sources: [
      { name: 'base', dir: '/s/base', env: [prepend('PATH', ['.'])] },
      { name: 'app', dir: '/s/app', env: [prepend('PATH', ['.'])] },
    ],
    envOrder: ['app', 'base'],
  });
  assert.equal(buildEnvModel(plan, []).vars[0], { type: 'list', name: 'PATH', prepend: ['/ws/w', '/s/app', '/s/base'], append: [] });
});

test('a source missing from envOrder still comes, after the ordered ones', () => {
  const plan = planOf({
    workspace: '/ws',
    sources: [
      { name: 'a', dir: '/a', env: [prepend('P', ['.'])] },
      { name: 'b', dir: '/b', env: [prepend('P', ['.'])] },
    ],
    envOrder: ['b'],
  });
  assert.equal(buildEnvModel(plan, []).vars[0], { type: 'list', name: 'P', prepend: ['/b', '/a'], append: [] });
});

test('the first mention of a path wins, across prepend and append', () => {
  const plan = planOf({
    workspace: '/ws',
    env: [append('P', ['/shared', '/tail']), prepend('P', ['/x', '/x'])],
    sources: [{ name: 's', dir: '/s', env: [prepend('P', ['/shared', '/x', 'own']), append('P', ['/tail', 'end'])] }],
  });
  assert.equal(buildEnvModel(plan, []).vars[0], { type: 'list', name: 'P', prepend: ['/x', '/s/own'], append: ['/shared', '/tail', '/s/end'] });
});

test("the workspace's set wins over a source's", () => {
  const plan = planOf({
    workspace: '/ws',
    env: [set('MODE', 'ws')],
    sources: [{ name: 's', dir: '/s', env: [set('MODE', 'source'), unset('OTHER')] }],
  });
  assert.equal(buildEnvModel(plan, []).vars, [
    { type: 'set', name: 'MODE', value: 'ws' },
    { type: 'unset', name: 'OTHER' },
  ]);
});

test('a set under prepends becomes their base; an unset under them an empty base', () => {
  const plan = planOf({
    workspace: '/ws',
    env: [set('A', '/a0'), unset('B')],
    sources: [{ name: 's', dir: '/s', env: [prepend('A', ['x']), append('B', ['y'])] }],
  });
  assert.equal(buildEnvModel(plan, []).vars, [
    { type: 'list', name: 'A', prepend: ['/s/x'], append: [], base: '/a0' },
    { type: 'list', name: 'B', prepend: [], append: ['/s/y'], base: '' },
  ]);
});

test('a source named "workspace" resolves against its own directory', () => {
  const plan = planOf({ workspace: '/ws', sources: [{ name: 'workspace', dir: '/s/workspace', env: [prepend('P', ['bin'])] }] });
  assert.equal(buildEnvModel(plan, []).vars[0], { type: 'list', name: 'P', prepend: ['/s/workspace/bin'], append: [] });
});

test('the model is plain data that JSON round-trips unchanged', () => {
  const plan = planOf({ workspace: '/ws', name: 'lab', env: [prepend('P', ['a']), set('S', 'v'), unset('U')] });
  const model = buildEnvModel(plan, []);
  assert.equal(JSON.parse(JSON.stringify(model)), model);
  assert.is(model.workspace, '/ws');
  assert.is(model.name, 'lab');
});

test('a variable name that is not a shell name is refused before anything is rendered', () => {
  const plan = planOf({ workspace: '/ws', env: [set('X;rm -rf ~', 'v')] });
  const err = weftError(() => buildEnvModel(plan, []));
  assert.is(err.code, 'WEFT_E_ENV_NAME');
  assert.is(err.exitCode, 2);
  assert.ok(err.loc);
  assert.ok(err.hint);
});

test("weft's own variables cannot be set by a manifest", () => {
  for (const name of ['WEFT_WORKSPACE', 'WEFT_NAME', 'WEFT_ENV_ADDED', 'WEFT_PREV_PATH']) {
    const err = weftError(() => buildEnvModel(planOf({ workspace: '/ws', env: [set(name, 'v')] }), []));
    assert.is(err.code, 'WEFT_E_ENV_RESERVED', name);
  }
});

test('a value holding a NUL byte is refused before anything is rendered: no shell file could carry it', () => {
  for (const entry of [set('FOO', 'a\0b'), prepend('PATH', ['bin\0x'])]) {
    const err = weftError(() => buildEnvModel(planOf({ workspace: '/ws', env: [entry] }), []));
    assert.is(err.code, 'WEFT_E_ENV_VALUE', entry.name);
    assert.is(err.exitCode, 2);
  }
});

test("a path holding ':' is refused, even when the ':' comes from the checkout directory", () => {
  const plan = planOf({ workspace: '/ws', sources: [{ name: 's', dir: '/s', env: [prepend('PATH', ['bin'])] }] });
  const err = weftError(() => buildEnvModel(plan, [checkoutOf('s', '/home/me/a:b')]));
  assert.is(err.code, 'WEFT_E_ENV_PATH');
  assert.match(err.message, '/home/me/a:b/bin');
});

test('an envOrder naming an unknown source is a programmer error, not a user one', () => {
  const plan = { ...planOf({ workspace: '/ws' }), envOrder: ['ghost'] };
  assert.throws(() => buildEnvModel(plan, []), (err: unknown) => !(err instanceof WeftError));
});

test.run();
