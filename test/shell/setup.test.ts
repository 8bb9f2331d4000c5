// Setup steps through the real CLI: `weft up` runs them after fetching, in the source's
// checkout, with the workspace environment, only in a trusted workspace.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { isolatedEnv, weft, weftBin, type WeftResult } from '../helpers/cli.js';
import { gitSandbox, makeUpstream } from '../helpers/git-repo.js';
import { startTmux } from '../helpers/tmux.js';

function world(manifest: (up: string) => string) {
  const sb = gitSandbox();
  const upstream = makeUpstream(sb, 'alpha');
  const ws = sb.workspace;
  const log = join(sb.root, 'log');
  writeFileSync(join(ws, 'weft.yaml'), manifest(upstream.dir));
  const env = isolatedEnv(sb.root, { PATH: '/usr/local/bin:/usr/bin:/bin' });
  return {
    sb, upstream, ws, env, log,
    run: (args: string[], extra: NodeJS.ProcessEnv = {}) => weft(args, { cwd: ws, env: { ...env, ...extra } }),
    lines: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
    stamps: () => JSON.parse(readFileSync(join(ws, '.weft', 'state.json'), 'utf8')).setup,
    cleanup: sb.cleanup,
  };
}

const ok = (r: WeftResult, what: string) => assert.is(r.code, 0, `${what}:\n${r.stdout}\n${r.stderr}`);

test('steps run in the checkout directory, in dependency order, with the workspace environment', async () => {
  const w = world((url) => `sources:
  app:
    git: ${url}
    depends: [lib]
    env: { PATH: bin }
    setup:
      - run: echo "app pwd=$(pwd) demo=$DEMO path=$PATH src=$WEFT_SOURCE" >> ${'${workspace}'}/../log
  lib:
    local: libdir
    setup:
      - run: echo "lib pwd=$(pwd)" >> ../../log
env:
  DEMO: from manifest
`);
  try {
    mkdirSync(join(w.ws, 'libdir'));
    ok(await w.run(['trust']), 'trust');
    const r = await w.run(['up']);
    ok(r, 'up');
    assert.equal(w.lines(), [
      `lib pwd=${join(w.ws, 'libdir')}`,
      `app pwd=${join(w.ws, 'app')} demo=from manifest path=${join(w.ws, 'app', 'bin')}:/usr/local/bin:/usr/bin:/bin src=app`,
    ]);
    assert.match(r.stderr, 'setup: 2 steps ran');
  } finally {
    w.cleanup();
  }
});

test('two weft up at once in one workspace: the second waits for the first one\'s setup steps too, never interleaving them', async () => {
  const w = world((url) => `sources:
  alpha:
    git: ${url}
    setup:
      - run: echo start >> ../../log; sleep 2; echo end >> ../../log
        when: always
`);
  try {
    ok(await w.run(['trust']), 'trust');
    const [a, b] = await Promise.all([w.run(['up']), w.run(['up'])]);
    ok(a, 'first up');
    ok(b, 'second up');
    assert.equal(w.lines(), ['start', 'end', 'start', 'end']);
  } finally {
    w.cleanup();
  }
});

test('changed runs when the revision moved, always runs every time, once runs once per checkout', async () => {
  const w = world((url) => `sources:
  alpha:
    git: ${url}
    ref: main
    setup:
      - run: echo changed >> ../../log
      - run: echo always >> ../../log
        when: always
      - run: echo once >> ../../log
        when: once
`);
  try {
    ok(await w.run(['trust']), 'trust');
    ok(await w.run(['up']), 'first up');
    assert.equal(w.lines(), ['changed', 'always', 'once']);
    ok(await w.run(['up']), 'second up');
    assert.equal(w.lines().slice(3), ['always']);
    w.upstream.commit('second', { README: 'two\n' });
    ok(await w.run(['update']), 'update');
    assert.equal(w.lines().slice(4), ['changed', 'always']);
    const [stamp] = w.stamps().alpha['echo changed >> ../../log'];
    assert.is(stamp.revision, w.upstream.rev('HEAD'));
    // A checkout made again from scratch is a new checkout: once runs again.
    rmSync(join(w.ws, 'alpha'), { recursive: true, force: true });
    ok(await w.run(['up']), 'up after delete');
    assert.equal(w.lines().slice(6), ['changed', 'always', 'once']);
  } finally {
    w.cleanup();
  }
});

test('a failing step shows its last output lines, stops its source and its dependents, other sources still run, exit 1', async () => {
  const w = world(() => `sources:
  bad:
    local: d1
    setup:
      - run: for i in $(seq 1 30); do echo "line $i"; done; echo "secret https://bob:hunter2@example.org/x"; exit 3
      - run: echo after-failure >> ../../log
  dependent:
    local: d2
    depends: [bad]
    setup:
      - run: echo dependent >> ../../log
  other:
    local: d3
    setup:
      - run: echo other >> ../../log
`);
  try {
    for (const d of ['d1', 'd2', 'd3']) mkdirSync(join(w.ws, d));
    ok(await w.run(['trust']), 'trust');
    const r = await w.run(['up']);
    assert.is(r.code, 1, r.stderr);
    assert.equal(w.lines(), ['other']);
    assert.match(r.stderr, 'weft: setup bad failed:');
    assert.match(r.stderr, 'exited with 3');
    assert.match(r.stderr, '| line 30');
    assert.match(r.stderr, '| line 12');
    assert.not.match(r.stderr, '| line 11\n');
    assert.not.match(r.stderr, 'hunter2');
    assert.match(r.stderr, 'https://***@example.org/x');
    assert.match(r.stderr, '1 failed (bad); 2 not run after the failure');
    // Nothing stamped for what failed: the next run tries again.
    assert.is(w.stamps()?.bad, undefined);
    // --json says the same as the exit code, step by step.
    const j = await w.run(['up', '--json']);
    assert.is(j.code, 1, j.stderr);
    const data = JSON.parse(j.stdout) as { ok: boolean; setup: { source: string; status: string; exitCode?: number }[]; errors: { code: string }[] };
    assert.is(data.ok, false);
    assert.equal(data.setup.map((x) => [x.source, x.status, x.exitCode ?? null]), [['bad', 'failed', 3], ['bad', 'blocked', null], ['dependent', 'blocked', null]], 'other ran last time: not due');
    assert.equal(data.errors.map((e) => e.code), ['WEFT_E_SETUP_FAILED']);
  } finally {
    w.cleanup();
  }
});

test('--fail-fast stops running setup steps after the first failure', async () => {
  const w = world(() => `sources:
  a:
    local: d1
    setup:
      - run: exit 1
  b:
    local: d2
    setup:
      - run: echo b >> ../../log
`);
  try {
    for (const d of ['d1', 'd2']) mkdirSync(join(w.ws, d));
    ok(await w.run(['trust']), 'trust');
    const r = await w.run(['up', '--fail-fast']);
    assert.is(r.code, 1);
    assert.equal(w.lines(), []);
  } finally {
    w.cleanup();
  }
});

test('a step that runs past the timeout is killed with its whole process group', async () => {
  const w = world(() => `sources:
  slow:
    local: d1
    setup:
      - run: sleep 60 & echo $! > ../../bg.tmp && mv ../../bg.tmp ../../bg.pid; echo started; sleep 60
`);
  try {
    mkdirSync(join(w.ws, 'd1'));
    ok(await w.run(['trust']), 'trust');
    // Time for a loaded machine to start the step and let it say so before it is killed.
    const r = await w.run(['up'], { WEFT_SETUP_TIMEOUT_MS: '4000' });
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, 'timed out after');
    assert.match(r.stderr, '| started');
    const pid = Number(readFileSync(join(w.sb.root, 'bg.pid'), 'utf8'));
    // Killed and not yet reaped (a container's init may never reap it) counts as gone.
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
    const state = /\) (\S)/.exec(stat)?.[1];
    assert.ok(state === undefined || state === 'Z', `background process ${pid} of the step survived (state ${state})`);
  } finally {
    w.cleanup();
  }
});

test('an untrusted workspace runs no step and, without a terminal, fails with the exact command to run', async () => {
  const w = world(() => `sources:
  a:
    local: d1
    setup:
      - run: echo ran >> ../../log
`);
  try {
    mkdirSync(join(w.ws, 'd1'));
    const r = await w.run(['up']);
    assert.is(r.code, 1);
    assert.match(r.stderr, 'WEFT_E_UNTRUSTED_SETUP');
    assert.match(r.stderr, `weft -C '${w.ws}' trust && weft -C '${w.ws}' up`);
    assert.equal(w.lines(), []);
    assert.is(w.stamps(), undefined);
    const j = await w.run(['up', '--json']);
    assert.is(j.code, 1);
    const data = JSON.parse(j.stdout) as { ok: boolean; setup: { status: string }[]; errors: { code: string }[] };
    assert.is(data.ok, false, 'ok agrees with the exit code');
    assert.equal(data.setup.map((x) => x.status), ['untrusted']);
    assert.equal(data.errors.map((e) => e.code), ['WEFT_E_UNTRUSTED_SETUP']);
    // Nothing to run is nothing to refuse.
    writeFileSync(join(w.ws, 'weft.yaml'), 'sources:\n  a:\n    local: d1\n');
    ok(await w.run(['up']), 'up without steps');
  } finally {
    w.cleanup();
  }
});

test('trusted before, then a file changed: the refusal names what changed since weft trust', async () => {
  const w = world(() => 'sources:\n  a:\n    local: d1\n    setup:\n      - run: echo ran >> ../../log\n');
  try {
    mkdirSync(join(w.ws, 'd1'));
    ok(await w.run(['trust']), 'trust');
    writeFileSync(join(w.ws, 'weft.local.yaml'), 'env:\n  X: "1"\n');
    const r = await w.run(['up']);
    assert.is(r.code, 1);
    assert.match(r.stderr, `1 setup step not run (a): ${join(w.ws, 'weft.yaml')} is not trusted: weft.local.yaml changed since "weft trust"`);
    assert.equal(w.lines(), []);
  } finally {
    w.cleanup();
  }
});

test('a manifest given by --manifest and named otherwise: the commands the refusal gives name that file, and work as given', async () => {
  const w = world(() => 'sources: {}\n');
  try {
    mkdirSync(join(w.ws, 'conf'));
    mkdirSync(join(w.ws, 'd1'));
    const dev = join(w.ws, 'conf', 'dev.yaml');
    writeFileSync(dev, 'sources:\n  a:\n    local: ../d1\n    setup:\n      - run: echo ran >> ../../log\n');
    const r = await w.run(['--manifest', 'conf/dev.yaml', 'up']);
    assert.is(r.code, 1);
    const hint = /run: (.*)$/m.exec(r.stderr)?.[1];
    assert.is(hint, `weft --manifest '${dev}' trust && weft --manifest '${dev}' up`, r.stderr);
    // What the hint says, run from elsewhere by the shell, trusts that file and sets it up.
    const sh = spawnSync('sh', ['-c', hint!.replace(/\bweft /g, `'${process.execPath}' '${weftBin}' `)], { cwd: w.sb.root, env: w.env, encoding: 'utf8' });
    assert.is(sh.status, 0, sh.stderr);
    assert.equal(w.lines(), ['ran']);
  } finally {
    w.cleanup();
  }
});

test('on a terminal, an untrusted workspace runs no step, says how to trust it, and does not fail the run', async () => {
  const w = world(() => `sources:
  a:
    local: d1
    setup:
      - run: echo ran >> ../../log
`);
  mkdirSync(join(w.ws, 'd1'));
  const t = startTmux({ argv: [process.execPath, weftBin, 'up'], cwd: w.ws, env: w.env });
  try {
    assert.is(await t.exitStatus(), 0, t.screen());
    assert.match(t.screen(), '1 setup step not run (a)');
    assert.match(t.screen(), 'run "weft trust" and "weft up" again');
    assert.equal(w.lines(), []);
  } finally {
    await t.kill();
    w.cleanup();
  }
});

test('--no-setup runs nothing and says how many steps it skipped', async () => {
  const w = world(() => `sources:
  a:
    local: d1
    setup:
      - run: echo one >> ../../log
      - run: echo two >> ../../log
`);
  try {
    mkdirSync(join(w.ws, 'd1'));
    ok(await w.run(['trust']), 'trust');
    const r = await w.run(['up', '--no-setup']);
    ok(r, 'up --no-setup');
    assert.match(r.stderr, 'skipped 2 setup steps (a)');
    assert.equal(w.lines(), []);
    ok(await w.run(['up']), 'up');
    assert.equal(w.lines(), ['one', 'two']);
  } finally {
    w.cleanup();
  }
});

test.run();
