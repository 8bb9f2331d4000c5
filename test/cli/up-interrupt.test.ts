// Ctrl-C during `weft up`: the run stops the sources in flight, cleans up after them (no
// scratch checkout in the workspace, nothing in the cache's tmp/, no lock left), says so,
// and exits 130; the next `weft up` does the work. A `git` on PATH holds the clone until
// the signal comes, so the signal always lands mid-clone.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isolatedEnv, weft, weftBin } from '../helpers/cli.js';
import { gitSandbox, makeUpstream } from '../helpers/git-repo.js';
import { running } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';
import { serve } from '../helpers/http-server.js';
import { buildTar, gzip } from '../helpers/archive-builder.js';
import { sri } from '../helpers/archive-sandbox.js';
import { randomBytes } from 'node:crypto';
import { startTmux } from '../helpers/tmux.js';

/** Every file or directory under `dir` whose name says it is scratch or a lock. */
function leftovers(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).filter((p) => /weft-tmp-|\.lock$/.test(p));
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} mid-clone: weft stops, keeps nothing half-made, says so, exits 130; the next run completes`, async () => {
    const sb = gitSandbox();
    try {
      const a = makeUpstream(sb, 'alpha');
      const b = makeUpstream(sb, 'beta');
      const env = isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache });
      const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
      const bin = join(sb.root, 'bin');
      const mark = join(sb.root, 'cloning');
      execFileSync('mkdir', ['-p', bin]);
      writeFileSync(join(bin, 'git'), `#!/bin/sh\ncase "$*" in *clone*) echo $$ >>'${mark}.pids'; : >'${mark}'; exec sleep 60;; esac\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
      writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  alpha:\n    git: ${a.dir}\n  beta:\n    git: ${b.dir}\n`);

      const child = spawn(process.execPath, [weftBin, 'up'], { cwd: sb.workspace, env: { ...env, PATH: `${bin}:${env.PATH}` }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d));
      child.stderr.on('data', (d: Buffer) => (out += d));
      const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
      await waitFor(() => existsSync(mark), 'a clone to start');
      child.kill(signal);
      const code = await closed;

      assert.is(code, 130, out);
      assert.match(out, `interrupted (${signal})`);
      assert.match(out, 'WEFT_E_CANCELLED');
      assert.not.match(out, /\n\s+at .*\.js:\d+/, 'no stack trace');
      assert.equal(leftovers(sb.workspace), [], 'no scratch checkout or lock in the workspace');
      assert.equal(leftovers(sb.cache), [], 'no scratch or lock in the cache');
      assert.equal(existsSync(join(sb.cache, 'tmp')) ? readdirSync(join(sb.cache, 'tmp')) : [], [], 'the cache tmp/ is empty');
      assert.not.ok(existsSync(join(sb.workspace, 'alpha')) || existsSync(join(sb.workspace, 'beta')), 'no checkout appeared');
      // The held clones were killed with weft's run, not left behind (a zombie is gone too).
      for (const pid of readFileSync(`${mark}.pids`, 'utf8').split('\n').filter(Boolean).map(Number)) {
        await waitFor(() => !running(pid), `held clone ${pid} to end`);
      }

      const again = await weft(['up'], { cwd: sb.workspace, env });
      assert.is(again.code, 0, again.stdout + again.stderr);
      assert.ok(existsSync(join(sb.workspace, 'alpha', '.git')) && existsSync(join(sb.workspace, 'beta', '.git')));
    } finally {
      sb.cleanup();
    }
  });
}

test('SIGINT during a setup step stops the step and whatever it started (its own process group), exits 130, and the step stays due', async () => {
  const sb = gitSandbox();
  try {
    const env = isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache });
    const mark = join(sb.root, 'step');
    execFileSync('mkdir', ['-p', join(sb.workspace, 'tool')]);
    writeFileSync(
      join(sb.workspace, 'weft.yaml'),
      `weft: 1\nsources:\n  tool:\n    local: tool\n    setup:\n      - run: sleep 600 & echo $! >${mark}.tmp && mv ${mark}.tmp ${mark}; wait\n`,
    );
    assert.is((await weft(['trust'], { cwd: sb.workspace, env })).code, 0);
    const child = spawn(process.execPath, [weftBin, 'up'], { cwd: sb.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    await waitFor(() => existsSync(mark), 'the setup step to start');
    child.kill('SIGINT');
    // Left to itself the step would run for ten minutes: weft ends well before, or it did not stop it.
    const code = await Promise.race([closed, sleep(30_000).then(() => 'still running')]);
    if (code === 'still running') child.kill('SIGKILL');
    assert.is(code, 130, out);
    const pid = Number(readFileSync(mark, 'utf8'));
    await waitFor(() => !running(pid), `the step's background process ${pid} to end`);
    // Not stamped as done: the step is still due.
    const dry = await weft(['up', '--no-setup'], { cwd: sb.workspace, env });
    assert.match(dry.stderr, 'skipped 1 setup step (tool)', dry.stderr);
  } finally {
    sb.cleanup();
  }
});

test('kill -9 mid-download of an archive: the next weft up completes and sweeps the dead run\'s download from the cache tmp/', async () => {
  const sb = gitSandbox();
  // Random bytes: gzip cannot shrink them, so the download is big enough to stall in the middle.
  const body = gzip(buildTar([{ name: 'pkg/README', data: 'hello\n' }, { name: 'pkg/blob.bin', data: randomBytes(256 * 1024) }]));
  // The first request gets half the body and then silence; the next ones the whole body.
  const server = await serve({ '/pkg.tar.gz': [{ stallAfter: body.length >> 1, body }, { body }] });
  try {
    const env = isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache });
    writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  pkg:\n    archive: ${server.url}/pkg.tar.gz\n    integrity: ${sri('sha256', body)}\n    strip: 1\n`);
    const tmp = join(sb.cache, 'tmp');
    const partial = () => existsSync(tmp) && (readdirSync(tmp, { recursive: true }) as string[]).some((p) => p.endsWith('download'));
    const child = spawn(process.execPath, [weftBin, 'up'], { cwd: sb.workspace, env, stdio: 'ignore' });
    const closed = new Promise((r) => child.on('close', r));
    await waitFor(() => server.count('/pkg.tar.gz') === 1 && partial(), 'the download to start');
    child.kill('SIGKILL');
    await closed;
    assert.ok(readdirSync(tmp).length > 0, 'the killed run left its half download in the cache tmp/');
    assert.not.ok(existsSync(join(sb.workspace, 'pkg')), 'no checkout appeared');

    const again = await weft(['up'], { cwd: sb.workspace, env });
    assert.is(again.code, 0, again.stdout + again.stderr);
    assert.is(readFileSync(join(sb.workspace, 'pkg', 'README'), 'utf8'), 'hello\n');
    assert.equal(readdirSync(tmp), [], 'the dead run\'s scratch is swept');
    assert.equal(leftovers(sb.cache), [], 'no lock left in the cache');
  } finally {
    await server.close();
    sb.cleanup();
  }
});

/**
 * A workspace of one git source whose clone never ends: `bin` holds a git that marks
 * `mark` and sleeps when asked to clone (put it first on PATH), and runs the real git otherwise.
 */
function heldClone() {
  const sb = gitSandbox();
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const bin = join(sb.root, 'bin');
  const mark = join(sb.root, 'cloning');
  execFileSync('mkdir', ['-p', bin]);
  writeFileSync(join(bin, 'git'), `#!/bin/sh\ncase "$*" in *clone*) : >'${mark}'; exec sleep 60;; esac\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
  const a = makeUpstream(sb, 'alpha');
  writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  alpha:\n    git: ${a.dir}\n`);
  return { sb, bin, mark };
}

test('Ctrl-C typed on the terminal during the live progress interrupts the run (exit 130) and leaves the cursor shown and the terminal in cooked mode', async () => {
  const { sb, bin, mark } = heldClone();
  const env = isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache, PATH: `${bin}:${process.env['PATH']}` });
  delete env['CI'];
  // The pane's program records what the terminal looks like once weft is gone.
  const script = join(sb.root, 'run.sh');
  writeFileSync(script, `${JSON.stringify(process.execPath)} ${JSON.stringify(weftBin)} up\necho "UP_EXIT=[$?]"\necho "STTY=[$(stty -a | tr '\\n' ' ')]"\n`);
  const t = startTmux({ argv: ['sh', script], cwd: sb.workspace, env, width: 100, height: 20, ignoreInterrupt: true });
  try {
    await waitFor(() => existsSync(mark), 'a clone to start');
    await t.waitFor(/0\/1 alpha/);
    t.keys('C-c');
    const code = await t.value('UP_EXIT', 30_000);
    assert.is(code, '130', t.screen());
    assert.match(t.screen(), 'interrupted (SIGINT)');
    const stty = await t.value('STTY');
    assert.match(stty, / isig /, 'signals from the keyboard are on again');
    assert.match(stty, / icanon /, 'line editing is on again');
    assert.ok(t.cursorShown(), 'the cursor is shown');
  } finally {
    await t.kill();
    sb.cleanup();
  }
});

test('a second weft up waiting for the workspace says so, and Ctrl-C there ends it with 130 and WEFT_E_CANCELLED (in --json too), not an internal error', async () => {
  const { sb, bin, mark } = heldClone();
  const env = { ...isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache }), PATH: `${bin}:${process.env['PATH']}` };
  const start = (args: string[]) => {
    const child = spawn(process.execPath, [weftBin, ...args], { cwd: sb.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const r = { out: '', err: '', child, closed: new Promise<number | null>((done) => child.on('close', (code) => done(code))) };
    child.stdout.on('data', (d: Buffer) => (r.out += d));
    child.stderr.on('data', (d: Buffer) => (r.err += d));
    return r;
  };
  const first = start(['up']);
  try {
    await waitFor(() => existsSync(mark), 'the first run to start its clone');
    const plain = start(['up']);
    await waitFor(() => /waiting for weft process/.test(plain.err) || plain.child.exitCode !== null, 'the second run to say it waits');
    assert.match(plain.err, `weft: waiting for weft process ${first.child.pid} to finish with this workspace\n`);
    plain.child.kill('SIGINT');
    assert.is(await plain.closed, 130, plain.err);
    assert.match(plain.err, 'WEFT_E_CANCELLED');
    assert.not.match(plain.err, 'internal error');

    const json = start(['up', '--json']);
    // Nothing is printed with --json while it waits: time enough to reach the wait.
    await sleep(3000);
    json.child.kill('SIGINT');
    assert.is(await json.closed, 130, json.err);
    const report = JSON.parse(json.out) as { ok: boolean; errors: { code: string }[] };
    assert.is(report.ok, false);
    assert.is(report.errors[0]?.code, 'WEFT_E_CANCELLED');
  } finally {
    first.child.kill('SIGINT');
    await first.closed;
    sb.cleanup();
  }
});

test.run();
