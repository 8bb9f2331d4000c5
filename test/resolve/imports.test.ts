// resolveImports through resolvePlan, on real files: `local:` sources are checked out by
// definition, so their imported manifests are read without fetching anything.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolvePlan } from '../../src/resolve/index.js';
import type { WeftError } from '../../src/errors.js';
import { tempDir } from '../helpers/tmp.js';

function files(root: string, all: Record<string, string>): void {
  for (const [p, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
}

function failure(fn: () => unknown): WeftError {
  try {
    fn();
  } catch (err) {
    return err as WeftError;
  }
  throw new Error('expected a failure');
}

const env = { HOME: '/nonexistent-weft-home' };

test('a manifest wins over what it imports at every level, and imported requires join ours', () => {
  const t = tempDir();
  try {
    files(t.dir, {
      'weft.yaml': 'sources:\n  mid:\n    local: vendor/mid\nimport:\n  - from: mid\nrequires:\n  git: ">=2.30"\n',
      'vendor/mid/weft.yaml': 'sources:\n  leaf:\n    local: ../leaf\n  x:\n    git: https://mid.example/x.git\nimport:\n  - from: leaf\nrequires:\n  git: ">=1"\n  node: ">=18"\n',
      'vendor/leaf/weft.yaml': 'sources:\n  x:\n    git: https://leaf.example/x.git\n  y:\n    git: https://leaf.example/y.git\n    path: deps/y\n',
    });
    const plan = resolvePlan({ cwd: t.dir, env });
    assert.equal(plan.sources.map((s) => s.name), ['mid', 'leaf', 'x', 'y']);
    const x = plan.sources.find((s) => s.name === 'x')!;
    assert.is(x.type === 'git' && x.url, 'https://mid.example/x.git', 'the importing manifest (mid) wins over the one it imports (leaf)');
    assert.is(plan.sources.find((s) => s.name === 'y')!.dir, join(t.dir, 'deps', 'y'), 'paths are relative to our root');
    assert.equal(plan.requires, { git: '>=2.30', node: '>=18' });
    assert.ok(plan.files.includes(join(t.dir, 'vendor', 'leaf', 'weft.yaml')), 'trust and the env stamp cover imported files');
    assert.is(plan.pendingImports, undefined);
  } finally {
    t.cleanup();
  }
});

test('only: naming a source the imported manifest lacks, or leaving out one a taken source depends on, is an error', () => {
  const t = tempDir();
  try {
    files(t.dir, {
      'weft.yaml': 'sources:\n  lib:\n    local: lib\nimport:\n  - from: lib\n    only: [a, nope]\n',
      'lib/weft.yaml': 'sources:\n  a:\n    git: https://h.example/a.git\n    depends: [b]\n  b:\n    git: https://h.example/b.git\n',
    });
    const err = failure(() => resolvePlan({ cwd: t.dir, env }));
    const all = err.all().map((e) => `${e.code} ${e.loc?.file.slice(t.dir.length + 1)}:${e.loc?.line}`);
    assert.ok(all.includes('WEFT_E_IMPORT_ONLY weft.yaml:5'), all.join('\n'));
    assert.ok(all.includes('WEFT_E_IMPORT_DEPENDS lib/weft.yaml:4'), all.join('\n'));
    assert.is(err.exitCode, 2);
  } finally {
    t.cleanup();
  }
});

test('an imported manifest reached through a symlink out of its source is refused', () => {
  const t = tempDir();
  try {
    files(t.dir, {
      'weft.yaml': 'sources:\n  lib:\n    local: lib\nimport:\n  - from: lib\n',
      'outside/weft.yaml': 'sources:\n  evil:\n    git: https://evil.example/e.git\n',
    });
    mkdirSync(join(t.dir, 'lib'));
    symlinkSync(join(t.dir, 'outside', 'weft.yaml'), join(t.dir, 'lib', 'weft.yaml'));
    const err = failure(() => resolvePlan({ cwd: t.dir, env, converged: new Set(['lib']) }));
    assert.is(err.code, 'WEFT_E_IMPORT_PATH');
    assert.is(err.loc?.line, 5);
  } finally {
    t.cleanup();
  }
});

test('an imported manifest may not include files outside its source', () => {
  const t = tempDir();
  try {
    files(t.dir, {
      'weft.yaml': 'sources:\n  lib:\n    local: lib\nimport:\n  - from: lib\n',
      'lib/weft.yaml': 'include: [../private.yaml]\nsources: {}\n',
      'private.yaml': 'sources:\n  p:\n    git: https://h.example/p.git\n',
    });
    const err = failure(() => resolvePlan({ cwd: t.dir, env }));
    assert.is(err.code, 'WEFT_E_IMPORT_PATH');
    assert.match(err.message, 'private.yaml');
  } finally {
    t.cleanup();
  }
});

test('an imported source whose directory clashes with ours is an error naming both', () => {
  const t = tempDir();
  try {
    files(t.dir, {
      'weft.yaml': 'sources:\n  lib:\n    local: lib\n  mine:\n    git: https://h.example/m.git\n    path: shared\nimport:\n  - from: lib\n',
      'lib/weft.yaml': 'sources:\n  theirs:\n    git: https://h.example/t.git\n    path: shared\n',
    });
    const err = failure(() => resolvePlan({ cwd: t.dir, env }));
    assert.is(err.code, 'WEFT_E_IMPORT_PATH_CONFLICT');
    assert.match(err.message, '`mine`');
    assert.match(err.message, '`theirs`');
  } finally {
    t.cleanup();
  }
});

test('a missing import file only waits until weft up has converged the source', () => {
  const t = tempDir();
  try {
    files(t.dir, { 'weft.yaml': 'sources:\n  lib:\n    git: https://h.example/lib.git\nimport:\n  - from: lib\n    file: deps.yaml\n', 'lib/README': 'x\n' });
    const plan = resolvePlan({ cwd: t.dir, env });
    assert.equal(plan.pendingImports?.map((i) => i.file), ['deps.yaml']);
    const err = failure(() => resolvePlan({ cwd: t.dir, env, converged: new Set(['lib']) }));
    assert.is(err.code, 'WEFT_E_IMPORT_MISSING');
    assert.equal([err.loc?.line, err.loc?.col], [5, 5]);
  } finally {
    t.cleanup();
  }
});

test('a local source is used in place, never moved: an import file missing from it is an error at once, not a wait for weft up', () => {
  const t = tempDir();
  try {
    files(t.dir, { 'weft.yaml': 'sources:\n  lib:\n    local: lib\nimport:\n  - from: lib\n    file: deps.yaml\n', 'lib/README': 'x\n' });
    const err = failure(() => resolvePlan({ cwd: t.dir, env }));
    assert.is(err.code, 'WEFT_E_IMPORT_MISSING');
    assert.equal([err.loc?.line, err.loc?.col], [5, 5]);
    assert.is(err.exitCode, 2);
  } finally {
    t.cleanup();
  }
});

test.run();
