// An svn source switched with `weft switch` has a working copy of <base>/branches/BRANCH,
// not of the manifest's trunk URL, on purpose: status and doctor must not call it a
// checkout of another repository.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { makeSvnRepo } from '../helpers/svn-repo.js';
import { tempDir } from '../helpers/tmp.js';

/** A workspace in `dir` with one svn source, docs, on a repository's trunk, set up with weft up. */
async function svnDocs(dir: string) {
  const env = isolatedEnv(dir);
  const repo = makeSvnRepo(dir, env);
  repo.commit({ 'README': 'trunk 1\n' });
  const ws = join(dir, 'ws');
  mkdirSync(ws);
  writeFileSync(join(ws, 'weft.yaml'), `sources:\n  docs:\n    svn: ${repo.trunk}\n`);
  const run = (...args: string[]) => weft(args, { cwd: ws, env });
  assert.is((await run('up')).code, 0);
  return { env, repo, ws, run };
}

test('an svn source switched to a branch, in its own working copy or in place, is clean in status and doctor', async () => {
  const t = tempDir('weft-status-svn-switched-');
  try {
    const { run } = await svnDocs(t.dir);

    for (const how of [[], ['--in-place']]) {
      const sw = await run('switch', 'docs', 'b1', ...(how.length ? how : ['--create']));
      assert.is(sw.code, 0, sw.stderr);
      const status = await run('status', '--exit-code');
      assert.is(status.code, 0, status.stdout + status.stderr);
      assert.not.match(status.stdout, 'another repository');
      const [row] = JSON.parse((await run('status', '--json')).stdout) as { problem?: string; switched?: string; branch: string | null }[];
      assert.is(row!.problem, undefined);
      assert.is(row!.branch, 'b1', 'the BRANCH column names the branch switched to');
      assert.is(row!.switched, how.length ? 'in-place' : 'worktree');
      const doctor = await run('doctor');
      assert.not.match(doctor.stdout + doctor.stderr, 'another repository');
      assert.is((await run('switch', 'docs')).code, 0);
    }
  } finally {
    t.cleanup();
  }
});

test('a switched svn working copy that is of another branch than the one switched to is still a problem', async () => {
  const t = tempDir('weft-status-svn-switched-');
  try {
    const { env, repo, ws, run } = await svnDocs(t.dir);
    assert.is((await run('switch', 'docs', 'b2', '--create')).code, 0);
    assert.is((await run('switch', 'docs')).code, 0);
    assert.is((await run('switch', 'docs', 'b1', '--create', '--in-place')).code, 0);
    execFileSync('svn', ['switch', '--quiet', '--', repo.trunk.replace(/\/trunk$/, '/branches/b2'), join(ws, 'docs')], { env });
    const status = await run('status', '--exit-code');
    assert.is(status.code, 1, status.stdout);
    assert.match(status.stdout, 'another repository');
  } finally {
    t.cleanup();
  }
});

test.run();
