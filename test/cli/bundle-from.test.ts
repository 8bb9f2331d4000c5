// Which workspace `--from` fills: weft up --from, like weft up, the workspace of the nearest
// manifest up from where it runs; weft init --from, a new one in this very directory.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, gitSandbox, makeUpstream } from '../helpers/git-repo.js';
import { bundleWorld, listing } from '../helpers/bundle-world.js';
import { isolatedEnv, weft, type WeftResult } from '../helpers/cli.js';

function ok(r: WeftResult, what: string): void {
  assert.is(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
}

test('weft up --from run inside a checkout fills its workspace and writes nothing into the checkout', async () => {
  const w = await bundleWorld();
  try {
    ok(await w.send('up'), 'weft up (sender)');
    const file = join(w.sb.root, 'sprint.weft');
    ok(await w.send('bundle', '-o', file), 'weft bundle');
    await w.goOffline();
    ok(await w.receive('init', '--from', file), 'weft init --from');
    const inApp = join(w.receiver, 'app');
    const before = listing(inApp);
    const r = await weft(['up', '--from', file, '--json'], { cwd: inApp, env: w.receiverEnv });
    ok(r, 'weft up --from inside the app checkout');
    assert.equal(listing(inApp), before, 'no manifest, lock or checkouts written into app');
    assert.is(git(w.sb, inApp, 'status', '--porcelain'), '');
    const checkouts = (JSON.parse(r.stdout) as { workspace: string; checkouts: Array<{ name: string; status: string }> });
    assert.is(checkouts.workspace, w.receiver);
    assert.ok(checkouts.checkouts.every((c) => c.status === 'unchanged'), r.stdout);

    // init --from makes a new workspace where it runs, even inside another one.
    const inner = join(w.receiver, 'again');
    mkdirSync(inner);
    ok(await weft(['init', '--from', file], { cwd: inner, env: w.receiverEnv }), 'weft init --from inside the workspace');
    assert.ok(existsSync(join(inner, 'weft.yaml')) && existsSync(join(inner, 'app', '.git')));
  } finally {
    await w.cleanup();
  }
});

test('a bundle of a manifest not named weft.yaml is refused before anything is written, naming the --manifest that fits, which then works', async () => {
  const sb = gitSandbox();
  try {
    const lib = makeUpstream(sb, 'lib');
    const head = lib.rev('HEAD');
    const senderEnv = isolatedEnv(join(sb.root, 'sender'));
    mkdirSync(join(sb.workspace, 'conf'));
    writeFileSync(join(sb.workspace, 'conf', 'sprint.yaml'), `weft: 1\nsources:\n  lib:\n    git: ${lib.dir}\n`);
    ok(await weft(['--manifest', 'conf/sprint.yaml', 'up'], { cwd: sb.workspace, env: senderEnv }), 'weft up (sender)');
    const file = join(sb.root, 'sprint.weft');
    ok(await weft(['--manifest', 'conf/sprint.yaml', 'bundle', '-o', file], { cwd: sb.workspace, env: senderEnv }), 'weft bundle');
    renameSync(join(sb.root, 'upstream'), join(sb.root, 'upstream.away'));

    const fresh = join(sb.root, 'fresh');
    mkdirSync(fresh);
    const env = isolatedEnv(join(sb.root, 'receiver'));
    for (const cmd of ['init', 'up']) {
      const r = await weft([cmd, '--from', file], { cwd: fresh, env });
      assert.is(r.code, 2, `${cmd} --from: ${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, /error WEFT_E_USAGE: the manifest in \S+sprint\.weft is sprint\.yaml/);
      assert.match(r.stderr, /hint: .*weft --manifest sprint\.yaml init --from FILE/);
      assert.equal(listing(fresh), [], `${cmd} --from wrote nothing`);
      assert.equal(listing(join(env.WEFT_CACHE_DIR!, 'tmp')), []);
    }
    ok(await weft(['--manifest', 'sprint.yaml', 'init', '--from', file], { cwd: fresh, env }), 'weft --manifest sprint.yaml init --from');
    assert.is(git(sb, join(fresh, 'lib'), 'rev-parse', 'HEAD'), head);
  } finally {
    sb.cleanup();
  }
});

test.run();
