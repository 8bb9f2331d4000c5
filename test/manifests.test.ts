import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { loadPlan } from '../src/resolve/index.js';
import { isolatedEnv, repoRoot, weft } from './helpers/cli.js';
import { gitSandbox, makeUpstream } from './helpers/git-repo.js';

const manifestsDir = join(repoRoot, 'manifests');
const manifestFiles = readdirSync(manifestsDir).filter((f) => f.endsWith('.yaml')).sort();

test('every manifest under manifests/ validates and plans', async () => {
  assert.ok(manifestFiles.includes('divmod.yaml') && manifestFiles.includes('node-app.yaml') && manifestFiles.includes('c-pkgconfig.yaml'));
  for (const f of manifestFiles) {
    const plan = await loadPlan({ cwd: manifestsDir, manifest: join(manifestsDir, f), env: { HOME: '/nonexistent' } });
    assert.ok(plan.sources.length > 0, `${f} has sources`);
    assert.is(plan.envOrder.length, plan.sources.length, `${f} orders every source`);
  }
});

test('the divmod manifest wires Twisted from src/, the Divmod projects from their roots, and Nevow and Mantissa into py2', async () => {
  const plan = await loadPlan({ cwd: manifestsDir, manifest: join(manifestsDir, 'divmod.yaml'), env: { HOME: '/nonexistent' } });
  const by = (n: string) => plan.sources.find((s) => s.name === n)!;
  assert.equal(plan.sources.map((s) => s.name), ['twisted', 'epsilon', 'axiom', 'nevow', 'mantissa']);
  const twisted = by('twisted');
  assert.is(twisted.type === 'git' && twisted.url, 'https://github.com/twisted/twisted.git');
  assert.is(twisted.type === 'git' && twisted.ref, 'trunk');
  assert.equal(twisted.env.find((e) => e.name === 'PYTHONPATH'), { ...twisted.env.find((e) => e.name === 'PYTHONPATH')!, op: 'prepend', paths: ['src'] });
  assert.equal(by('axiom').depends, ['twisted', 'epsilon']);
  assert.equal(by('nevow').groups, ['py2']);
  assert.equal(by('mantissa').groups, ['py2']);
  assert.ok(by('epsilon').setup[0]!.run.includes('epsilon/_version.py'));
  assert.ok(by('axiom').setup[0]!.run.includes('axiom/_version.py'));
  assert.is(plan.envOrder.at(-1), 'twisted');
});

test('with mirrors pointed at local repositories the divmod stack sets up fully and runs from its checkouts', async () => {
  const sb = gitSandbox();
  try {
    const layouts: Record<string, Record<string, string>> = {
      twisted: { 'src/twisted/__init__.py': '', 'src/twisted/_version.py': '__version__ = "0"\n' },
      epsilon: { 'epsilon/__init__.py': '' },
      axiom: { 'axiom/__init__.py': '', 'bin/axiomatic': '#!/bin/sh\necho axiomatic\n' },
      nevow: { 'nevow/__init__.py': '', 'bin/nit': '#!/bin/sh\necho nit\n' },
      mantissa: { 'xmantissa/__init__.py': '' },
    };
    for (const [name, files] of Object.entries(layouts)) {
      const up = makeUpstream(sb, `twisted/${name}.git`);
      if (name === 'twisted') up.checkout('trunk', true);
      up.commit(`${name} layout`, files);
      if (name === 'twisted') up.checkout('main');
    }
    // weft.local.yaml may not set mirrors, so the copy of the manifest carries them.
    const manifest = readFileSync(join(manifestsDir, 'divmod.yaml'), 'utf8');
    writeFileSync(join(sb.workspace, 'weft.yaml'), `${manifest}mirrors:\n  "https://github.com/": "file://${sb.root}/upstream/"\n`);
    const env = isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache });
    // Setup steps run only in a trusted workspace: they write the version modules that
    // setuptools_scm would write at install time.
    assert.is((await weft(['trust'], { cwd: sb.workspace, env })).code, 0);
    const up = await weft(['up'], { cwd: sb.workspace, env });
    assert.is(up.code, 0, up.stderr + up.stdout);
    for (const name of ['epsilon', 'axiom']) {
      assert.match(readFileSync(join(sb.workspace, name, name, '_version.py'), 'utf8'), /^__version__ = "[0-9a-f]{7,}"\n$/, name);
    }
    // Python finds the checkouts and their generated version modules through PYTHONPATH.
    const py = await weft(['run', '--', 'python3', '-c', 'import twisted, epsilon._version as e, axiom._version as a; print(e.__version__, a.__version__)'], { cwd: sb.workspace, env });
    assert.is(py.code, 0, py.stderr);
    const run = await weft(['run', '--', 'sh', '-c', 'echo "$PYTHONPATH"; echo "$PATH"; ls "$0"', 'twisted/src/twisted'], { cwd: sb.workspace, env });
    assert.is(run.code, 0, run.stderr);
    const [pythonpath, path, listing] = run.stdout.split('\n');
    const ws = sb.workspace;
    const pp = pythonpath!.split(delimiter);
    assert.equal([...pp].sort(), [join(ws, 'axiom'), join(ws, 'epsilon'), join(ws, 'mantissa'), join(ws, 'nevow'), join(ws, 'twisted', 'src')]);
    // Each source comes before those it depends on, so a checkout shadows what it builds on.
    assert.is(pp[0], join(ws, 'mantissa'));
    assert.is(pp.at(-1), join(ws, 'twisted', 'src'));
    assert.ok(pp.indexOf(join(ws, 'axiom')) < pp.indexOf(join(ws, 'epsilon')));
    assert.ok(path!.split(delimiter).includes(join(ws, 'axiom', 'bin')));
    assert.ok(path!.split(delimiter).includes(join(ws, 'nevow', 'bin')));
    // trunk, not the upstream's default branch, is what twisted checked out.
    assert.ok(listing!.includes('__init__.py'), run.stdout);
  } finally {
    sb.cleanup();
  }
});

/** Upstreams for every git source of a manifest, at the path its github.com URL names, holding its ref. */
async function mirrorWorkspace(file: string) {
  const sb = gitSandbox();
  const plan = await loadPlan({ cwd: manifestsDir, manifest: join(manifestsDir, file), env: { HOME: '/nonexistent' } });
  for (const s of plan.sources) {
    if (s.type !== 'git') continue;
    const up = makeUpstream(sb, s.url.replace('https://github.com/', ''));
    up.commit(`${s.name} layout`, { 'bin/.keep': '', 'lib/.keep': '' });
    if (s.ref && s.ref !== 'main') up.tag(s.ref);
  }
  const manifest = readFileSync(join(manifestsDir, file), 'utf8');
  writeFileSync(join(sb.workspace, 'weft.yaml'), `${manifest}mirrors:\n  "https://github.com/": "file://${sb.root}/upstream/"\n`);
  return { sb, env: isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache }) };
}

const otherStacks: [string, string, string[]][] = [
  ['node-app.yaml', 'NODE_PATH', ['ui-kit/packages', 'palette/lib', 'cli-tools/lib']],
  ['c-pkgconfig.yaml', 'PKG_CONFIG_PATH', ['libfoo/_build/prefix/lib/pkgconfig']],
  ['c-pkgconfig.yaml', 'LD_LIBRARY_PATH', ['libfoo/_build/prefix/lib']],
];

for (const [file, variable, expected] of otherStacks) {
  test(`with mirrors pointed at local repositories ${file} sets up fully and sets ${variable}`, async () => {
    const { sb, env } = await mirrorWorkspace(file);
    try {
      const up = await weft(['up', '--no-setup'], { cwd: sb.workspace, env });
      assert.is(up.code, 0, up.stderr + up.stdout);
      // LD_LIBRARY_PATH changes how every program starts: applied only once trusted.
      assert.is((await weft(['trust'], { cwd: sb.workspace, env })).code, 0);
      const run = await weft(['run', '--', 'sh', '-c', `echo "$${variable}"`], { cwd: sb.workspace, env });
      assert.is(run.code, 0, run.stderr);
      assert.equal(run.stdout.trim().split(delimiter), expected.map((p) => join(sb.workspace, p)));
    } finally {
      sb.cleanup();
    }
  });
}

test.run();
