import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyEnv, render, writeEnvFiles, type EnvModel } from '../../src/shell/index.js';
import { rendererBuild } from '../../src/shell/files.js';
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

/** The files as `weft up` leaves them: rendered, then stamp.json naming the renderers' build. */
async function upToDateFiles(dir: string, rendered = rendererBuild()): Promise<void> {
  await writeEnvFiles(model, dir);
  writeFileSync(join(dir, 'stamp.json'), JSON.stringify({ version: 1, rendered }));
}

/** Replaces a file's text, keeping it older than env.json as a render by weft would be. */
function scribble(dir: string, name: string): void {
  const st = statSync(join(dir, 'env.json'));
  writeFileSync(join(dir, name), '# not what weft wrote\n');
  utimesSync(join(dir, name), st.atime, new Date(st.mtimeMs - 1000));
}

test('the same model with this build\'s renderers renders nothing again', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await upToDateFiles(dir);
    scribble(dir, 'bash');
    await writeEnvFiles(model, dir);
    // Left as it was: proof that no renderer ran (what a no-op `weft up` saves).
    assert.is(readFileSync(join(dir, 'bash'), 'utf8'), '# not what weft wrote\n');
  } finally {
    cleanup();
  }
});

test('shell files are rendered again when another build wrote them, one is missing, or one was edited since', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await upToDateFiles(dir, 'another build');
    scribble(dir, 'bash');
    await writeEnvFiles(model, dir);
    assert.is(readFileSync(join(dir, 'bash'), 'utf8'), render(model, 'bash'), 'another build');

    await upToDateFiles(dir);
    rmSync(join(dir, 'zsh'));
    await writeEnvFiles(model, dir);
    assert.is(readFileSync(join(dir, 'zsh'), 'utf8'), render(model, 'zsh'), 'missing');

    await upToDateFiles(dir);
    writeFileSync(join(dir, 'fish'), '# edited by hand\n');
    utimesSync(join(dir, 'fish'), new Date(), new Date(Date.now() + 5000));
    await writeEnvFiles(model, dir);
    assert.is(readFileSync(join(dir, 'fish'), 'utf8'), render(model, 'fish'), 'edited');

    await upToDateFiles(dir);
    writeFileSync(join(dir, 'stamp.json'), 'not json');
    scribble(dir, 'sh');
    await writeEnvFiles(model, dir);
    assert.is(readFileSync(join(dir, 'sh'), 'utf8'), render(model, 'sh'), 'unreadable stamp');
  } finally {
    cleanup();
  }
});

test.run();
