// What a valid manifest becomes: the Plan that fetch and shell work from.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArchiveSource, GitSource, HgSource, LocalSource, SvnSource } from '../../src/types.js';
import { testWorkspace } from '../helpers/manifest.js';

const SHA_HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SHA_SRI = 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

test('the design example resolves to the expected plan', async () => {
  const ws = testWorkspace({
    'proj/weft.yaml': `weft: 1
name: divmod-lab
vars:
  gh: https://github.com
sources:
  twisted:
    git: \${gh}/twisted/twisted.git
    ref: trunk
    path: Twisted
    depth: 1
    groups: [core]
    env:
      PYTHONPATH: src
      PATH: bin
  epsilon:
    git: \${gh}/twisted/epsilon.git
    ref: 0.8.0
    depends: [twisted]
    env: { PYTHONPATH: . }
    setup:
      - run: python3 setup.py build_ext -i
        when: always
      - make
  nevow:
    archive: https://example.org/Nevow-0.14.5.tar.gz
    integrity: sha256:${SHA_HEX}
    strip: 1
  mylib:
    local: ../mylib
  docs:
    svn: https://svn.example.org/docs/trunk
    ref: "1234"
env:
  PATH: tools/bin
  DJANGO_SETTINGS_MODULE: lab.settings
requires:
  git: ">=2.30"
  python3: ">=3.9 <4"
`,
  });
  ws.mkdir('mylib');
  const proj = join(ws.dir, 'proj');
  try {
    const plan = await ws.load({ cwd: join(proj, 'sub', '..') });
    assert.is(plan.name, 'divmod-lab');
    assert.is(plan.manifest, join(proj, 'weft.yaml'));
    assert.is(plan.workspace, proj);
    assert.is(plan.root, proj);
    assert.equal(plan.sources.map((s) => s.name), ['twisted', 'epsilon', 'nevow', 'mylib', 'docs']);
    const [twisted, epsilon, nevow, mylib, docs] = plan.sources as [GitSource, GitSource, ArchiveSource, LocalSource, SvnSource];
    assert.is(twisted.type, 'git');
    assert.is(twisted.url, 'https://github.com/twisted/twisted.git');
    assert.is(twisted.ref, 'trunk');
    assert.is(twisted.path, 'Twisted');
    assert.is(twisted.dir, join(proj, 'Twisted'));
    assert.is(twisted.depth, 1);
    assert.is(twisted.submodules, false);
    assert.equal(twisted.groups, ['core']);
    assert.is(twisted.commit, undefined);
    assert.equal(
      twisted.env.map(({ loc: _l, ...e }) => e),
      [
        { op: 'prepend', paths: ['src'], name: 'PYTHONPATH', origin: 'twisted' },
        { op: 'prepend', paths: ['bin'], name: 'PATH', origin: 'twisted' },
      ],
    );
    assert.is(epsilon.ref, '0.8.0', 'a plain 0.8.0 stays a string');
    assert.equal(epsilon.depends, ['twisted']);
    assert.equal(
      epsilon.setup.map((s) => [s.run, s.when, s.loc.line]),
      [
        ['python3 setup.py build_ext -i', 'always', 21],
        ['make', 'changed', 23],
      ],
    );
    assert.is(nevow.integrity, SHA_SRI, 'sha256:<hex> is normalised to SRI');
    assert.is(nevow.strip, 1);
    assert.is(nevow.format, 'tar.gz');
    assert.is(mylib.type, 'local');
    assert.is(mylib.dir, join(ws.dir, 'mylib'));
    assert.is(docs.type, 'svn');
    assert.is(docs.ref, '1234');
    assert.equal(plan.envOrder, ['epsilon', 'twisted', 'nevow', 'mylib', 'docs']);
    assert.equal(
      plan.env.map(({ loc: _l, ...e }) => e),
      [
        { op: 'prepend', paths: ['tools/bin'], name: 'PATH', origin: 'workspace' },
        { op: 'set', value: 'lab.settings', name: 'DJANGO_SETTINGS_MODULE', origin: 'workspace' },
      ],
    );
    assert.equal(plan.requires, { git: '>=2.30', python3: '>=3.9 <4' });
    assert.equal(plan.files, [join(proj, 'weft.yaml')]);
    assert.equal(JSON.parse(JSON.stringify(plan)), plan, 'the plan is plain data');
  } finally {
    ws.cleanup();
  }
});

test('defaults: name is the directory, root is the manifest directory, path is the source name', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'sources:\n  a:\n    git: https://h/a.git\n' });
  try {
    const plan = await ws.load();
    assert.is(plan.name, ws.dir.split('/').pop());
    assert.is(plan.root, ws.dir);
    const a = plan.sources[0] as GitSource;
    assert.is(a.path, 'a');
    assert.is(a.dir, join(ws.dir, 'a'));
    assert.is(a.ref, undefined);
    assert.is(a.submodules, false);
    assert.equal(a.depends, []);
    assert.equal(a.groups, []);
    assert.equal(a.env, []);
    assert.equal(a.setup, []);
    assert.equal(plan.imports, []);
    assert.equal(plan.mirrors, {});
  } finally {
    ws.cleanup();
  }
});

test('root moves every checkout, and paths are normalised under it', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'root: deps\nsources:\n  a:\n    git: https://h/a.git\n    path: ./x/../lib/a/\n' });
  try {
    const plan = await ws.load();
    assert.is(plan.root, join(ws.dir, 'deps'));
    assert.is(plan.sources[0]!.path, 'lib/a');
    assert.is(plan.sources[0]!.dir, join(ws.dir, 'deps', 'lib', 'a'));
  } finally {
    ws.cleanup();
  }
});

test('empty top-level collections are a valid, empty workspace', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'vars:\n  # none yet\nsources:\nenv:\ninclude:\nimport:\nrequires:\nmirrors:\n' });
  try {
    const plan = await ws.load();
    assert.equal(plan.sources, []);
    assert.equal(plan.envOrder, []);
  } finally {
    ws.cleanup();
  }
});

test('a full 40-hex ref is also the commit; a 64-hex commit key is accepted', async () => {
  const c40 = 'A'.repeat(8) + '0123456789abcdef0123456789abcdef';
  const c64 = 'b'.repeat(64);
  const ws = testWorkspace({
    'weft.yaml': `sources:\n  a:\n    git: https://h/a.git\n    ref: ${c40}\n  b:\n    git: https://h/b.git\n    ref: main\n    commit: ${c64}\n`,
  });
  try {
    const [a, b] = (await ws.load()).sources as [GitSource, GitSource];
    assert.is(a.ref, c40);
    assert.is(a.commit, c40.toLowerCase());
    assert.is(b.ref, 'main');
    assert.is(b.commit, c64);
  } finally {
    ws.cleanup();
  }
});

test('refs written as plain numbers keep their text', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'sources:\n  a:\n    git: https://h/a.git\n    ref: 1.10\n  d:\n    svn: https://svn.h/d/trunk\n    ref: 1234\n' });
  try {
    const [a, d] = (await ws.load()).sources as [GitSource, SvnSource];
    assert.is(a.ref, '1.10', 'not the number 1.1');
    assert.is(d.ref, '1234');
  } finally {
    ws.cleanup();
  }
});

test('git URLs: scp-like addresses stay, relative paths become absolute, allowed schemes pass', async () => {
  const ws = testWorkspace({
    'weft.yaml': `sources:
  scp: {git: "git@github.com:twisted/twisted.git"}
  rel: {git: ../repos/x.git}
  ssh: {git: "ssh://git@host:22/x.git"}
  plain: {git: "git://host/x.git"}
  file: {git: "file:///srv/x.git"}
`,
  });
  try {
    const urls = (await ws.load()).sources.map((s) => (s as GitSource).url);
    assert.equal(urls, ['git@github.com:twisted/twisted.git', join(ws.dir, '..', 'repos', 'x.git'), 'ssh://git@host:22/x.git', 'git://host/x.git', 'file:///srv/x.git']);
  } finally {
    ws.cleanup();
  }
});

test('archive formats come from the URL, ignoring query and fragment, or from format:', async () => {
  const ws = testWorkspace({
    'weft.yaml': `sources:
  a: {archive: "https://h/a.tgz?x=1#f", integrity: "sha256:${SHA_HEX}"}
  b: {archive: "https://h/b.tar.xz", integrity: "sha256:${SHA_HEX}"}
  c: {archive: "https://h/c.TBZ2", integrity: "sha256:${SHA_HEX}"}
  d: {archive: "https://h/d.zip", integrity: "sha256:${SHA_HEX}"}
  e: {archive: "https://h/download/42", integrity: "sha256:${SHA_HEX}", format: tar}
  f: {archive: files/f.tar, integrity: "sha512-${Buffer.alloc(64, 7).toString('base64')}"}
`,
  });
  try {
    const src = (await ws.load()).sources as ArchiveSource[];
    assert.equal(src.map((s) => s.format), ['tar.gz', 'tar.xz', 'tar.bz2', 'zip', 'tar', 'tar']);
    assert.is(src[5]!.url, pathToFileURL(join(ws.dir, 'files', 'f.tar')).href, 'a relative archive path becomes a file URL');
    assert.is(src[5]!.integrity, `sha512-${Buffer.alloc(64, 7).toString('base64')}`);
    assert.is(src[0]!.strip, 0);
  } finally {
    ws.cleanup();
  }
});

test('hg sources keep any ref that is not an option', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'sources:\n  m:\n    hg: https://hg.example/m\n    ref: stable\n' });
  try {
    const m = (await ws.load()).sources[0] as HgSource;
    assert.is(m.type, 'hg');
    assert.is(m.url, 'https://hg.example/m');
    assert.is(m.ref, 'stable');
  } finally {
    ws.cleanup();
  }
});

test('mirrors rewrite URLs by longest prefix and keep the canonical URL', async () => {
  const ws = testWorkspace({
    'weft.yaml': `mirrors:
  "https://github.com/": "https://mirror.example/gh/"
  "https://github.com/twisted/": "https://mirror.example/tw/"
sources:
  t: {git: "https://github.com/twisted/twisted.git"}
  o: {git: "https://github.com/other/o.git"}
  n: {git: "https://gitlab.com/x/n.git"}
`,
  });
  try {
    const plan = await ws.load();
    const [t, o, n] = plan.sources as [GitSource, GitSource, GitSource];
    assert.is(t.url, 'https://mirror.example/tw/twisted.git');
    assert.is(t.canonicalUrl, 'https://github.com/twisted/twisted.git');
    assert.is(o.url, 'https://mirror.example/gh/other/o.git');
    assert.is(n.url, 'https://gitlab.com/x/n.git');
    assert.ok(!('canonicalUrl' in n), 'no canonicalUrl when nothing was rewritten');
    assert.equal(plan.mirrors, { 'https://github.com/': 'https://mirror.example/gh/', 'https://github.com/twisted/': 'https://mirror.example/tw/' });
  } finally {
    ws.cleanup();
  }
});

test('imports are validated and carried with their defaults', async () => {
  const ws = testWorkspace({
    'weft.yaml': 'sources:\n  epsilon: {git: "https://h/e.git"}\nimport:\n  - from: epsilon\n  - from: epsilon\n    file: deps/weft.yaml\n    only: [axiom, nevow]\n',
  });
  try {
    const plan = await ws.load();
    assert.equal(
      plan.imports.map(({ loc, ...i }) => ({ ...i, line: loc.line })),
      [
        { from: 'epsilon', file: 'weft.yaml', line: 4 },
        { from: 'epsilon', file: 'deps/weft.yaml', only: ['axiom', 'nevow'], line: 5 },
      ],
    );
  } finally {
    ws.cleanup();
  }
});

test('every source records where each of its fields was written', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'sources:\n  a:\n    git: https://h/a.git\n    ref: main\n    env:\n      PATH: bin\n' });
  try {
    const a = (await ws.load()).sources[0]!;
    const file = join(ws.dir, 'weft.yaml');
    assert.equal(a.loc, { file, line: 2, col: 3 });
    assert.equal(a.fieldLocs, {
      git: { file, line: 3, col: 5 },
      ref: { file, line: 4, col: 5 },
      env: { file, line: 5, col: 5 },
      'env.PATH': { file, line: 6, col: 7 },
    });
  } finally {
    ws.cleanup();
  }
});

test('YAML anchors, aliases and merge keys are resolved', async () => {
  const ws = testWorkspace();
  ws.write({
    'weft.yaml': `x-defaults: &defaults
  submodules: true
vars:
  base: &b https://h
sources:
  a: &src
    git: https://h/a.git
    ref: main
    depth: 1
  b:
    <<: *src
    git: https://h/b.git
    ref: dev
  c:
    <<: *defaults
    git: ${'$'}{base}/c.git
    groups: [&g core]
  d:
    git: https://h/d.git
    groups: [*g]
`,
  });
  try {
    const [a, b, c, d] = (await ws.load()).sources as [GitSource, GitSource, GitSource, GitSource];
    assert.is(a.ref, 'main');
    assert.is(b.url, 'https://h/b.git');
    assert.is(b.ref, 'dev', 'explicit keys win over merged ones');
    assert.is(b.depth, 1, 'merged keys fill the rest');
    assert.is(c.url, 'https://h/c.git');
    assert.is(c.submodules, true, 'top-level x- keys hold anchors and are otherwise ignored');
    assert.equal(d.groups, ['core']);
  } finally {
    ws.cleanup();
  }
});

test('loading a plan writes nothing into the workspace', async () => {
  const ws = testWorkspace({
    'weft.yaml': 'include: [base.yaml]\nsources:\n  a: {git: "https://h/a.git"}\n  l: {local: ./l}\n',
    'base.yaml': 'sources:\n  b: {git: "https://h/b.git"}\n',
    'weft.local.yaml': 'sources:\n  a: {ref: dev}\n',
  });
  try {
    ws.mkdir('l');
    const before = ws.snapshot();
    const plan = await ws.load();
    assert.is(plan.sources.length, 3);
    assert.equal(ws.snapshot(), before);
  } finally {
    ws.cleanup();
  }
});

test.run();
