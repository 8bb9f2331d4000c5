// include: and weft.local.yaml: layers merged under/over the manifest.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import type { GitSource, LocalSource } from '../../src/types.js';
import { assertProblem, rejects, testWorkspace } from '../helpers/manifest.js';

test('includes merge first and the including file wins, map by map and field by field', async () => {
  const ws = testWorkspace({
    'weft.yaml': `include: [conf/base.yaml]
name: top
vars:
  host: https://top.example
env:
  MODE: top
sources:
  a:
    ref: dev
  c:
    git: \${host}/c.git
`,
    'conf/base.yaml': `include: [common.yaml]
name: base
vars:
  host: https://base.example
  org: divmod
env:
  MODE: base
  PATH: bin
requires:
  git: ">=2.30"
sources:
  a:
    git: \${host}/\${org}/a.git
    ref: main
    depth: 1
  b:
    git: https://b.example/b.git
`,
    'conf/common.yaml': 'mirrors:\n  "https://x/": "https://y/"\nrequires:\n  git: ">=2.0"\n  python3: ">=3.9"\n',
  });
  try {
    const plan = await ws.load();
    assert.is(plan.name, 'top');
    assert.equal(plan.sources.map((s) => s.name), ['a', 'b', 'c'], 'included sources first, in order');
    const [a, , c] = plan.sources as [GitSource, GitSource, GitSource];
    assert.is(a.url, 'https://top.example/divmod/a.git', 'vars merge key by key, the top file winning');
    assert.is(a.ref, 'dev');
    assert.is(a.depth, 1, 'fields not overridden are kept');
    assert.is(c.url, 'https://top.example/c.git');
    assert.equal(plan.requires, { git: '>=2.30', python3: '>=3.9' });
    assert.equal(plan.mirrors, { 'https://x/': 'https://y/' });
    assert.equal(plan.env.map((e) => [e.name, e.op === 'set' ? e.value : e.op]), [
      ['MODE', 'top'],
      ['PATH', 'prepend'],
    ]);
    assert.equal(plan.files, [join(ws.dir, 'weft.yaml'), join(ws.dir, 'conf/base.yaml'), join(ws.dir, 'conf/common.yaml')]);
    assert.equal(a.fieldLocs!.git, { file: join(ws.dir, 'conf/base.yaml'), line: 13, col: 5 });
    assert.equal(a.fieldLocs!.ref, { file: join(ws.dir, 'weft.yaml'), line: 9, col: 5 });
    assert.equal(a.loc, { file: join(ws.dir, 'conf/base.yaml'), line: 12, col: 3 }, 'where the source was first defined');
  } finally {
    ws.cleanup();
  }
});

test('a later include wins over an earlier one', async () => {
  const ws = testWorkspace({
    'weft.yaml': 'include: [one.yaml, two.yaml]\n',
    'one.yaml': 'sources:\n  a: {git: "https://h/a.git", ref: one}\n',
    'two.yaml': 'sources:\n  a: {ref: two}\n',
  });
  try {
    assert.is(((await ws.load()).sources[0] as GitSource).ref, 'two');
  } finally {
    ws.cleanup();
  }
});

test('switching kind in the upper layer drops the lower kind and its fields', async () => {
  const ws = testWorkspace({
    'weft.yaml': 'include: [base.yaml]\nsources:\n  n:\n    git: https://h/n.git\n',
    'base.yaml': 'sources:\n  n:\n    archive: https://h/n.tar.gz\n    integrity: sha256:' + 'a'.repeat(64) + '\n    strip: 1\n    path: vendor/n\n    groups: [core]\n',
  });
  try {
    const n = (await ws.load()).sources[0] as GitSource;
    assert.is(n.type, 'git');
    assert.is(n.url, 'https://h/n.git');
    assert.not.ok('integrity' in n || 'strip' in n);
    assert.is(n.path, 'vendor/n', 'path survives a switch between fetched kinds');
    assert.equal(n.groups, ['core']);
    assert.equal(Object.keys(n.fieldLocs!).sort(), ['git', 'groups', 'path']);
  } finally {
    ws.cleanup();
  }
});

test('weft.local.yaml overrides a source with a local checkout, field by field', async () => {
  const ws = testWorkspace({
    'proj/weft.yaml': 'sources:\n  twisted:\n    git: https://h/t.git\n    ref: trunk\n    depth: 1\n    path: Twisted\n    env: {PYTHONPATH: src, PATH: bin}\n  other:\n    git: https://h/o.git\n',
    'proj/weft.local.yaml': 'vars:\n  mine: ../my-twisted\nsources:\n  twisted:\n    local: ${mine}\n    env: {PATH: scripts}\n  other:\n    ref: my-branch\n',
  });
  ws.mkdir('my-twisted');
  const cwd = join(ws.dir, 'proj');
  try {
    const plan = await ws.load({ cwd });
    const [t, o] = plan.sources as [LocalSource, GitSource];
    assert.is(t.type, 'local');
    assert.is(t.dir, join(ws.dir, 'my-twisted'));
    assert.equal(t.env.map((e) => [e.name, e.op === 'prepend' && e.paths[0]]), [
      ['PYTHONPATH', 'src'],
      ['PATH', 'scripts'],
    ]);
    assert.equal(t.fieldLocs!.local!.file, join(cwd, 'weft.local.yaml'));
    assert.equal(t.fieldLocs!['env.PYTHONPATH']!.file, join(cwd, 'weft.yaml'));
    assert.is(o.ref, 'my-branch');
    assert.equal(plan.files, [join(cwd, 'weft.yaml'), join(cwd, 'weft.local.yaml')]);

    const without = await ws.load({ cwd, local: false });
    assert.is(without.sources[0]!.type, 'git');
    assert.equal(without.files, [join(cwd, 'weft.yaml')]);
  } finally {
    ws.cleanup();
  }
});

test('weft.local.yaml may add a source of its own', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'sources: {}\n', 'weft.local.yaml': 'sources:\n  extra: {git: "https://h/x.git"}\n' });
  try {
    assert.equal((await ws.load()).sources.map((s) => s.name), ['extra']);
  } finally {
    ws.cleanup();
  }
});

test('an override of a misspelt source name (in weft.local.yaml or an including file) says which source it probably meant', async () => {
  const ws = testWorkspace({
    'weft.yaml': 'include: base.yaml\nsources:\n  twistd:\n    ref: trunk\n',
    'base.yaml': 'sources:\n  twisted:\n    git: https://h/t.git\n  epsilon:\n    git: https://h/e.git\n',
    'weft.local.yaml': 'sources:\n  epsilom:\n    ref: mine\n',
  });
  try {
    const err = await rejects(() => ws.load());
    assertProblem(err, ws, { code: 'WEFT_E_MANIFEST_SOURCE_KIND', at: '3:3', hint: 'did you mean `twisted`' });
    assertProblem(err, ws, { code: 'WEFT_E_MANIFEST_SOURCE_KIND', at: 'weft.local.yaml:2:3', hint: 'did you mean `epsilon`' });
    assert.is(err.exitCode, 2);
  } finally {
    ws.cleanup();
  }
});

test('a file included twice through different paths is merged, not a cycle', async () => {
  const ws = testWorkspace({
    'weft.yaml': 'include: [a.yaml, b.yaml]\n',
    'a.yaml': 'include: [common.yaml]\n',
    'b.yaml': 'include: [./common.yaml]\n',
    'common.yaml': 'sources:\n  c: {git: "https://h/c.git"}\n',
  });
  try {
    const plan = await ws.load();
    assert.equal(plan.sources.map((s) => s.name), ['c']);
    assert.equal(plan.files.map((f) => f.slice(ws.dir.length + 1)), ['weft.yaml', 'a.yaml', 'common.yaml', 'b.yaml']);
  } finally {
    ws.cleanup();
  }
});

test('a file including itself is a cycle', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'include: [./weft.yaml]\n' });
  try {
    const err = await rejects(() => ws.load());
    assertProblem(err, ws, { code: 'WEFT_E_INCLUDE_CYCLE', at: '1:11', message: 'weft.yaml → weft.yaml', hint: 'remove one of these includes' });
  } finally {
    ws.cleanup();
  }
});

test('problems in several files are all reported, the top manifest first', async () => {
  const ws = testWorkspace({
    'weft.yaml': 'include: [base.yaml]\nsources:\n  b:\n    git: https://h/b.git\n    reff: x\n',
    'base.yaml': 'sources:\n  a:\n    gti: https://h/a.git\n',
  });
  try {
    const err = await rejects(() => ws.load());
    assert.equal(
      err.all().map((e) => `${e.loc!.file.slice(ws.dir.length + 1)}:${e.loc!.line}:${e.loc!.col} ${e.hint}`),
      ['weft.yaml:5:5 did you mean `ref`?', 'base.yaml:3:5 did you mean `git`?'],
    );
  } finally {
    ws.cleanup();
  }
});

test('a newer schema version in an include stops everything with WEFT_E_VERSION', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'include: [new.yaml]\nbogus: 1\n', 'new.yaml': 'weft: 2\n' });
  try {
    const err = await rejects(() => ws.load());
    assert.is(err.code, 'WEFT_E_VERSION');
    assert.equal(err.loc, { file: join(ws.dir, 'new.yaml'), line: 1, col: 7 });
    assert.is(err.more.length, 0);
  } finally {
    ws.cleanup();
  }
});

test.run();
