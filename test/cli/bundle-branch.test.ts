// A git source on the branch git names first (master with stock git, main with
// init.defaultBranch=main) is bundled with exactly the refs the format promises, and the
// receiver sets it up with the network gone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft, type WeftResult } from '../helpers/cli.js';
import { git, gitSandbox, makeUpstream } from '../helpers/git-repo.js';

function ok(r: WeftResult, what: string): void {
  assert.is(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
}

/** `git bundle list-heads` of one entry of a weft bundle, as "ref commit" lines. */
function headsOf(bundle: string, entry: string, into: string, env: NodeJS.ProcessEnv): string[] {
  mkdirSync(into);
  execFileSync('tar', ['-xf', bundle, '-C', into, entry]);
  const out = execFileSync('git', ['bundle', 'list-heads', join(into, entry)], { env, encoding: 'utf8' });
  return out.trim().split('\n').map((l) => l.split(' ').reverse().join(' ')).sort();
}

async function roundTrip(branch: 'master' | 'main', gitconfig: string | undefined): Promise<void> {
  const sb = gitSandbox();
  try {
    const lib = makeUpstream(sb, 'lib');
    if (branch !== 'main') git(sb, lib.dir, 'branch', '-m', 'main', branch);
    const commit = lib.rev('HEAD');
    const senderEnv = isolatedEnv(join(sb.root, 'sender'));
    const receiverEnv = isolatedEnv(join(sb.root, 'receiver'));
    for (const env of [senderEnv, receiverEnv]) if (gitconfig !== undefined) writeFileSync(join(env.HOME!, '.gitconfig'), gitconfig);
    writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  lib:\n    git: ${lib.dir}\n    ref: ${branch}\n`);
    ok(await weft(['up'], { cwd: sb.workspace, env: senderEnv }), 'weft up (sender)');
    const file = join(sb.root, 'sprint.weft');
    ok(await weft(['bundle', '-o', file], { cwd: sb.workspace, env: senderEnv }), 'weft bundle');

    assert.equal(headsOf(file, 'git/lib.bundle', join(sb.root, 'opened'), senderEnv), [`refs/heads/${branch} ${commit}`, `refs/weft/keep/${commit} ${commit}`].sort());

    renameSync(join(sb.root, 'upstream'), join(sb.root, 'upstream.away'));
    const fresh = join(sb.root, 'fresh');
    mkdirSync(fresh);
    ok(await weft(['init', '--from', file], { cwd: fresh, env: receiverEnv }), 'weft init --from');
    assert.is(git(sb, join(fresh, 'lib'), 'rev-parse', 'HEAD'), commit);
    assert.is(git(sb, join(fresh, 'lib'), 'symbolic-ref', 'HEAD'), `refs/heads/${branch}`);
    const copy = join(sb.root, 'copy');
    mkdirSync(copy);
    for (const f of ['weft.yaml', 'weft.lock']) copyFileSync(join(sb.workspace, f), join(copy, f));
    ok(await weft(['up', '--from', file], { cwd: copy, env: isolatedEnv(join(sb.root, 'receiver2')) }), 'weft up --from (a copy of the workspace)');
    assert.is(git(sb, join(copy, 'lib'), 'rev-parse', 'HEAD'), commit);
  } finally {
    sb.cleanup();
  }
}

test('a source on master, with stock git config, is bundled without HEAD and set up from the bundle', async () => {
  await roundTrip('master', undefined);
});

test('a source on main, with init.defaultBranch=main in the global git config, is bundled without HEAD and set up from the bundle', async () => {
  await roundTrip('main', '[init]\n\tdefaultBranch = main\n');
});

test.run();
