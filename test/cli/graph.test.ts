import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDot, renderMermaid } from '../../src/resolve/graph.js';
import type { Plan, Source } from '../../src/types.js';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const MANIFEST = `weft: 1
name: small
sources:
  app:
    git: https://example.org/app.git
    ref: main
    depends: [lib, tools]
    groups: [core]
  lib:
    git: https://example.org/lib.git
    groups: [core]
  tools:
    archive: https://example.org/tools.tar.gz
    integrity: sha256:0000000000000000000000000000000000000000000000000000000000000000
  end:
    hg: https://example.org/end
    depends: [app]
    groups: [extra]
import:
  - from: lib
    only: [helper]
`;

function workspace(): { dir: string; cleanup: () => void } {
  const t = tempDir('weft-graph-');
  writeFileSync(join(t.dir, 'weft.yaml'), MANIFEST);
  return t;
}

test('weft graph prints dot with a cluster per group, depends edges and a dashed import edge', async () => {
  const t = workspace();
  try {
    const r = await weft(['graph'], { cwd: t.dir, env: isolatedEnv(t.dir) });
    assert.is(r.code, 0, r.stderr);
    assert.fixture(r.stdout, `digraph "small" {
  rankdir=LR;
  node [shape=box];
  subgraph "cluster_core" {
    label="core";
    "app" [label="app\\ngit main"];
    "lib" [label="lib\\ngit"];
  }
  subgraph "cluster_extra" {
    label="extra";
    "end" [label="end\\nhg"];
  }
  "tools" [label="tools\\narchive"];
  "import 1" [shape=note, label="import\\nlib/weft.yaml (only: helper)"];
  "app" -> "lib";
  "app" -> "tools";
  "end" -> "app";
  "lib" -> "import 1" [style=dashed, label="import"];
}
`);
  } finally {
    t.cleanup();
  }
});

test('weft graph --json prints the nodes, the edges and the imports not read yet as data, and refuses --format beside it', async () => {
  const t = workspace();
  try {
    const env = isolatedEnv(t.dir);
    const r = await weft(['graph', '--json'], { cwd: t.dir, env });
    assert.is(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout), {
      nodes: [
        { name: 'app', type: 'git', ref: 'main', groups: ['core'] },
        { name: 'lib', type: 'git', groups: ['core'] },
        { name: 'tools', type: 'archive', groups: [] },
        { name: 'end', type: 'hg', groups: ['extra'] },
      ],
      edges: [
        { from: 'app', to: 'lib', kind: 'depends' },
        { from: 'app', to: 'tools', kind: 'depends' },
        { from: 'end', to: 'app', kind: 'depends' },
      ],
      pendingImports: [{ from: 'lib', file: 'weft.yaml', only: ['helper'] }],
    });
    const both = await weft(['graph', '--json', '--format', 'dot'], { cwd: t.dir, env });
    assert.is(both.code, 2);
    assert.match(both.stderr, '--json and --format');
  } finally {
    t.cleanup();
  }
});

test('weft graph --format mermaid prints subgraph blocks and ids that avoid mermaid keywords', async () => {
  const t = workspace();
  try {
    const r = await weft(['graph', '--format', 'mermaid'], { cwd: t.dir, env: isolatedEnv(t.dir) });
    assert.is(r.code, 0, r.stderr);
    assert.fixture(r.stdout, `flowchart LR
  subgraph g_core["core"]
    s_app["app<br/>git main"]
    s_lib["lib<br/>git"]
  end
  subgraph g_extra["extra"]
    s_end["end<br/>hg"]
  end
  s_tools["tools<br/>archive"]
  i_1>"import<br/>lib/weft.yaml (only: helper)"]
  s_app --> s_lib
  s_app --> s_tools
  s_end --> s_app
  s_lib -. import .-> i_1
`);
  } finally {
    t.cleanup();
  }
});

test('weft graph --format svg without Graphviz fails with WEFT_E_GRAPH_NO_DOT and prints no graph', async () => {
  const t = workspace();
  try {
    const emptyBin = join(t.dir, 'empty-bin');
    mkdirSync(emptyBin);
    const r = await weft(['graph', '--format', 'svg'], { cwd: t.dir, env: isolatedEnv(t.dir, { PATH: emptyBin }) });
    assert.is(r.code, 1);
    assert.match(r.stderr, 'WEFT_E_GRAPH_NO_DOT');
    assert.match(r.stderr, 'graphviz');
    assert.is(r.stdout, '');
  } finally {
    t.cleanup();
  }
});

test('weft graph --format svg pipes the dot text through the dot program on PATH', async () => {
  const t = workspace();
  try {
    const bin = join(t.dir, 'bin');
    mkdirSync(bin);
    // A stand-in for Graphviz that proves what it was given and with which flag.
    writeFileSync(join(bin, 'dot'), '#!/bin/sh\nprintf "<svg flag=\\"%s\\">\\n" "$1"\n/bin/cat\nprintf "</svg>\\n"\n');
    chmodSync(join(bin, 'dot'), 0o755);
    const r = await weft(['graph', '--format', 'svg'], { cwd: t.dir, env: isolatedEnv(t.dir, { PATH: `${bin}:/usr/bin:/bin` }) });
    assert.is(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith('<svg flag="-Tsvg">\ndigraph "small" {\n'), r.stdout);
    assert.ok(r.stdout.endsWith('}\n</svg>\n'));
  } finally {
    t.cleanup();
  }
});

test('weft graph --format svg with the real Graphviz (installed by .ci/run) draws every source', async () => {
  const t = workspace();
  try {
    const r = await weft(['graph', '--format', 'svg'], { cwd: t.dir, env: isolatedEnv(t.dir) });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /<svg[\s\S]*<\/svg>\s*$/);
    for (const name of ['app', 'lib', 'tools', 'end']) assert.match(r.stdout, `<title>${name}</title>`);
  } finally {
    t.cleanup();
  }
});

test('weft graph refuses an unknown format with a usage error', async () => {
  const t = workspace();
  try {
    const r = await weft(['graph', '--format', 'png'], { cwd: t.dir, env: isolatedEnv(t.dir) });
    assert.is(r.code, 2);
    assert.match(r.stderr, 'WEFT_E_USAGE');
    assert.is(r.stdout, '');
  } finally {
    t.cleanup();
  }
});

function source(name: string, over: Partial<Source> & { dir: string; file: string }): Source {
  return {
    type: 'local', name, path: name, dir: over.dir, depends: over.depends ?? [], groups: over.groups ?? [],
    env: [], setup: [], loc: { file: over.file, line: 1, col: 1 },
  };
}

test('sources defined inside an importing checkout get a dashed edge from it, and output is the same every time', () => {
  const plan: Plan = {
    name: 'p', manifest: '/ws/weft.yaml', workspace: '/ws', root: '/ws',
    sources: [
      source('lib', { dir: '/ws/lib', file: '/ws/weft.yaml' }),
      source('helper', { dir: '/ws/helper', file: '/ws/lib/weft.yaml' }),
      source('lib2', { dir: '/ws/lib2', file: '/ws/weft.yaml', depends: ['helper'] }),
    ],
    envOrder: ['lib2', 'helper', 'lib'], env: [], requires: {}, mirrors: {},
    imports: [{ from: 'lib', file: 'weft.yaml', loc: { file: '/ws/weft.yaml', line: 9, col: 5 } }],
    files: ['/ws/weft.yaml'],
  };
  const dot = renderDot(plan);
  assert.ok(dot.includes('  "lib" -> "helper" [style=dashed, label="import"];\n'), dot);
  assert.ok(dot.includes('  "lib2" -> "helper";\n'));
  assert.not.ok(dot.includes('"lib2" -> "helper" [style=dashed'));
  assert.not.ok(dot.includes('shape=note'));
  assert.ok(renderMermaid(plan).includes('  s_lib -. import .-> s_helper\n'));
  assert.is(renderDot(plan), dot);
});

test.run();
