// `weft lock --check` and `weft up --frozen` judge one thing, whether weft.lock is stale,
// and must give the same answer for every change a manifest goes through.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { weft, isolatedEnv } from '../helpers/cli.js';
import { gitSandbox, makeUpstream, type GitSandbox, type Upstream } from '../helpers/git-repo.js';

interface World {
  sb: GitSandbox;
  a: Upstream;
  b: Upstream;
  c: Upstream;
  env: NodeJS.ProcessEnv;
  base: string;
}

const alpha = (a: Upstream, ref = 'main') => `  alpha:\n    git: ${a.dir}\n    ref: ${ref}\n`;
const beta = (b: Upstream) => `  beta:\n    git: ${b.dir}\n    ref: v1\n`;

function world(): World {
  const sb = gitSandbox();
  const a = makeUpstream(sb, 'alpha');
  a.checkout('dev', true);
  a.commit('dev work', { 'dev.txt': 'dev\n' });
  a.checkout('main');
  const b = makeUpstream(sb, 'beta');
  b.tag('v1');
  const c = makeUpstream(sb, 'gamma');
  return { sb, a, b, c, env: isolatedEnv(sb.root), base: join(sb.root, 'base') };
}

interface Case {
  name: string;
  /** Changes the workspace (weft.yaml, weft.local.yaml, weft.lock) after a current lock was written. */
  change: (ws: string, w: World) => void;
  stale: boolean;
}

const yaml = (ws: string, text: string) => writeFileSync(join(ws, 'weft.yaml'), text);

const cases: Case[] = [
  { name: 'nothing changed', change: () => {}, stale: false },
  { name: 'a comment line inserted above the sources', change: (ws, w) => yaml(ws, `weft: 1\n# the sources we build\n\nsources:\n${alpha(w.a)}${beta(w.b)}`), stale: false },
  { name: 'the sources reordered', change: (ws, w) => yaml(ws, `weft: 1\nsources:\n${beta(w.b)}${alpha(w.a)}`), stale: false },
  {
    name: 'a source moved into an included file',
    change: (ws, w) => {
      writeFileSync(join(ws, 'more.weft.yaml'), `weft: 1\nsources:\n${beta(w.b)}`);
      yaml(ws, `weft: 1\ninclude: [more.weft.yaml]\nsources:\n${alpha(w.a)}`);
    },
    stale: false,
  },
  {
    name: 'an old lock whose "defined" holds file:line:col',
    change: (ws) => writeFileSync(join(ws, 'weft.lock'), readFileSync(join(ws, 'weft.lock'), 'utf8').replace(/defined: weft\.yaml(:\d+)?\n/g, 'defined: weft.yaml:9:3\n')),
    stale: false,
  },
  {
    name: 'an old lock whose "defined" holds file:line',
    change: (ws) => writeFileSync(join(ws, 'weft.lock'), readFileSync(join(ws, 'weft.lock'), 'utf8').replace(/defined: weft\.yaml(:\d+)?\n/g, 'defined: weft.yaml:17\n')),
    stale: false,
  },
  { name: 'a source added', change: (ws, w) => yaml(ws, `weft: 1\nsources:\n${alpha(w.a)}${beta(w.b)}  gamma:\n    git: ${w.c.dir}\n`), stale: true },
  { name: 'a source removed', change: (ws, w) => yaml(ws, `weft: 1\nsources:\n${alpha(w.a)}`), stale: true },
  { name: 'a ref changed', change: (ws, w) => yaml(ws, `weft: 1\nsources:\n${alpha(w.a, 'dev')}${beta(w.b)}`), stale: true },
  { name: 'a url changed', change: (ws, w) => yaml(ws, `weft: 1\nsources:\n  alpha:\n    git: ${w.c.dir}\n    ref: main\n${beta(w.b)}`), stale: true },
  {
    name: 'a source only in weft.local.yaml',
    change: (ws, w) => writeFileSync(join(ws, 'weft.local.yaml'), `sources:\n  gamma:\n    git: ${w.c.dir}\n`),
    stale: false,
  },
  {
    name: 'weft.local.yaml overriding the ref of a source the committed manifest moved',
    change: (ws, w) => {
      yaml(ws, `weft: 1\nsources:\n${alpha(w.a, 'dev')}${beta(w.b)}`);
      writeFileSync(join(ws, 'weft.local.yaml'), 'sources:\n  alpha:\n    ref: main\n');
    },
    stale: true,
  },
  {
    name: 'a source removed from weft.yaml that weft.local.yaml still defines',
    change: (ws, w) => {
      yaml(ws, `weft: 1\nsources:\n${alpha(w.a)}`);
      writeFileSync(join(ws, 'weft.local.yaml'), `sources:\n${beta(w.b)}`);
    },
    stale: true,
  },
];

test('weft lock --check and weft up --frozen agree on whether the lock is stale, case by case', async () => {
  const w = world();
  try {
    yaml(w.sb.workspace, `weft: 1\nsources:\n${alpha(w.a)}${beta(w.b)}`);
    const first = await weft(['lock'], { cwd: w.sb.workspace, env: w.env });
    assert.is(first.code, 0, first.stderr);
    const seen: string[] = [];
    const want: string[] = [];
    const said: [string, string, string][] = [];
    for (const [i, c] of cases.entries()) {
      const ws = join(w.sb.root, `case${i}`);
      cpSync(w.sb.workspace, ws, { recursive: true });
      c.change(ws, w);
      const check = await weft(['lock', '--check'], { cwd: ws, env: w.env });
      const frozen = await weft(['up', '--frozen'], { cwd: ws, env: w.env });
      const verdict = (code: number | null) => (code === 0 ? 'current' : 'stale');
      seen.push(`${c.name}: lock --check ${verdict(check.code)}, up --frozen ${verdict(frozen.code)}`);
      want.push(`${c.name}: lock --check ${verdict(c.stale ? 1 : 0)}, up --frozen ${verdict(c.stale ? 1 : 0)}`);
      if (c.stale) said.push([c.name, check.stderr, frozen.stderr]);
      rmSync(ws, { recursive: true, force: true });
    }
    assert.equal(seen, want);
    for (const [name, check, frozen] of said) {
      assert.match(check, 'weft.lock is stale', `${name}: ${check}`);
      assert.match(frozen, 'WEFT_E_FROZEN', `${name}: ${frozen}`);
    }
  } finally {
    w.sb.cleanup();
  }
});

test('weft.lock records the file a source is defined in, not its line: a comment above it changes no byte of the lock', async () => {
  const w = world();
  try {
    const ws = w.sb.workspace;
    yaml(ws, `weft: 1\nsources:\n${alpha(w.a)}${beta(w.b)}`);
    assert.is((await weft(['lock'], { cwd: ws, env: w.env })).code, 0);
    const before = readFileSync(join(ws, 'weft.lock'), 'utf8');
    assert.match(before, /defined: weft\.yaml\n/);
    assert.not.match(before, /defined: weft\.yaml:/);
    yaml(ws, `weft: 1\n# a comment\nsources:\n${beta(w.b)}${alpha(w.a)}`);
    const again = await weft(['lock'], { cwd: ws, env: w.env });
    assert.is(again.code, 0, again.stderr);
    assert.match(again.stdout, 'weft.lock unchanged');
    assert.is(readFileSync(join(ws, 'weft.lock'), 'utf8'), before);
    const up = await weft(['up'], { cwd: ws, env: w.env });
    assert.is(up.code, 0, up.stderr);
    assert.is(readFileSync(join(ws, 'weft.lock'), 'utf8'), before);
  } finally {
    w.sb.cleanup();
  }
});

test('an old lock with "defined: FILE:LINE:COL" loads, and the next weft lock writes the file alone', async () => {
  const w = world();
  try {
    const ws = w.sb.workspace;
    yaml(ws, `weft: 1\nsources:\n${alpha(w.a)}`);
    assert.is((await weft(['lock'], { cwd: ws, env: w.env })).code, 0);
    const current = readFileSync(join(ws, 'weft.lock'), 'utf8');
    writeFileSync(join(ws, 'weft.lock'), current.replace(/defined: weft\.yaml(:\d+)?\n/, 'defined: weft.yaml:3:3\n'));
    const check = await weft(['lock', '--check'], { cwd: ws, env: w.env });
    assert.is(check.code, 0, check.stderr);
    assert.is((await weft(['lock'], { cwd: ws, env: w.env })).code, 0);
    assert.is(readFileSync(join(ws, 'weft.lock'), 'utf8'), current);
  } finally {
    w.sb.cleanup();
  }
});

test.run();
