import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const MANIFEST = `weft: 1
sources:
  app:
    git: https://example.org/app.git
    ref: main
    depends: [lib]
    env:
      PATH: bin
  lib:
    local: libs/base
mirrors:
  "https://example.org/": "https://mirror.example.net/"
`;

const LOCAL = `sources:
  app:
    ref: trunk
    env:
      PATH: tools
`;

function workspace(local = true): { dir: string; cleanup: () => void } {
  const t = tempDir('weft-why-');
  mkdirSync(join(t.dir, 'libs', 'base'), { recursive: true });
  writeFileSync(join(t.dir, 'weft.yaml'), MANIFEST);
  if (local) writeFileSync(join(t.dir, 'weft.local.yaml'), LOCAL);
  return t;
}

test('weft why shows each field with its value and the file:line:col that set it, overrides from weft.local.yaml included', async () => {
  const t = workspace();
  try {
    const r = await weft(['why', 'app'], { cwd: t.dir, env: isolatedEnv(t.dir) });
    assert.is(r.code, 0, r.stderr);
    assert.fixture(r.stdout, `app (git, defined at weft.yaml:3:3)
  git       https://example.org/app.git (via mirror https://mirror.example.net/app.git)  weft.yaml:4:5
  ref       trunk                                     weft.local.yaml:3:5
  path      app                                       (default)
  depends   lib                                       weft.yaml:6:5
  env.PATH  tools                                     weft.local.yaml:5:7
`);
  } finally {
    t.cleanup();
  }
});

test('without weft.local.yaml the same fields point at weft.yaml', async () => {
  const t = workspace(false);
  try {
    const r = await weft(['why', 'app', '--json'], { cwd: t.dir, env: isolatedEnv(t.dir) });
    assert.is(r.code, 0, r.stderr);
    const data = JSON.parse(r.stdout) as { fields: { field: string; value: string; from: string | null }[] };
    const ref = data.fields.find((f) => f.field === 'ref');
    assert.equal(ref, { field: 'ref', value: 'main', from: 'weft.yaml:5:5' });
    assert.equal(data.fields.find((f) => f.field === 'path'), { field: 'path', value: 'app', from: null });
    assert.equal(data.fields.find((f) => f.field === 'env.PATH'), { field: 'env.PATH', value: 'bin', from: 'weft.yaml:8:7' });
  } finally {
    t.cleanup();
  }
});

test('weft why names a local source by its directory', async () => {
  const t = workspace();
  try {
    const r = await weft(['why', 'lib'], { cwd: t.dir, env: isolatedEnv(t.dir) });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, `  local  ${join(t.dir, 'libs', 'base')}  weft.yaml:10:5\n`);
  } finally {
    t.cleanup();
  }
});

test('weft why with an unknown name fails with a usage error and a suggestion', async () => {
  const t = workspace();
  try {
    const r = await weft(['why', 'ap'], { cwd: t.dir, env: isolatedEnv(t.dir) });
    assert.is(r.code, 2);
    assert.match(r.stderr, 'WEFT_E_USAGE_SOURCE');
    assert.match(r.stderr, 'did you mean "app"');
    assert.is(r.stdout, '');
    const none = await weft(['why'], { cwd: t.dir, env: isolatedEnv(t.dir) });
    assert.is(none.code, 2);
    assert.match(none.stderr, 'exactly one source name');
  } finally {
    t.cleanup();
  }
});

test('weft why PATH (a variable the workspace sets, not a source) says so, where it is set, and which source to ask about', async () => {
  const t = workspace();
  try {
    const r = await weft(['why', 'PATH'], { cwd: t.dir, env: isolatedEnv(t.dir) });
    assert.is(r.code, 2);
    assert.match(r.stderr, 'error WEFT_E_USAGE_SOURCE: no source named "PATH"');
    // Set by app, whose env weft.local.yaml overrides: the place that counts is named.
    assert.match(r.stderr, /PATH is an environment variable the workspace sets \(at weft\.local\.yaml:\d+:\d+\)/);
    assert.match(r.stderr, 'hint: weft why shows a source\'s fields, its env.PATH among them: e.g. weft why app');
    assert.is(r.stdout, '');
  } finally {
    t.cleanup();
  }
});

test.run();
