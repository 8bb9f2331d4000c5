import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyEnv, render, writeEnvFiles, type EnvModel } from '../../src/shell/index.js';
import { tempDir } from '../helpers/tmp.js';
import { baseEnv, pick, runShell, sourceLine } from '../helpers/shell.js';

const model: EnvModel = {
  workspace: '/ws',
  name: 'lab',
  vars: [
    { type: 'list', name: 'PATH', prepend: ['/ws/bin'], append: [] },
    { type: 'set', name: 'MODE', value: "it's" },
  ],
};

test('every shell file and env.json are written, creating the directory', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const envDir = join(dir, '.weft', 'env');
    await writeEnvFiles(model, envDir);
    assert.equal(readdirSync(envDir).sort(), ['bash', 'env.json', 'fish', 'sh', 'zsh']);
    for (const shell of ['bash', 'zsh', 'sh', 'fish'] as const) assert.is(readFileSync(join(envDir, shell), 'utf8'), render(model, shell));
    assert.equal(JSON.parse(readFileSync(join(envDir, 'env.json'), 'utf8')), model);
  } finally {
    cleanup();
  }
});

test('rewriting replaces the files and leaves no temporary file behind', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await writeEnvFiles(model, dir);
    const next: EnvModel = { ...model, vars: [{ type: 'set', name: 'MODE', value: 'next' }] };
    await writeEnvFiles(next, dir);
    assert.equal(readdirSync(dir).sort(), ['bash', 'env.json', 'fish', 'sh', 'zsh']);
    assert.equal(JSON.parse(readFileSync(join(dir, 'env.json'), 'utf8')), next);
    const r = runShell('bash', sourceLine('bash', join(dir, 'bash')), baseEnv(dir));
    assert.is(r.env.MODE, 'next');
  } finally {
    cleanup();
  }
});

test('the written file, sourced by its shell, gives the applied environment', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await writeEnvFiles(model, dir);
    for (const shell of ['bash', 'zsh', 'sh', 'fish'] as const) {
      const base = baseEnv(dir);
      const r = runShell(shell, sourceLine(shell, join(dir, shell)), base);
      assert.equal(pick(r.env, ['PATH', 'MODE']), pick(applyEnv(model, base), ['PATH', 'MODE']), shell);
    }
  } finally {
    cleanup();
  }
});

test('a directory that cannot be created fails with nothing written', async () => {
  const { dir, cleanup } = tempDir();
  try {
    spawnSync('sh', ['-c', `: > '${join(dir, 'file')}'`]);
    let failed = false;
    await writeEnvFiles(model, join(dir, 'file', 'env')).catch(() => (failed = true));
    assert.ok(failed);
    assert.equal(readdirSync(dir), ['file']);
    assert.ok(!existsSync(join(dir, 'file', 'env')));
  } finally {
    cleanup();
  }
});

test.run();
