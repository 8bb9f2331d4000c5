// A signal that stops weft stops the tools it started. Each tool runs in a process group of
// its own (so that a timeout kills it with its helpers), which a terminal's Ctrl-C does not
// reach: commands that leave the signal to the default (weft lock here) kill those groups
// before dying of it, and `weft up`'s "again to quit at once" does the same for what its
// first interrupt was still waiting for.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isolatedEnv, weft, weftBin } from '../helpers/cli.js';
import { gitSandbox, makeUpstream } from '../helpers/git-repo.js';
import { running } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';
import { statusWorkspace } from '../helpers/status-workspace.js';

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Started {
  out: () => string;
  closed: Promise<Ended>;
  /** How it ended, or undefined when it still ran after 20 s (then it is SIGKILLed). */
  ended: () => Promise<Ended | undefined>;
  kill: (s: NodeJS.Signals) => void;
}

function start(args: string[], cwd: string, env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, [weftBin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (out += d));
  const closed = new Promise<Ended>((r) => child.on('close', (code, signal) => r({ code, signal })));
  return {
    out: () => out,
    closed,
    ended: async () => {
      const end = await Promise.race([closed, sleep(20_000).then(() => undefined)]);
      if (!end) child.kill('SIGKILL');
      return end;
    },
    kill: (s) => child.kill(s),
  };
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} to weft lock while git asks the remote: the git process goes too, weft says so and dies of the signal, weft.lock is not written`, async () => {
    const sb = gitSandbox();
    try {
      const a = makeUpstream(sb, 'alpha');
      const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
      const bin = join(sb.root, 'bin');
      const mark = join(sb.root, 'asking');
      execFileSync('mkdir', ['-p', bin]);
      // ls-remote never answers: the pid written is the process that would be left behind.
      writeFileSync(join(bin, 'git'), `#!/bin/sh\ncase "$*" in *ls-remote*) echo $$ >'${mark}.tmp'; mv '${mark}.tmp' '${mark}'; exec sleep 60;; esac\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
      writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  alpha:\n    git: ${a.dir}\n`);
      const env = { ...isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache }), PATH: `${bin}:${process.env['PATH']}` };

      const run = start(['lock'], sb.workspace, env);
      await waitFor(() => existsSync(mark), 'git ls-remote to start');
      const pid = Number(readFileSync(mark, 'utf8'));
      assert.ok(running(pid));
      run.kill(signal);
      const end = await run.ended();
      assert.equal(end, { code: null, signal }, run.out());
      assert.match(run.out(), `weft: interrupted (${signal}); stopped the process it had started\n`);
      assert.not.match(run.out(), /\n\s+at .*\.js:\d+/, 'no stack trace');
      await waitFor(() => !running(pid), `git ls-remote (pid ${pid}) to be gone`, 5_000);
      assert.not.ok(existsSync(join(sb.workspace, 'weft.lock')), 'no weft.lock written');
    } finally {
      sb.cleanup();
    }
  });
}

test('weft up, interrupted twice while a setup step ignores SIGINT: the second quits at once and takes the step with it', async () => {
  const sb = gitSandbox();
  try {
    const env = isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache });
    const mark = join(sb.root, 'step');
    execFileSync('mkdir', ['-p', join(sb.workspace, 'tool')]);
    // The step shrugs off the first interrupt's SIGINT; weft would SIGKILL it after its grace.
    writeFileSync(
      join(sb.workspace, 'weft.yaml'),
      `weft: 1\nsources:\n  tool:\n    local: tool\n    setup:\n      - run: trap '' INT; sleep 600 & echo $! >${mark}.tmp && mv ${mark}.tmp ${mark}; wait\n`,
    );
    assert.is((await weft(['trust'], { cwd: sb.workspace, env })).code, 0);
    const run = start(['up'], sb.workspace, env);
    await waitFor(() => existsSync(mark), 'the setup step to start');
    const pid = Number(readFileSync(mark, 'utf8'));
    run.kill('SIGINT');
    await waitFor(() => run.out().includes('again to quit at once'), 'weft to say it is stopping');
    run.kill('SIGINT');
    const end = await run.ended();
    assert.equal(end, { code: null, signal: 'SIGINT' }, run.out());
    // Gone with weft, not left to run its ten minutes orphaned.
    await waitFor(() => !running(pid), `the step's process ${pid} to be gone`, 5_000);
  } finally {
    sb.cleanup();
  }
});

test('weft run passes a signal on to its command and leaves the rest to it: weft exits with what the command did', async () => {
  const sb = gitSandbox();
  try {
    const env = isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache });
    writeFileSync(join(sb.workspace, 'weft.yaml'), 'weft: 1\nsources: {}\n');
    assert.is((await weft(['up'], { cwd: sb.workspace, env })).code, 0);
    const mark = join(sb.root, 'trapped');
    // The command catches SIGTERM and exits 7 after saying so: weft must not die first.
    const script = `trap 'echo caught; exit 7' TERM; : >'${mark}'; while :; do sleep 0.05; done`;
    const run = start(['run', '--', 'sh', '-c', script], sb.workspace, env);
    await waitFor(() => existsSync(mark), 'the command to start');
    run.kill('SIGTERM');
    const end = await run.closed;
    assert.equal(end, { code: 7, signal: null }, run.out());
    assert.match(run.out(), 'caught');
    assert.not.match(run.out(), 'interrupted');
  } finally {
    sb.cleanup();
  }
});

test('SIGTERM to weft foreach: passed on once to each command running, none started after; a second signal ends weft and them at once', async () => {
  const w = await statusWorkspace(['alpha', 'beta', 'gamma']);
  const marks = join(w.sb.root, 'marks');
  execFileSync('mkdir', ['-p', marks]);
  try {
    // Each command counts the TERMs it gets (one, not two) and ends on the second of its own
    // choosing: a command that takes its time to stop, as a build tool does.
    const script = `trap 'echo x >>"${marks}/$WEFT_SOURCE_NAME.terms"; [ -e "$WEFT_SOURCE_NAME.done" ] && exit 3' TERM; echo $$ >'${marks}/'$WEFT_SOURCE_NAME; while :; do sleep 0.05; done`;
    const run = start(['foreach', '-j', '2', '--', 'sh', '-c', script], w.ws, w.env);
    await waitFor(() => existsSync(join(marks, 'alpha')) && existsSync(join(marks, 'beta')), 'two commands to start');
    run.kill('SIGTERM');
    await waitFor(() => run.out().includes('waiting for them to end'), 'weft to pass the signal on');
    // Both got it once and are still running; gamma never starts.
    await sleep(500);
    assert.not.ok(existsSync(join(marks, 'gamma')), 'no command starts after the signal');
    for (const n of ['alpha', 'beta']) assert.is(readFileSync(join(marks, `${n}.terms`), 'utf8'), 'x\n', `${n} got the signal once`);
    for (const n of ['alpha', 'beta']) writeFileSync(join(w.ws, n, `${n}.done`), '');
    run.kill('SIGTERM');
    const end = await run.ended();
    assert.equal(end, { code: null, signal: 'SIGTERM' }, run.out());
    for (const n of ['alpha', 'beta']) {
      const pid = Number(readFileSync(join(marks, n), 'utf8'));
      await waitFor(() => !running(pid), `${n}'s command (pid ${pid}) to be gone`, 5_000);
    }
  } finally {
    w.cleanup();
  }
});

test('Ctrl-C of weft foreach waits for the commands, shows what they printed and which did not run, and exits 130', async () => {
  const w = await statusWorkspace(['alpha', 'beta', 'gamma']);
  const marks = join(w.sb.root, 'marks');
  execFileSync('mkdir', ['-p', marks]);
  try {
    const script = `trap 'echo "stopping $WEFT_SOURCE_NAME"; exit 3' INT; : >'${marks}/'$WEFT_SOURCE_NAME; while :; do sleep 0.05; done`;
    const run = start(['foreach', '-j', '2', '--', 'sh', '-c', script], w.ws, w.env);
    await waitFor(() => existsSync(join(marks, 'alpha')) && existsSync(join(marks, 'beta')), 'two commands to start');
    run.kill('SIGINT');
    const end = await run.ended();
    assert.equal(end, { code: 130, signal: null }, run.out());
    const out = run.out();
    for (const n of ['alpha', 'beta']) assert.match(out, `== ${n} (${join(w.ws, n)})\nstopping ${n}\n(failed: exit 3)\n`);
    assert.match(out, `== gamma (${join(w.ws, 'gamma')})\n(not run: interrupted)\n`);
    assert.match(out, 'weft: interrupted (SIGINT): passed on to the commands running');
    assert.not.ok(existsSync(join(marks, 'gamma')));
  } finally {
    w.cleanup();
  }
});

test.run();
