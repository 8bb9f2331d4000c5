import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bashWithWeft, bigEnvEntries, isolatedEnv, weft } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

async function workspace(manifest = 'sources:\n  mylib:\n    local: lib\n    env: { PATH: bin }\nenv:\n  DEMO: one\n', extra: NodeJS.ProcessEnv = {}) {
  const t = tempDir('weft-envfast-');
  const ws = join(t.dir, 'ws');
  mkdirSync(join(ws, 'lib', 'bin'), { recursive: true });
  writeFileSync(join(ws, 'weft.yaml'), manifest);
  const env = isolatedEnv(t.dir, extra);
  const run = (args: string[], more: NodeJS.ProcessEnv = {}) => weft(args, { cwd: ws, env: { ...env, ...more } });
  const up = await run(['up', '-q']);
  assert.is(up.code, 0, up.stderr);
  return { ...t, ws, env, run, stamp: join(ws, '.weft', 'env', 'stamp.json') };
}

test('the fast path prints exactly what the slow path prints, for every shell', async () => {
  const w = await workspace();
  try {
    for (const shell of ['bash', 'zsh', 'sh', 'fish']) {
      const fast = await w.run(['env', '--shell', shell]);
      assert.is(fast.code, 0, fast.stderr);
      rmSync(w.stamp);
      const slow = await w.run(['env', '--shell', shell]);
      assert.is(slow.code, 0, slow.stderr);
      assert.is(fast.stdout, slow.stdout, shell);
      assert.match(fast.stdout, 'DEMO');
      assert.is((await w.run(['up', '-q'])).code, 0);
    }
  } finally {
    w.cleanup();
  }
});

test('the shell may be named alone, as for weft hook, on the fast and the slow path', async () => {
  const w = await workspace();
  try {
    for (const shell of ['fish', 'tcsh']) {
      const alone = await w.run(['env', shell]);
      const named = await w.run(['env', '--shell', shell]);
      assert.is(alone.code, 0, alone.stderr);
      assert.is(alone.stdout, named.stdout, shell);
    }
    for (const args of [['env', 'bash', 'zsh'], ['env', 'bash', '--shell', 'zsh'], ['env', 'nosuch']]) {
      const r = await w.run(args);
      assert.is(r.code, 2, args.join(' '));
      assert.match(r.stderr, 'WEFT_E_USAGE');
      assert.is(r.stdout, '');
    }
  } finally {
    w.cleanup();
  }
});

test('with a matching stamp weft env never starts the ES module loader; anything else goes to the full CLI', async () => {
  const w = await workspace();
  try {
    // Reports at exit whether Node loaded its ES module loader, i.e. whether the CLI ran.
    const probe = join(w.dir, 'probe.cjs');
    writeFileSync(probe, "process.on('exit', () => process.stderr.write('esm-loader=' + process.moduleLoadList.some((m) => m.includes('esm/loader')) + '\\n'));\n");
    const traced = { NODE_OPTIONS: `--require ${probe}` };
    for (const args of [['env'], ['env', '--shell', 'fish'], ['env', '-s', 'zsh'], ['env', '--shell=sh'], ['env', 'bash']]) {
      const r = await w.run(args, traced);
      assert.is(r.code, 0, r.stderr);
      assert.match(r.stderr, 'esm-loader=false', args.join(' '));
      assert.match(r.stdout, 'DEMO');
    }
    for (const args of [['env', '--json'], ['env', '--shell', 'tcsh'], ['-C', '.', 'env'], ['env', '--shell', 'nosuch'], ['env', 'tcsh']]) {
      const r = await w.run(args, traced);
      assert.match(r.stderr, 'esm-loader=true', args.join(' '));
    }
    rmSync(w.stamp);
    const stale = await w.run(['env'], traced);
    assert.is(stale.code, 0, stale.stderr);
    assert.match(stale.stderr, 'esm-loader=true');
    assert.match(stale.stdout, 'DEMO');
  } finally {
    w.cleanup();
  }
});

test('with a matching stamp the manifest is not parsed at all', async () => {
  const w = await workspace();
  try {
    const file = join(w.ws, 'weft.yaml');
    // Whole seconds survive utimes exactly, so the stamp can be matched again below.
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    assert.is((await w.run(['up', '-q'])).code, 0);
    const before = await w.run(['env', '--shell', 'bash']);
    const st = statSync(file);
    // Same size and mtime, invalid YAML: only a path that skips parsing still succeeds.
    writeFileSync(file, ':'.repeat(st.size));
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    const after = await w.run(['env', '--shell', 'bash']);
    assert.is(after.code, 0, after.stderr);
    assert.is(after.stdout, before.stdout);
    rmSync(w.stamp);
    assert.is.not((await w.run(['env', '--shell', 'bash'])).code, 0);
  } finally {
    w.cleanup();
  }
});

test('an edited manifest is read again, not answered from the stale files', async () => {
  const w = await workspace();
  try {
    writeFileSync(join(w.ws, 'weft.yaml'), 'sources:\n  mylib:\n    local: lib\nenv:\n  DEMO: twotwo\n');
    const r = await w.run(['env', '--shell', 'bash']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, "DEMO='twotwo'");
  } finally {
    w.cleanup();
  }
});

test('a weft.local.yaml that appears after weft up is taken into account', async () => {
  const w = await workspace();
  try {
    mkdirSync(join(w.ws, 'other', 'bin'), { recursive: true });
    writeFileSync(join(w.ws, 'weft.local.yaml'), 'sources:\n  mylib:\n    local: other\n');
    const r = await w.run(['env', '--shell', 'bash']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, join(w.ws, 'other', 'bin'));
  } finally {
    w.cleanup();
  }
});

test('an environment variable the manifest reads, changed since weft up, is read again', async () => {
  const w = await workspace('sources:\n  mylib:\n    local: lib\nenv:\n  DEMO: ${env.WEFT_TEST_X}\n', { WEFT_TEST_X: 'first' });
  try {
    assert.match((await w.run(['env', '--shell', 'bash'])).stdout, "DEMO='first'");
    const r = await w.run(['env', '--shell', 'bash'], { WEFT_TEST_X: 'second' });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, "DEMO='second'");
  } finally {
    w.cleanup();
  }
});

test('weft env writes a large environment whole, also to a non-blocking stdout whose reader is slow; a reader that goes away ends it quietly; a stdout that cannot be written is one line and exit 1', async () => {
  const w = await workspace(`sources:\n  mylib:\n    local: lib\nenv:\n${bigEnvEntries()}\n`);
  try {
    const whole = await w.run(['env']);
    assert.is(whole.code, 0, whole.stderr);
    assert.ok(whole.stdout.length > 300_000, 'more than a pipe holds');
    const sh = (script: string) => bashWithWeft(script, { cwd: w.ws, env: w.env });
    // perl (perl-base is part of every Debian) makes the pipe non-blocking before weft starts.
    const nonBlocking = sh(`set -o pipefail; perl -e 'use Fcntl; fcntl(STDOUT, F_SETFL, fcntl(STDOUT, F_GETFL, 0) | O_NONBLOCK) or die; exec @ARGV' "$NODE" "$WEFT" env | (sleep 0.3; cat)`);
    assert.is(nonBlocking.status, 0, nonBlocking.stderr);
    assert.is(nonBlocking.stderr, '');
    assert.ok(nonBlocking.stdout === whole.stdout, 'the same text, whole');
    const gone = sh(`set -o pipefail; "$NODE" "$WEFT" env | head -c 10 >/dev/null`);
    assert.is(gone.status, 0, gone.stderr);
    assert.is(gone.stderr, '');
    const full = sh(`"$NODE" "$WEFT" env >/dev/full`);
    assert.is(full.status, 1);
    assert.is(full.stderr, 'weft: cannot write the environment to standard output: ENOSPC: no space left on device, write\n');
  } finally {
    w.cleanup();
  }
});

test('weft env --unset reverts what an eval of weft env did, from the environment alone', async () => {
  const w = await workspace();
  try {
    const code = (await w.run(['env', '--shell', 'bash'])).stdout;
    rmSync(w.ws, { recursive: true });
    const script = `PATH=/usr/bin:/bin\n${code}\necho "IN=[$DEMO]"\neval "$(${JSON.stringify(process.execPath)} ${JSON.stringify(join(process.cwd(), 'bin', 'weft.js'))} env --unset --shell bash)"\necho "OUT=[\${DEMO-unset}] PATH=[$PATH]"`;
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync('bash', ['-c', script], { cwd: w.dir, env: w.env, encoding: 'utf8' });
    assert.match(r.stdout, 'IN=[one]', r.stderr);
    assert.match(r.stdout, 'OUT=[unset] PATH=[/usr/bin:/bin]', r.stderr);
  } finally {
    w.cleanup();
  }
});

test.run();
