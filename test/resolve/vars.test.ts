// `${…}` expansion: vars, overrides, the environment, source directories, the workspace.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import type { GitSource } from '../../src/types.js';
import { assertProblem, rejects, testWorkspace } from '../helpers/manifest.js';

test('vars expand in every string value, and may use other vars', async () => {
  const ws = testWorkspace({
    'weft.yaml': `name: \${org}-lab
vars:
  host: https://git.example
  org: divmod
  base: \${host}/\${org}
  branch: release-1.0
sources:
  a:
    git: \${base}/a.git
    ref: \${branch}
    path: src/\${org}
    depth: "\${one}"
    setup: ["make ORG=\${org}"]
    env:
      ORG: \${org}
vars2: x
`.replace('vars2: x\n', '').replace('  branch: release-1.0\n', '  branch: release-1.0\n  one: "1"\n'),
  });
  try {
    const plan = await ws.load();
    const a = plan.sources[0] as GitSource;
    assert.is(plan.name, 'divmod-lab');
    assert.is(a.url, 'https://git.example/divmod/a.git');
    assert.is(a.ref, 'release-1.0');
    assert.is(a.path, 'src/divmod');
    assert.is(a.depth, 1);
    assert.is(a.setup[0]!.run, 'make ORG=divmod');
    assert.equal(a.env.map((e) => e.op === 'set' && e.value), ['divmod']);
  } finally {
    ws.cleanup();
  }
});

test('--var wins over WEFT_VAR_name, which wins over the manifest', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'vars:\n  a: from-manifest\n  b: from-manifest\n  c: from-manifest\nsources:\n  s:\n    git: https://h/${a}/${b}/${c}.git\n' });
  try {
    const plan = await ws.load({ vars: { a: 'from-cli' }, env: { WEFT_VAR_a: 'from-env', WEFT_VAR_b: 'from-env' } });
    assert.is((plan.sources[0] as GitSource).url, 'https://h/from-cli/from-env/from-manifest.git');
  } finally {
    ws.cleanup();
  }
});

test('override values are taken literally, never expanded', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'sources:\n  s:\n    git: https://h/s.git\n    env:\n      X: "${v}"\n' });
  try {
    const plan = await ws.load({ vars: { v: '${nope}' } });
    const e = plan.sources[0]!.env[0]!;
    assert.equal(e.op === 'set' && e.value, '${nope}');
  } finally {
    ws.cleanup();
  }
});

test('${env.NAME} reads the given environment, not process.env', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'sources:\n  s:\n    git: "https://${env.GIT_HOST}/s.git"\n' });
  try {
    const plan = await ws.load({ env: { GIT_HOST: 'git.example' } });
    assert.is((plan.sources[0] as GitSource).url, 'https://git.example/s.git');
    const err = await rejects(() => ws.load({ env: {} }));
    assertProblem(err, ws, { code: 'WEFT_E_VARS_ENV_UNSET', at: '3:19', hint: 'export GIT_HOST or define it in vars' });
  } finally {
    ws.cleanup();
  }
});

test('${source.NAME} is the absolute directory of that source, local or checked out', async () => {
  const ws = testWorkspace({
    'weft.yaml': `root: deps
sources:
  tools:
    local: ./tools
  twisted:
    git: https://h/t.git
    path: Twisted
    env:
      TWISTED_TOOLS: \${source.tools}/bin
env:
  TWISTED_HOME: \${source.twisted}
  WS: \${workspace}/x
`,
  });
  ws.mkdir('tools');
  try {
    const plan = await ws.load();
    const t = plan.sources[1]!;
    assert.equal(t.env[0]!.op === 'set' && t.env[0]!.value, join(ws.dir, 'tools', 'bin'));
    assert.equal(plan.env.map((e) => e.op === 'set' && e.value), [join(ws.dir, 'deps', 'Twisted'), `${ws.dir}/x`]);
  } finally {
    ws.cleanup();
  }
});

test('${source.NAME} may name a source defined further down, from env, setup and vars', async () => {
  const ws = testWorkspace({
    'weft.yaml': `vars:
  bc: \${source.b}/c
sources:
  a:
    git: https://h/a.git
    env:
      B_HOME: { set: "\${source.b}" }
    setup: ["make -C \${source.b}"]
  c:
    git: https://h/c.git
    env:
      C_B: { set: "\${bc}" }
  b:
    git: https://h/b.git
    path: lib/b
`,
  });
  try {
    const plan = await ws.load();
    const [a, c] = plan.sources;
    const b = join(ws.dir, 'lib', 'b');
    assert.equal(a!.env.map((e) => e.op === 'set' && e.value), [b]);
    assert.is(a!.setup[0]!.run, `make -C ${b}`);
    assert.equal(c!.env.map((e) => e.op === 'set' && e.value), [`${b}/c`]);
  } finally {
    ws.cleanup();
  }
});

test('$${ is a literal ${, and a lone $ stays', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'vars:\n  v: x\nsources:\n  s:\n    git: https://h/s.git\n    setup:\n      - echo $${HOME} ${v} $5 $$\n' });
  try {
    const plan = await ws.load();
    assert.is(plan.sources[0]!.setup[0]!.run, 'echo ${HOME} x $5 $$');
  } finally {
    ws.cleanup();
  }
});

test('an unquoted ${…} inside a flow map gets a hint to quote it', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'sources:\n  a:\n    git: https://h/a.git\n    env: {MODE: ${m}}\n' });
  try {
    const err = await rejects(() => ws.load());
    assertProblem(err, ws, { code: 'WEFT_E_MANIFEST_SYNTAX', at: '4:18', message: 'invalid YAML', hint: 'quote values that use `${…}`' });
  } finally {
    ws.cleanup();
  }
});

test('keys are not expanded', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'mirrors:\n  "https://${x}/": "https://m/"\nsources:\n  s:\n    git: https://h/s.git\n' });
  try {
    const plan = await ws.load();
    assert.equal(Object.keys(plan.mirrors), ['https://${x}/']);
  } finally {
    ws.cleanup();
  }
});

test('a var used by a source path that refers back to that source is a cycle', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'vars:\n  p: ${source.a}/x\nsources:\n  a:\n    git: https://h/a.git\n    path: ${p}\n' });
  try {
    const err = await rejects(() => ws.load());
    assertProblem(err, ws, { code: 'WEFT_E_VARS_CYCLE', message: 'source.a → p → source.a' });
    assert.is(err.all().length, 1);
  } finally {
    ws.cleanup();
  }
});

test('a cycle among vars nothing uses is still a cycle, with its position, reported once', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'vars:\n  a: "${b}"\n  b: "x-${c}"\n  c: "${a}"\n  self: "${self}/y"\n  fine: "${a2}"\n  a2: z\nsources: {}\n' });
  try {
    const err = await rejects(() => ws.load());
    assertProblem(err, ws, { code: 'WEFT_E_VARS_CYCLE', at: '4:7', message: 'a → b → c → a', hint: 'break the cycle' });
    assertProblem(err, ws, { code: 'WEFT_E_VARS_CYCLE', at: '5:10', message: 'self → self' });
    assert.is(err.all().length, 2, err.all().map((e) => e.message).join('\n'));
    assert.is(err.exitCode, 2);
  } finally {
    ws.cleanup();
  }
});

test('a var nothing uses that names an undefined var is reported at its ${, as a use would be; its unset ${env.…} are not', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'vars:\n  used: one\n  spare: "x-${nope}"\n  later: "${ENV_ONLY}"\n  fromenv: "${env.WEFT_TEST_SURELY_UNSET}"\nsources:\n  s:\n    git: https://h/s.git\n    path: ${used}\n' });
  try {
    const err = await rejects(() => ws.load());
    assertProblem(err, ws, { code: 'WEFT_E_VARS_UNDEFINED', at: '3:13', message: '`${nope}`', hint: 'pass --var nope=VALUE' });
    assertProblem(err, ws, { code: 'WEFT_E_VARS_UNDEFINED', at: '4:11', message: '`${ENV_ONLY}`' });
    assert.is(err.all().length, 2, err.all().map((e) => e.message).join('\n'));
    // Given with --var, it is defined.
    const again = await rejects(() => ws.load({ vars: { nope: 'n' } }));
    assert.is(again.all().length, 1, again.all().map((e) => e.message).join('\n'));
    await ws.load({ vars: { nope: 'n', ENV_ONLY: 'e' } });
  } finally {
    ws.cleanup();
  }
});

test('a var given with --var is not expanded, so its definition closes no cycle', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'vars:\n  a: "${b}"\n  b: "${a}"\nsources: {}\n' });
  try {
    await ws.load({ vars: { a: 'given' } });
  } finally {
    ws.cleanup();
  }
});

test('the position of a bad reference points at its own ${, also in block scalars', async () => {
  const ws = testWorkspace({
    'weft.yaml': 'vars:\n  ok: 1\nsources:\n  s:\n    git: https://h/s.git\n    setup:\n      - run: |\n          echo ${ok}\n          echo ${bad}\n',
  });
  try {
    const err = await rejects(() => ws.load());
    assertProblem(err, ws, { code: 'WEFT_E_VARS_UNDEFINED', at: '9:16', message: '`${bad}`', hint: 'valid variables: `ok`, `workspace`; or define it under `vars:` or pass --var bad=VALUE' });
  } finally {
    ws.cleanup();
  }
});

test('an unknown prefix and an invalid --var name are reported', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'name: "${evn.HOME}"\n' });
  try {
    const err = await rejects(() => ws.load());
    assertProblem(err, ws, { code: 'WEFT_E_VARS_SYNTAX', at: '1:8', message: 'unknown prefix `evn.`', hint: 'did you mean `env`?' });
    const usage = await rejects(() => ws.load({ vars: { 'bad name': 'x' } }));
    assert.is(usage.code, 'WEFT_E_USAGE');
    assert.is(usage.exitCode, 2);
  } finally {
    ws.cleanup();
  }
});

test('${env} and ${source} without a name are syntax errors saying the name is missing, and --var cannot set a reserved name', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'sources:\n  s:\n    git: https://h/s.git\n    env:\n      A: "${env}"\n      B: "${source}"\n' });
  try {
    const err = await rejects(() => ws.load());
    assertProblem(err, ws, { code: 'WEFT_E_VARS_SYNTAX', at: '5:11', message: '`${env}` in `${env}` names no environment variable', hint: '`${env.NAME}`' });
    assertProblem(err, ws, { code: 'WEFT_E_VARS_SYNTAX', at: '6:11', message: '`${source}` in `${source}` names no source', hint: '`${source.NAME}`' });
    for (const name of ['env', 'source', 'workspace']) {
      const usage = await rejects(() => ws.load({ vars: { [name]: '/x' } }));
      assert.is(usage.code, 'WEFT_E_USAGE', usage.message);
      assert.match(usage.message, `--var \`${name}\`: reserved`);
      assert.is(usage.exitCode, 2);
    }
  } finally {
    ws.cleanup();
  }
});

test.run();
