import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WeftError } from '../../src/errors.js';
import { runCommand } from '../../src/shell/index.js';
import { tempDir } from '../helpers/tmp.js';

const RUNNER = fileURLToPath(new URL('../helpers/shell-runner.js', import.meta.url));
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
const quiet = (script: string) => ['sh', '-c', script];

test('the exit code of the command is passed through', async () => {
  assert.is(await runCommand(quiet('exit 0'), env), 0);
  assert.is(await runCommand(quiet('exit 3'), env), 3);
});

test('a command killed by a signal gives 128 + the signal number', async () => {
  assert.is(await runCommand(quiet('kill -TERM $$'), env), 143);
  assert.is(await runCommand(quiet('kill -KILL $$'), env), 137);
});

test('the command is found on the PATH of the environment given, and runs in cwd', async () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, 'weft-test-tool'), '#!/bin/sh\n[ "$(pwd -P)" = "$1" ] && [ "$MARK" = yes ] && exit 42\nexit 1\n');
    chmodSync(join(dir, 'weft-test-tool'), 0o755);
    const code = await runCommand(['weft-test-tool', dir], { PATH: `${dir}:${env.PATH}`, MARK: 'yes' }, { cwd: dir });
    assert.is(code, 42);
  } finally {
    cleanup();
  }
});

test('a command not found is WEFT_E_RUN_NOT_FOUND with exit 127 and a hint', async () => {
  const err = await runCommand(['weft-no-such-command-xyz'], env).catch((e: unknown) => e);
  assert.instance(err, WeftError);
  const w = err as WeftError;
  assert.is(w.code, 'WEFT_E_RUN_NOT_FOUND');
  assert.is(w.exitCode, 127);
  assert.match(w.message, 'weft-no-such-command-xyz');
  assert.ok(w.hint);
});

test('a missing working directory is WEFT_E_RUN_CWD, not a missing command', async () => {
  const err = (await runCommand(quiet('exit 0'), env, { cwd: '/nonexistent/weft-dir' }).catch((e: unknown) => e)) as WeftError;
  assert.instance(err, WeftError);
  assert.is(err.code, 'WEFT_E_RUN_CWD');
});

test('a file that is not executable is WEFT_E_RUN_NOT_EXECUTABLE with exit 126', async () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, 'plain'), 'echo hi\n');
    const err = (await runCommand([join(dir, 'plain')], env).catch((e: unknown) => e)) as WeftError;
    assert.is(err.code, 'WEFT_E_RUN_NOT_EXECUTABLE');
    assert.is(err.exitCode, 126);
  } finally {
    cleanup();
  }
});

test('no signal handler is left behind after the command ends', async () => {
  const before = FORWARDED.map((s) => process.listenerCount(s));
  await runCommand(quiet('exit 0'), env);
  await runCommand(['weft-no-such-command-xyz'], env).catch(() => undefined);
  assert.equal(
    FORWARDED.map((s) => process.listenerCount(s)),
    before,
  );
});

// The child reports the signal it got and exits 40; weft must survive to pass that on.
const CHILD = `for (const s of ['SIGINT','SIGTERM','SIGHUP','SIGQUIT']) process.on(s, () => { process.stdout.write('got ' + s + '\\n'); process.exit(40); });
process.stdout.write('ready\\n'); setInterval(() => {}, 1000);`;

for (const signal of FORWARDED) {
  test(`${signal} sent to weft reaches the command, and its exit code comes back`, async () => {
    const parent = spawn(process.execPath, [RUNNER, process.execPath, '-e', CHILD], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    // 'close': the output is all read ('exit' may come while a pipe still holds some).
    const exited = new Promise<[number | null, string | null]>((resolve) => parent.on('close', (c, s) => resolve([c, s])));
    await new Promise<void>((resolve) =>
      parent.stdout.on('data', (d: Buffer) => {
        out += d;
        if (out.includes('ready\n')) resolve();
      }),
    );
    parent.kill(signal);
    const [code, sig] = await exited;
    assert.is(out, `ready\ngot ${signal}\n`);
    assert.equal([code, sig], [40, null]);
  });
}

test('weft run of a missing command exits 127 in a real process', async () => {
  const parent = spawn(process.execPath, [RUNNER, 'weft-no-such-command-xyz'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  parent.stderr.on('data', (d: Buffer) => (err += d));
  const code = await new Promise<number | null>((resolve) => parent.on('close', (c) => resolve(c)));
  assert.is(code, 127);
  assert.is(err, 'WEFT_E_RUN_NOT_FOUND\n');
});

test.run();
