import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { git, gitSandbox, makeUpstream } from '../helpers/git-repo.js';
import { makeSvnRepo } from '../helpers/svn-repo.js';
import { tempDir } from '../helpers/tmp.js';
import { branchWorkspace, dropLib } from '../helpers/branch-workspace.js';

const sources = (ws: string) => Object.keys(JSON.parse(readFileSync(join(ws, '.weft', 'state.json'), 'utf8')).sources);

test('weft prune removes the checkout and branch checkouts of a source no longer listed, and forgets it', async () => {
  const w = await branchWorkspace(['other']);
  try {
    assert.is((await w.run('switch', 'lib', 'feature')).code, 0);
    assert.is((await w.run('switch', 'other', 'side', '--create')).code, 0);
    dropLib(w, ['other']);
    const dry = await w.run('prune', '--dry-run');
    assert.is(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /would remove lib \(branch feature\) .*\.weft-branches\/lib\/feature/);
    assert.match(dry.stdout, /would remove lib .*\/lib\n/);
    assert.ok(existsSync(join(w.ws, 'lib')), '--dry-run removes nothing');
    assert.ok(sources(w.ws).includes('lib'));

    const r = await w.run('prune');
    assert.is(r.code, 0, r.stderr + r.stdout);
    assert.not.ok(existsSync(join(w.ws, 'lib')));
    assert.not.ok(existsSync(join(w.ws, '.weft-branches', 'lib')));
    assert.equal(sources(w.ws), ['other']);
    // A listed source and its branch checkout are not touched.
    assert.ok(existsSync(join(w.ws, 'other', 'README')));
    assert.ok(existsSync(join(w.ws, '.weft-branches', 'other', 'side', 'README')));
    const again = await w.run('prune');
    assert.match(again.stdout, /nothing to prune/);
  } finally {
    w.cleanup();
  }
});

test('weft prune -q prints nothing when all went well, and on stderr only what it kept and why', async () => {
  const w = await branchWorkspace(['other']);
  try {
    writeFileSync(join(w.ws, 'other', 'mine'), 'work\n');
    dropLib(w, ['other']);
    for (const q of ['-q', '--quiet']) {
      const dry = await w.run('prune', q, '--dry-run');
      assert.is(dry.code, 0, dry.stderr);
      assert.is(dry.stdout + dry.stderr, '', q);
    }
    const r = await w.run('prune', '-q');
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stdout + r.stderr, '');
    assert.not.ok(existsSync(join(w.ws, 'lib')));
    const none = await w.run('prune', '--quiet');
    assert.is(none.code, 0);
    assert.is(none.stdout + none.stderr, '', 'nothing to prune is not said either');

    // Work that stops a removal is what -q still says, on stderr, with the exit code.
    writeFileSync(join(w.ws, 'weft.yaml'), 'sources: {}\n');
    const kept = await w.run('prune', '-q');
    assert.is(kept.code, 1);
    assert.is(kept.stdout, '');
    assert.match(kept.stderr, /kept other .*untracked/);
    assert.ok(existsSync(join(w.ws, 'other', 'mine')));
  } finally {
    w.cleanup();
  }
});

test('weft prune names what git ignores in a checkout it removes (a local .env goes with it), in --dry-run first', async () => {
  const w = await branchWorkspace(['other']);
  try {
    writeFileSync(join(w.ws, 'lib', '.git', 'info', 'exclude'), 'local.env\nbuild/\n');
    writeFileSync(join(w.ws, 'lib', 'local.env'), 'KEY=1\n');
    execFileSync('mkdir', ['-p', join(w.ws, 'lib', 'build', 'deep')]);
    writeFileSync(join(w.ws, 'lib', 'build', 'deep', 'out.o'), 'x');
    dropLib(w, ['other']);
    const dry = await w.run('prune', '--dry-run');
    assert.is(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /would remove lib .*\/lib\n    with: 2 item\(s\) git ignores: (build\/, local\.env|local\.env, build\/)\n/);
    assert.ok(existsSync(join(w.ws, 'lib', 'local.env')));
    const r = await w.run('prune');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /removed lib .*\/lib\n    went with it: 2 item\(s\) git ignores: /);
    assert.not.ok(existsSync(join(w.ws, 'lib')));
  } finally {
    w.cleanup();
  }
});

test('a source whose path changed leaves its old checkout where it was, says so, and prune removes it once it holds no work', async () => {
  const sb = gitSandbox();
  try {
    const up = makeUpstream(sb, 'lib');
    const env = isolatedEnv(sb.root);
    const run = (...args: string[]) => weft(args, { cwd: sb.workspace, env });
    const manifest = (path: string) => writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  lib:\n    git: ${up.dir}\n    path: ${path}\n`);
    manifest('lib');
    assert.is((await run('up')).code, 0);
    writeFileSync(join(sb.workspace, 'lib', 'wip.txt'), 'wip\n');
    manifest('renamed');
    const moved = await run('up');
    assert.is(moved.code, 0, moved.stderr);
    assert.match(moved.stdout, `the checkout at ${join(sb.workspace, 'lib')} is left as it was`);
    assert.ok(existsSync(join(sb.workspace, 'renamed', 'README')));

    const kept = await run('prune');
    assert.is(kept.code, 1, kept.stdout);
    assert.match(kept.stdout, /kept lib \(its old place\) .*\/lib: 1 untracked file/);
    assert.is(readFileSync(join(sb.workspace, 'lib', 'wip.txt'), 'utf8'), 'wip\n');

    rmSync(join(sb.workspace, 'lib', 'wip.txt'));
    const removed = await run('prune');
    assert.is(removed.code, 0, removed.stdout);
    assert.match(removed.stdout, /removed lib \(its old place\) .*\/lib\n/);
    assert.not.ok(existsSync(join(sb.workspace, 'lib')));
    assert.ok(existsSync(join(sb.workspace, 'renamed', 'README')), 'the source itself is untouched');
    assert.match((await run('prune')).stdout, /nothing to prune/);
    assert.is((await run('up')).code, 0);
  } finally {
    sb.cleanup();
  }
});

test('weft prune keeps a checkout with uncommitted work or an unpushed branch, says why, and exits 1', async () => {
  const w = await branchWorkspace(['other']);
  try {
    assert.is((await w.run('switch', 'lib', 'topic', '--create')).code, 0);
    const wt = join(w.ws, '.weft-branches', 'lib', 'topic');
    writeFileSync(join(wt, 'work.txt'), 'mine\n');
    git(w.sb, wt, 'add', 'work.txt');
    git(w.sb, wt, 'commit', '--quiet', '-m', 'unpushed');
    writeFileSync(join(w.ws, 'lib', 'README'), 'edited\n');
    dropLib(w, ['other']);
    const r = await w.run('prune');
    assert.is(r.code, 1);
    assert.match(r.stdout, /kept lib \(branch topic\) .*1 commit on HEAD not on any remote/);
    assert.match(r.stdout, /kept lib .*\/lib: .*1 file with uncommitted changes/);
    assert.is(readFileSync(join(wt, 'work.txt'), 'utf8'), 'mine\n');
    assert.is(readFileSync(join(w.ws, 'lib', 'README'), 'utf8'), 'edited\n');
    assert.ok(sources(w.ws).includes('lib'), 'still recorded, so a later prune can finish the job');
  } finally {
    w.cleanup();
  }
});

test('weft prune keeps a checkout whose commits only a local tag or ref holds, naming it; upstream\'s tags do not count', async () => {
  const w = await branchWorkspace(['other']);
  try {
    const up = w.upstreams['lib']!;
    const lib = join(w.ws, 'lib');
    // Upstream: a release tag on a commit no branch holds any more.
    up.checkout('gone', true);
    up.commit('released from a branch since deleted', { 'rel.txt': 'rel\n' });
    up.tag('rel-old');
    up.checkout('main');
    git(w.sb, up.dir, 'branch', '-D', 'gone');
    assert.is((await w.run('update')).code, 0);
    git(w.sb, lib, 'fetch', '--quiet', 'origin', 'tag', 'rel-old');
    // The user's: a commit only a tag they never pushed holds, and one only refs/keep/x holds.
    writeFileSync(join(lib, 'notes.txt'), 'release notes\n');
    git(w.sb, lib, 'add', 'notes.txt');
    git(w.sb, lib, 'commit', '--quiet', '-m', 'notes');
    git(w.sb, lib, 'tag', 'v1.0-rc1');
    git(w.sb, lib, 'reset', '--quiet', '--hard', 'HEAD~1');
    dropLib(w, ['other']);
    const r = await w.run('prune');
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /kept lib .*\/lib: 1 commit on no remote, held by tag v1\.0-rc1 \(push it, or delete it if unwanted\)/);
    assert.not.match(r.stdout, /rel-old/);
    assert.ok(existsSync(join(lib, '.git')));

    git(w.sb, lib, 'update-ref', 'refs/keep/x', 'v1.0-rc1');
    git(w.sb, lib, 'tag', '-d', 'v1.0-rc1');
    const kept = await w.run('prune');
    assert.is(kept.code, 1, kept.stdout);
    assert.match(kept.stdout, /held by refs\/keep\/x/);

    git(w.sb, lib, 'update-ref', '-d', 'refs/keep/x');
    const gone = await w.run('prune');
    assert.is(gone.code, 0, gone.stdout + gone.stderr);
    assert.not.ok(existsSync(lib), 'upstream\'s own tag kept nothing');
  } finally {
    w.cleanup();
  }
});

test('weft prune never deletes a recorded directory outside the workspace or one a listed source uses', async () => {
  const w = await branchWorkspace();
  try {
    const canary = join(w.sb.root, 'canary');
    execFileSync('mkdir', ['-p', canary]);
    writeFileSync(join(canary, 'keep.txt'), 'precious\n');
    const statePath = join(w.ws, '.weft', 'state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    state.sources.ghost = { ...state.sources.lib, dir: canary };
    state.sources.twin = { ...state.sources.lib };
    writeFileSync(statePath, JSON.stringify(state));
    const r = await w.run('prune');
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /kept ghost .*canary: it is outside the workspace/);
    assert.match(r.stdout, /kept twin .*: a source still in the manifest uses that directory/);
    assert.is(readFileSync(join(canary, 'keep.txt'), 'utf8'), 'precious\n');
    assert.ok(existsSync(join(w.ws, 'lib', 'README')));
  } finally {
    w.cleanup();
  }
});

/** A workspace whose sources are all the trunk of one svn repository; `manifest` lists them. */
function svnWorld(prefix: string) {
  const t = tempDir(prefix);
  const env = isolatedEnv(t.dir);
  const repo = makeSvnRepo(t.dir, env);
  repo.commit({ 'README': 'one\n' });
  const ws = join(t.dir, 'ws');
  execFileSync('mkdir', ['-p', ws]);
  const manifest = (names: string[]) =>
    writeFileSync(join(ws, 'weft.yaml'), 'sources:' + (names.length ? '' : ' {}') + '\n' + names.map((n) => `  ${n}:\n    svn: ${repo.trunk}\n`).join(''));
  const run = (...args: string[]) => weft(args, { cwd: ws, env });
  return { t, env, repo, ws, manifest, run };
}

test('weft prune removes a clean svn working copy no longer listed and keeps a modified one, never touching a listed one', async () => {
  const { t, ws, manifest, run } = svnWorld('weft-prune-svn-');
  try {
    manifest(['clean', 'edited', 'kept']);
    assert.is((await run('up')).code, 0);
    writeFileSync(join(ws, 'edited', 'README'), 'my edit\n');
    manifest(['kept']);
    const r = await run('prune');
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /removed clean /);
    assert.match(r.stdout, /kept edited .*: 1 modified item/);
    assert.not.ok(existsSync(join(ws, 'clean')));
    assert.is(readFileSync(join(ws, 'edited', 'README'), 'utf8'), 'my edit\n');
    assert.ok(existsSync(join(ws, 'kept', 'README')));
    assert.equal(sources(ws).sort(), ['edited', 'kept']);
  } finally {
    t.cleanup();
  }
});

test('weft prune keeps a file or a symlink the user put where a checkout was, and says why', async () => {
  const { t, env, repo, ws, manifest, run } = svnWorld('weft-prune-replaced-');
  try {
    manifest(['notes', 'linked']);
    assert.is((await run('up')).code, 0);
    const elsewhere = join(t.dir, 'elsewhere');
    execFileSync('svn', ['checkout', '-q', repo.trunk, elsewhere], { env });
    rmSync(join(ws, 'notes'), { recursive: true });
    writeFileSync(join(ws, 'notes'), 'my notes\n');
    rmSync(join(ws, 'linked'), { recursive: true });
    symlinkSync(elsewhere, join(ws, 'linked'));
    manifest([]);
    const r = await run('prune');
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /kept notes .*: it is not a directory any more/);
    assert.match(r.stdout, /kept linked .*: it is not a directory any more/);
    assert.is(readFileSync(join(ws, 'notes'), 'utf8'), 'my notes\n');
    assert.is(readlinkSync(join(ws, 'linked')), elsewhere);
    assert.ok(existsSync(join(elsewhere, 'README')));
  } finally {
    t.cleanup();
  }
});

test.run();
