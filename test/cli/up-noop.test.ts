import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { weft, isolatedEnv } from '../helpers/cli.js';
import { gitSandbox, makeUpstream } from '../helpers/git-repo.js';

/** Modification times (ns) of everything weft writes in a workspace. */
function written(ws: string): Record<string, bigint> {
  const files = ['weft.lock', '.weft/state.json', '.weft/plan-cache.json', ...readdirSync(join(ws, '.weft', 'env')).map((f) => `.weft/env/${f}`)];
  return Object.fromEntries(files.map((f) => [f, statSync(join(ws, f), { bigint: true }).mtimeNs]));
}

test('a no-op weft up rewrites none of weft.lock, state.json, the plan cache or the env files, and keeps the recorded fetch times', async () => {
  const sb = gitSandbox();
  try {
    const a = makeUpstream(sb, 'alpha');
    a.tag('v1');
    const env = isolatedEnv(sb.root);
    writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  alpha:\n    git: ${a.dir}\n    ref: v1\n    env: { PATH: bin }\n`);
    const first = await weft(['up'], { cwd: sb.workspace, env });
    assert.is(first.code, 0, first.stderr);
    // The first re-run records "unchanged"; from then on nothing differs.
    const second = await weft(['up'], { cwd: sb.workspace, env });
    assert.is(second.code, 0, second.stderr);
    const before = written(sb.workspace);
    assert.ok(Object.keys(before).some((f) => f.startsWith('.weft/env/bash')), Object.keys(before).join(', '));
    const third = await weft(['up'], { cwd: sb.workspace, env });
    assert.is(third.code, 0, third.stderr);
    assert.equal(written(sb.workspace), before);
  } finally {
    sb.cleanup();
  }
});

test('a changed manifest does rewrite the env files (only what changed)', async () => {
  const sb = gitSandbox();
  try {
    const a = makeUpstream(sb, 'alpha');
    const env = isolatedEnv(sb.root);
    const manifest = (dir: string) => writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  alpha:\n    git: ${a.dir}\n    env: { PATH: ${dir} }\n`);
    manifest('bin');
    assert.is((await weft(['up'], { cwd: sb.workspace, env })).code, 0);
    const bash = () => readFileSync(join(sb.workspace, '.weft', 'env', 'bash'), 'utf8');
    const before = bash();
    manifest('tools');
    assert.is((await weft(['up'], { cwd: sb.workspace, env })).code, 0);
    assert.is.not(bash(), before);
    const envOut = await weft(['env', '--json'], { cwd: sb.workspace, env });
    assert.match(envOut.stdout, /alpha\/tools/);
  } finally {
    sb.cleanup();
  }
});

test.run();
