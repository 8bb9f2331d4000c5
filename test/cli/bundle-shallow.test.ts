// A git source with `depth:` has a shallow mirror in the sender's cache; weft bundle packs
// it all the same, and the receiver sets it up from the bundle with the network gone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isolatedEnv, weft, type WeftResult } from '../helpers/cli.js';
import { git, gitSandbox, makeUpstream } from '../helpers/git-repo.js';

function ok(r: WeftResult, what: string): void {
  assert.is(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
}

test('a source fetched with depth: 1 is bundled from its shallow mirror and set up from the bundle offline', async () => {
  const sb = gitSandbox();
  try {
    const lib = makeUpstream(sb, 'lib');
    lib.commit('second', { 'README': 'lib 2\n' });
    const head = lib.commit('third', { 'README': 'lib 3\n' });
    const senderEnv = isolatedEnv(join(sb.root, 'sender'));
    // file:// so that git honours the depth for a repository on this disk.
    writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  lib:\n    git: ${pathToFileURL(lib.dir).href}\n    depth: 1\n`);
    ok(await weft(['up'], { cwd: sb.workspace, env: senderEnv }), 'weft up (sender)');
    assert.is(git(sb, join(sb.workspace, 'lib'), 'rev-parse', '--is-shallow-repository'), 'true', 'the sender’s checkout is shallow, as depth: asks');
    const file = join(sb.root, 'sprint.weft');
    ok(await weft(['bundle', '-o', file], { cwd: sb.workspace, env: senderEnv }), 'weft bundle');

    renameSync(join(sb.root, 'upstream'), join(sb.root, 'upstream.away'));
    const fresh = join(sb.root, 'fresh');
    mkdirSync(fresh);
    ok(await weft(['init', '--from', file], { cwd: fresh, env: isolatedEnv(join(sb.root, 'receiver')) }), 'weft init --from');
    assert.is(git(sb, join(fresh, 'lib'), 'rev-parse', 'HEAD'), head);
    assert.is(git(sb, join(fresh, 'lib'), 'symbolic-ref', 'HEAD'), 'refs/heads/main');
    assert.is(git(sb, join(fresh, 'lib'), 'show', 'HEAD:README'), 'lib 3');
  } finally {
    sb.cleanup();
  }
});

test.run();
