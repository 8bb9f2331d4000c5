// env: forms, list variables, origins and conflicts between sources.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LIST_VARIABLES } from '../../src/resolve/index.js';
import type { EnvEntry } from '../../src/types.js';
import { assertProblem, rejects, testWorkspace } from '../helpers/manifest.js';

const strip = (entries: EnvEntry[]) => entries.map(({ loc: _loc, ...e }) => e);

test('each env form becomes its operation', async () => {
  const ws = testWorkspace({
    'weft.yaml': `env:
  PATH: bin
  PYTHONPATH: [src, lib]
  MYLIST: [a]
  MODE: fast
  EMPTY: ""
  MANPATH: {append: share/man}
  CLASSPATH: {prepend: [a.jar, b.jar], append: c.jar}
  PATHLIKE_BUT_SCALAR: some/dir
  DEBUG: 1
  PAGER: {set: less}
  LD_PRELOAD: {unset: true}
`,
  });
  try {
    const plan = await ws.load();
    const o = { origin: 'workspace' };
    assert.equal(strip(plan.env), [
      { op: 'prepend', paths: ['bin'], name: 'PATH', ...o },
      { op: 'prepend', paths: ['src', 'lib'], name: 'PYTHONPATH', ...o },
      { op: 'prepend', paths: ['a'], name: 'MYLIST', ...o },
      { op: 'set', value: 'fast', name: 'MODE', ...o },
      { op: 'set', value: '', name: 'EMPTY', ...o },
      { op: 'append', paths: ['share/man'], name: 'MANPATH', ...o },
      { op: 'prepend', paths: ['a.jar', 'b.jar'], name: 'CLASSPATH', ...o },
      { op: 'append', paths: ['c.jar'], name: 'CLASSPATH', ...o },
      { op: 'set', value: 'some/dir', name: 'PATHLIKE_BUT_SCALAR', ...o },
      { op: 'set', value: '1', name: 'DEBUG', ...o },
      { op: 'set', value: 'less', name: 'PAGER', ...o },
      { op: 'unset', name: 'LD_PRELOAD', ...o },
    ]);
    assert.equal(plan.env[0]!.loc, { file: plan.manifest, line: 2, col: 9 });
  } finally {
    ws.cleanup();
  }
});

test('the list variables are the colon-separated ones', () => {
  for (const v of ['PATH', 'PYTHONPATH', 'NODE_PATH', 'MANPATH', 'LD_LIBRARY_PATH', 'PKG_CONFIG_PATH', 'CLASSPATH', 'PERL5LIB', 'RUBYLIB', 'GOPATH', 'CMAKE_PREFIX_PATH', 'XDG_DATA_DIRS']) {
    assert.ok(LIST_VARIABLES.has(v), v);
  }
  for (const v of ['LUA_PATH', 'LUA_CPATH', 'HOME', 'PS1']) assert.not.ok(LIST_VARIABLES.has(v), v);
});

test('source env entries carry the source name as origin', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'sources:\n  a:\n    git: https://h/a.git\n    env:\n      PATH: bin\n      A_HOME: .\n' });
  try {
    const plan = await ws.load();
    assert.equal(
      plan.sources[0]!.env.map((e) => [e.name, e.op, e.origin]),
      [
        ['PATH', 'prepend', 'a'],
        ['A_HOME', 'set', 'a'],
      ],
    );
  } finally {
    ws.cleanup();
  }
});

test('sources that agree on a scalar, or a workspace that settles it, are not a conflict', async () => {
  const two = 'sources:\n  a:\n    git: https://h/a.git\n    env: {MODE: fast}\n  b:\n    git: https://h/b.git\n    env: {MODE: "${m}"}\n';
  const ws = testWorkspace({ 'weft.yaml': `vars:\n  m: fast\n${two}` });
  try {
    assert.is((await ws.load()).sources.length, 2, 'same value twice');
    ws.write({ 'weft.yaml': `vars:\n  m: slow\nenv:\n  MODE: {unset: true}\n${two}` });
    assert.is((await ws.load()).sources.length, 2, 'the workspace unsets it');
    ws.write({ 'weft.yaml': `vars:\n  m: slow\nenv:\n  MODE: {prepend: x}\n${two}` });
    const err = await rejects(() => ws.load());
    assertProblem(err, ws, { code: 'WEFT_E_ENV_CONFLICT', at: '11:17', message: 'sources disagree about MODE: `a` (weft.yaml:8:17) sets it to `fast`, `b` (weft.yaml:11:17) sets it to `slow`', hint: 'workspace `env:`' });
  } finally {
    ws.cleanup();
  }
});

test('a source that sets and another that unsets one variable conflict', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'sources:\n  a:\n    git: https://h/a.git\n    env: {X: "1"}\n  b:\n    git: https://h/b.git\n    env: {X: {unset: true}}\n' });
  try {
    const err = await rejects(() => ws.load());
    assertProblem(err, ws, { code: 'WEFT_E_ENV_CONFLICT', at: '7:15', message: '`a` (weft.yaml:4:14) sets it to `1`, `b` (weft.yaml:7:15) unsets it' });
  } finally {
    ws.cleanup();
  }
});

test('an empty path in a list is refused', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'env:\n  PATH: [bin, ""]\n' });
  try {
    const err = await rejects(() => ws.load());
    assertProblem(err, ws, { code: 'WEFT_E_ENV_PATH', at: '2:15', message: 'an empty path in PATH', hint: 'remove the empty entry' });
  } finally {
    ws.cleanup();
  }
});

test('a source placed where its path has a ":" is refused at its `path`, before anything is fetched; without list entries it is fine', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'sources:\n  lib:\n    git: https://h/lib.git\n    path: "v1:2"\n    env: {PATH: bin, MODE: fast}\n' });
  try {
    const err = await rejects(() => ws.load());
    assertProblem(err, ws, { code: 'WEFT_E_ENV_PATH', at: '4:5', message: 'the directory', hint: '`path` without ":"' });
  } finally {
    ws.cleanup();
  }
  const plain = testWorkspace({ 'weft.yaml': 'sources:\n  lib:\n    git: https://h/lib.git\n    path: "v1:2"\n    env: {MODE: fast}\n' });
  try {
    assert.is((await plain.load()).sources[0]!.name, 'lib');
  } finally {
    plain.cleanup();
  }
});

test('a map naming an unknown operation suggests the right one', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'env:\n  PATH: {prepnd: bin}\n' });
  try {
    const err = await rejects(() => ws.load());
    assertProblem(err, ws, { code: 'WEFT_E_MANIFEST_UNKNOWN_KEY', at: '2:10', message: '`prepnd`', hint: 'did you mean `prepend`?' });
  } finally {
    ws.cleanup();
  }
});

test("weft's own variables are refused when the manifest is loaded, at the key, in the workspace and in a source", async () => {
  for (const name of ['WEFT_WORKSPACE', 'WEFT_NAME', 'WEFT_ENV_ADDED', 'WEFT_PREV_PATH']) {
    const ws = testWorkspace({ 'weft.yaml': `env:\n  ${name}: x\nsources:\n  a:\n    git: https://h/a.git\n    env:\n      ${name}: {set: y}\n` });
    try {
      const err = await rejects(() => ws.load());
      assertProblem(err, ws, { code: 'WEFT_E_ENV_RESERVED', at: '2:3', message: name, hint: 'rename the variable' });
      assertProblem(err, ws, { code: 'WEFT_E_ENV_RESERVED', at: '7:7', message: name });
      assert.is(err.exitCode, 2);
    } finally {
      ws.cleanup();
    }
  }
});

test('a value holding a NUL byte is refused when the manifest is loaded, written directly or coming from a var', async () => {
  const ws = testWorkspace({
    'weft.yaml': 'vars:\n  nul: "x\\0y"\nenv:\n  FOO: "a\\0b"\n  BAR: {set: "${nul}"}\n  PATH: [bin, "c\\0d"]\n',
  });
  try {
    const err = await rejects(() => ws.load());
    assertProblem(err, ws, { code: 'WEFT_E_ENV_VALUE', at: '4:8', message: /FOO .*NUL/, hint: 'remove' });
    assertProblem(err, ws, { code: 'WEFT_E_ENV_VALUE', at: '5:14', message: /BAR .*NUL/ });
    assertProblem(err, ws, { code: 'WEFT_E_ENV_VALUE', at: '6:15', message: /PATH .*NUL/ });
    assert.is(err.exitCode, 2);
  } finally {
    ws.cleanup();
  }
});

test.run();
