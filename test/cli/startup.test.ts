// What a fresh `weft up` loads before it starts fetching: only what the path needs. Each
// module is start-up time in every workspace weft has never seen (no plan cache yet).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv } from '../helpers/cli.js';
import { weftTracingModules } from '../helpers/loaded-modules.js';
import { tempDir } from '../helpers/tmp.js';

function workspace(): { dir: string; ws: string; env: NodeJS.ProcessEnv; cleanup: () => void } {
  const { dir, cleanup } = tempDir();
  const ws = join(dir, 'ws');
  mkdirSync(join(ws, 'lib'), { recursive: true });
  writeFileSync(join(ws, 'weft.yaml'), 'weft: 1\nsources:\n  lib:\n    local: ./lib\n    env: { LIB: here }\n  app:\n    git: https://example.invalid/app.git\n    ref: main\n');
  return { dir, ws, env: isolatedEnv(dir), cleanup };
}

test('weft up --dry-run resolves and prints the plan without loading the fetch or shell layers', async () => {
  const w = workspace();
  try {
    const r = await weftTracingModules(['up', '--dry-run'], { cwd: w.ws, env: w.env, dir: w.dir });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, 'app');
    // The probe sees the resolver, so an empty list below means a quiet layer, not a blind probe.
    assert.ok(r.weftModules.includes('resolve/plan.js'), r.weftModules.join(' '));
    assert.equal(r.weftModules.filter((m) => m.startsWith('fetch/') || m.startsWith('shell/')), []);
  } finally {
    w.cleanup();
  }
});

test('a fresh weft up parses the manifest with the yaml package loaded by weft itself, not by Node\'s module search', async () => {
  const w = workspace();
  try {
    const r = await weftTracingModules(['up', '--dry-run', '--json'], { cwd: w.ws, env: w.env, dir: w.dir });
    assert.is(r.code, 0, r.stderr);
    // The plan shows the manifest was really parsed in this run.
    const plan = JSON.parse(r.stdout) as { sources: { name: string }[] };
    assert.equal(plan.sources.map((s) => s.name), ['lib', 'app']);
    assert.ok(r.weftModules.includes('resolve/yaml-lib.js'), r.weftModules.join(' '));
    assert.is(r.yamlByNode, false);
  } finally {
    w.cleanup();
  }
});

test.run();
