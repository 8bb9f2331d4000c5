import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fetchSvn } from '../../src/fetch/svn.js';
import { makeSvnRepo, type SvnRepo } from '../helpers/svn-repo.js';
import { tempDir } from '../helpers/tmp.js';
import { traceCommand, vcsContext, vcsSource, type TestContext } from '../helpers/vcs-context.js';

interface World {
  root: string;
  repo: SvnRepo;
  /** Revisions of the three commits made up front. */
  revs: number[];
  dir: string;
  ctx: (over?: Partial<TestContext>) => TestContext;
  cleanup: () => void;
}

function world(): World {
  const { dir: root, cleanup } = tempDir('weft-svn-');
  const home = join(root, 'home');
  mkdirSync(home);
  const base = vcsContext(home);
  const repo = makeSvnRepo(root, base.env);
  const revs = [
    repo.commit({ 'README': 'one\n', 'src/a.py': 'A = 1\n' }, 'first'),
    repo.commit({ 'src/a.py': 'A = 2\n' }, 'second'),
    repo.commit({ 'src/b.py': 'B = 3\n' }, 'third'),
  ];
  return { root, repo, revs, dir: join(root, 'ws', 'lib'), ctx: (over = {}) => vcsContext(home, over), cleanup };
}

const read = (...p: string[]): string => readFileSync(join(...p), 'utf8');

test('a new source is checked out at HEAD and reports its last-changed revision', async () => {
  const w = world();
  try {
    const ctx = w.ctx();
    const co = await fetchSvn(vcsSource('svn', w.dir, w.repo.trunk), ctx);
    assert.is(co.status, 'cloned', co.message);
    assert.is(co.revision, String(w.revs[2]));
    assert.is(co.branch, undefined);
    assert.is(read(w.dir, 'src/b.py'), 'B = 3\n');
    assert.ok(existsSync(join(w.dir, '.svn')));
    assert.equal(readdirSync(join(w.root, 'ws')), ['lib'], 'no temp sibling is left behind');
    assert.equal(ctx.events.map((e) => e.phase), ['fetching', 'done']);
    assert.type(co.durationMs, 'number');
  } finally {
    w.cleanup();
  }
});

test('a source pinned to a revision gets that revision’s files', async () => {
  const w = world();
  try {
    const co = await fetchSvn(vcsSource('svn', w.dir, w.repo.trunk, String(w.revs[0])), w.ctx());
    assert.is(co.status, 'cloned', co.message);
    assert.is(co.revision, String(w.revs[0]));
    assert.is(read(w.dir, 'src/a.py'), 'A = 1\n');
    assert.not.ok(existsSync(join(w.dir, 'src/b.py')));
  } finally {
    w.cleanup();
  }
});

test('a revision written as r1234 is accepted', async () => {
  const w = world();
  try {
    const co = await fetchSvn(vcsSource('svn', w.dir, w.repo.trunk, `r${w.revs[1]}`), w.ctx());
    assert.is(co.status, 'cloned', co.message);
    assert.is(co.revision, String(w.revs[1]));
  } finally {
    w.cleanup();
  }
});

test('a pinned checkout already there is unchanged and touches no repository', async () => {
  const w = world();
  try {
    const source = vcsSource('svn', w.dir, w.repo.trunk, String(w.revs[1]));
    assert.is((await fetchSvn(source, w.ctx())).status, 'cloned');
    renameSync(w.repo.repoDir, `${w.repo.repoDir}.gone`);
    const traced = traceCommand(w.root, 'svn', w.ctx().env);
    const co = await fetchSvn(source, w.ctx({ env: traced.env }));
    assert.is(co.status, 'unchanged', co.message);
    assert.is(co.revision, String(w.revs[1]));
    assert.ok(traced.calls().length > 0, 'the tracer saw svn run');
    assert.ok(traced.calls().every((c) => !c.includes('file://')), traced.calls().join('\n'));
  } finally {
    w.cleanup();
  }
});

test('a pinned revision between the last change and the checked-out revision is unchanged', async () => {
  const w = world();
  try {
    const later = w.repo.commitElsewhere();
    assert.is((await fetchSvn(vcsSource('svn', w.dir, w.repo.trunk), w.ctx())).status, 'cloned');
    renameSync(w.repo.repoDir, `${w.repo.repoDir}.gone`);
    for (const rev of [w.revs[2]!, later]) {
      const co = await fetchSvn(vcsSource('svn', w.dir, w.repo.trunk, String(rev)), w.ctx());
      assert.is(co.status, 'unchanged', `r${rev}: ${co.message}`);
      assert.is(co.revision, String(w.revs[2]));
    }
  } finally {
    w.cleanup();
  }
});

test('HEAD is unchanged when commits landed only outside the checked-out path', async () => {
  const w = world();
  try {
    const source = vcsSource('svn', w.dir, w.repo.trunk);
    assert.is((await fetchSvn(source, w.ctx())).status, 'cloned');
    w.repo.commitElsewhere();
    const co = await fetchSvn(source, w.ctx());
    assert.is(co.status, 'unchanged', co.message);
    assert.is(co.revision, String(w.revs[2]));
  } finally {
    w.cleanup();
  }
});

test('HEAD moves to a newer revision committed upstream', async () => {
  const w = world();
  try {
    const source = vcsSource('svn', w.dir, w.repo.trunk);
    assert.is((await fetchSvn(source, w.ctx())).status, 'cloned');
    const rev = w.repo.commit({ 'src/a.py': 'A = 4\n' }, 'fourth');
    const ctx = w.ctx();
    const co = await fetchSvn(source, ctx);
    assert.is(co.status, 'updated', co.message);
    assert.is(co.revision, String(rev));
    assert.is(read(w.dir, 'src/a.py'), 'A = 4\n');
    assert.equal(ctx.events.map((e) => e.phase), ['fetching', 'checkout', 'done']);
  } finally {
    w.cleanup();
  }
});

test('a changed pinned revision moves the checkout back or forth', async () => {
  const w = world();
  try {
    assert.is((await fetchSvn(vcsSource('svn', w.dir, w.repo.trunk, String(w.revs[2])), w.ctx())).status, 'cloned');
    const co = await fetchSvn(vcsSource('svn', w.dir, w.repo.trunk, String(w.revs[0])), w.ctx());
    assert.is(co.status, 'updated', co.message);
    assert.is(co.revision, String(w.revs[0]));
    assert.is(read(w.dir, 'src/a.py'), 'A = 1\n');
    assert.not.ok(existsSync(join(w.dir, 'src/b.py')));
  } finally {
    w.cleanup();
  }
});

test('a locked revision wins over the ref', async () => {
  const w = world();
  try {
    const source = { ...vcsSource('svn', w.dir, w.repo.trunk, 'HEAD'), revision: String(w.revs[0]) };
    const co = await fetchSvn(source, w.ctx());
    assert.is(co.revision, String(w.revs[0]));
  } finally {
    w.cleanup();
  }
});

test('a local modification is never updated over: skipped, and the edit is intact', async () => {
  const w = world();
  try {
    assert.is((await fetchSvn(vcsSource('svn', w.dir, w.repo.trunk, String(w.revs[0])), w.ctx())).status, 'cloned');
    writeFileSync(join(w.dir, 'src/a.py'), 'mine\n');
    const co = await fetchSvn(vcsSource('svn', w.dir, w.repo.trunk, String(w.revs[2])), w.ctx());
    assert.is(co.status, 'skipped');
    assert.match(co.message ?? '', 'src/a.py (modified)');
    assert.match(co.message ?? '', 'svn revert');
    assert.is(co.revision, String(w.revs[0]));
    assert.is(read(w.dir, 'src/a.py'), 'mine\n');
    assert.not.ok(existsSync(join(w.dir, 'src/b.py')), 'the checkout did not move');
  } finally {
    w.cleanup();
  }
});

test('an unversioned file blocks an update: skipped, and the file is intact', async () => {
  const w = world();
  try {
    const source = vcsSource('svn', w.dir, w.repo.trunk);
    assert.is((await fetchSvn(source, w.ctx())).status, 'cloned');
    writeFileSync(join(w.dir, 'notes.txt'), 'keep me\n');
    w.repo.commit({ 'src/a.py': 'A = 5\n' });
    const co = await fetchSvn(source, w.ctx());
    assert.is(co.status, 'skipped');
    assert.match(co.message ?? '', 'notes.txt (unversioned)');
    assert.is(read(w.dir, 'notes.txt'), 'keep me\n');
    assert.is(read(w.dir, 'src/a.py'), 'A = 2\n');
  } finally {
    w.cleanup();
  }
});

test('with force, edits are reverted, named first; unversioned files are kept, one the new revision has is replaced', async () => {
  const w = world();
  try {
    const source = vcsSource('svn', w.dir, w.repo.trunk);
    assert.is((await fetchSvn(vcsSource('svn', w.dir, w.repo.trunk, String(w.revs[0])), w.ctx())).status, 'cloned');
    writeFileSync(join(w.dir, 'src/a.py'), 'mine\n');
    writeFileSync(join(w.dir, 'notes.txt'), 'scratch\n');
    mkdirSync(join(w.dir, 'mine'));
    writeFileSync(join(w.dir, 'mine/more.txt'), 'keep too\n');
    // src/b.py is added by a later revision: where it stands unversioned, that one replaces it.
    writeFileSync(join(w.dir, 'src/b.py'), 'my own b\n');
    const ctx = w.ctx({ force: true });
    const co = await fetchSvn(source, ctx);
    assert.is(co.status, 'updated', `${co.message} ${co.cause}`);
    assert.is(co.revision, String(w.revs[2]));
    assert.match(co.message ?? '', /discarded src\/a\.py \(modified\)/);
    assert.match(co.message ?? '', /replaced by the new revision's: src\/b\.py/);
    assert.match(co.message ?? '', /kept: .*notes\.txt \(unversioned\)/);
    assert.is(read(w.dir, 'src/a.py'), 'A = 2\n');
    assert.is(read(w.dir, 'src/b.py'), 'B = 3\n');
    assert.is(read(w.dir, 'notes.txt'), 'scratch\n', 'an unversioned file the new revision does not have is kept');
    assert.is(read(w.dir, 'mine/more.txt'), 'keep too\n');
    // What goes is said before it goes.
    const discarding = ctx.events.filter((e) => e.phase === 'discarding').map((e) => e.message ?? '');
    assert.equal(discarding.length, 2, JSON.stringify(ctx.events));
    assert.match(discarding[0]!, 'src/a.py (modified)');
    assert.match(discarding[1]!, 'src/b.py');
    assert.not.match(discarding.join(' '), 'notes.txt');
    assert.ok(ctx.events.findIndex((e) => e.phase === 'discarding') < ctx.events.findIndex((e) => e.phase === 'checkout'));
  } finally {
    w.cleanup();
  }
});

test('local changes do not matter when the checkout is already where it should be', async () => {
  const w = world();
  try {
    const source = vcsSource('svn', w.dir, w.repo.trunk);
    assert.is((await fetchSvn(source, w.ctx())).status, 'cloned');
    writeFileSync(join(w.dir, 'README'), 'edited\n');
    const co = await fetchSvn(source, w.ctx());
    assert.is(co.status, 'unchanged', co.message);
    assert.is(read(w.dir, 'README'), 'edited\n');
  } finally {
    w.cleanup();
  }
});

test('a checkout of another URL at the target fails and is left untouched', async () => {
  const w = world();
  try {
    assert.is((await fetchSvn(vcsSource('svn', w.dir, w.repo.trunk, String(w.revs[0])), w.ctx())).status, 'cloned');
    const other = w.repo.trunk.replace(/trunk$/, 'branches');
    const co = await fetchSvn(vcsSource('svn', w.dir, other), w.ctx());
    assert.is(co.status, 'failed');
    assert.is(co.code, 'WEFT_E_SVN_TARGET');
    assert.match(co.message ?? '', 'not ' + other);
    assert.is(read(w.dir, 'src/a.py'), 'A = 1\n');
    assert.not.ok(existsSync(join(w.dir, 'src/b.py')));
  } finally {
    w.cleanup();
  }
});

test('a directory that is not a working copy at the target fails and is left untouched', async () => {
  const w = world();
  try {
    mkdirSync(w.dir, { recursive: true });
    writeFileSync(join(w.dir, 'precious'), 'x');
    const co = await fetchSvn(vcsSource('svn', w.dir, w.repo.trunk), w.ctx());
    assert.is(co.status, 'failed');
    assert.is(co.code, 'WEFT_E_SVN_TARGET');
    assert.equal(readdirSync(w.dir), ['precious']);
  } finally {
    w.cleanup();
  }
});

test('an empty directory at the target is filled', async () => {
  const w = world();
  try {
    mkdirSync(w.dir, { recursive: true });
    const co = await fetchSvn(vcsSource('svn', w.dir, w.repo.trunk), w.ctx());
    assert.is(co.status, 'cloned', co.message);
    assert.ok(existsSync(join(w.dir, 'README')));
  } finally {
    w.cleanup();
  }
});

test('offline, a missing checkout fails as needing the network and runs nothing', async () => {
  const w = world();
  try {
    const traced = traceCommand(w.root, 'svn', w.ctx().env);
    const co = await fetchSvn(vcsSource('svn', w.dir, w.repo.trunk), w.ctx({ env: traced.env, offline: true }));
    assert.is(co.status, 'failed');
    assert.is(co.code, 'WEFT_E_OFFLINE');
    assert.match(co.message ?? '', 'needs the network');
    assert.not.ok(existsSync(w.dir));
    assert.equal(traced.calls(), []);
  } finally {
    w.cleanup();
  }
});

test('offline, HEAD keeps the checkout without asking the repository', async () => {
  const w = world();
  try {
    const source = vcsSource('svn', w.dir, w.repo.trunk);
    assert.is((await fetchSvn(source, w.ctx())).status, 'cloned');
    w.repo.commit({ 'src/a.py': 'A = 6\n' });
    const traced = traceCommand(w.root, 'svn', w.ctx().env);
    const co = await fetchSvn(source, w.ctx({ env: traced.env, offline: true }));
    assert.is(co.status, 'unchanged');
    assert.match(co.message ?? '', 'offline');
    assert.is(read(w.dir, 'src/a.py'), 'A = 2\n');
    assert.ok(traced.calls().every((c) => !c.includes('file://')), traced.calls().join('\n'));
  } finally {
    w.cleanup();
  }
});

test('offline, a pinned revision that needs moving fails and leaves the checkout', async () => {
  const w = world();
  try {
    assert.is((await fetchSvn(vcsSource('svn', w.dir, w.repo.trunk, String(w.revs[0])), w.ctx())).status, 'cloned');
    const co = await fetchSvn(vcsSource('svn', w.dir, w.repo.trunk, String(w.revs[2])), w.ctx({ offline: true }));
    assert.is(co.status, 'failed');
    assert.is(co.code, 'WEFT_E_OFFLINE');
    assert.is(read(w.dir, 'src/a.py'), 'A = 1\n');
  } finally {
    w.cleanup();
  }
});

test('URLs that look like options or reach for command transports are refused before svn runs', async () => {
  const w = world();
  try {
    const canary = join(w.root, 'canary');
    const traced = traceCommand(w.root, 'svn', w.ctx().env);
    const bad = [
      `--config-option=config:tunnels:x=touch ${canary}`,
      `svn+ssh://-oProxyCommand=touch%20${canary}/repo`,
      `svn+ssh://user@-oProxyCommand=touch%20${canary}/repo`,
      `svn+evil://host/repo`,
      w.repo.repoDir,
      `file:///tmp/x\nfile:///etc`,
    ];
    for (const url of bad) {
      const co = await fetchSvn(vcsSource('svn', w.dir, url), w.ctx({ env: traced.env }));
      assert.is(co.status, 'failed', url);
      assert.is(co.code, 'WEFT_E_SVN_UNSAFE', url);
    }
    assert.equal(traced.calls(), [], 'svn never ran');
    assert.not.ok(existsSync(canary));
    assert.not.ok(existsSync(join(w.root, 'ws')));
  } finally {
    w.cleanup();
  }
});

test('a revision the repository does not have: WEFT_E_SVN_REF at the manifest\'s ref, or how to re-pin when it is the lock\'s', async () => {
  const w = world();
  try {
    const refLoc = { file: join(w.root, 'weft.yaml'), line: 6, col: 10 };
    const co = await fetchSvn({ ...vcsSource('svn', w.dir, w.repo.trunk, '999'), refLoc }, w.ctx());
    assert.is(co.status, 'failed');
    assert.is(co.code, 'WEFT_E_SVN_REF');
    assert.match(co.message ?? '', 'has no revision 999');
    assert.equal(co.loc, refLoc);
    assert.match(co.hint ?? '', 'svn info');
    assert.not.ok(existsSync(w.dir));
    const locked = await fetchSvn({ ...vcsSource('svn', w.dir, w.repo.trunk), refLoc, revision: '999' }, w.ctx());
    assert.is(locked.code, 'WEFT_E_SVN_REF');
    assert.is(locked.loc, undefined);
    assert.match(locked.hint ?? '', 'weft update lib');
  } finally {
    w.cleanup();
  }
});

test('a ref that is not a revision number or HEAD is refused before svn runs', async () => {
  const w = world();
  try {
    const traced = traceCommand(w.root, 'svn', w.ctx().env);
    for (const ref of ['-r5', '{2020-01-01}', 'PREV', 'trunk']) {
      const co = await fetchSvn(vcsSource('svn', w.dir, w.repo.trunk, ref), w.ctx({ env: traced.env }));
      assert.is(co.code, 'WEFT_E_SVN_REF', ref);
    }
    assert.equal(traced.calls(), []);
    assert.not.ok(existsSync(w.dir));
  } finally {
    w.cleanup();
  }
});

test('a failed checkout leaves neither the target nor a temp directory, and says why', async () => {
  const w = world();
  try {
    const co = await fetchSvn(vcsSource('svn', w.dir, `${w.repo.trunk}/no-such-dir`), w.ctx());
    assert.is(co.status, 'failed');
    assert.is(co.code, 'WEFT_E_SVN');
    assert.match(co.cause ?? '', /E\d{6}/);
    assert.equal(readdirSync(join(w.root, 'ws')), []);
  } finally {
    w.cleanup();
  }
});

test('credentials in the URL never reach the message or cause', async () => {
  const w = world();
  try {
    const co = await fetchSvn(vcsSource('svn', w.dir, 'http://bob:s3cret@127.0.0.1:1/repo'), w.ctx());
    assert.is(co.status, 'failed');
    assert.ok(co.cause, 'there is a cause');
    assert.not.match(`${co.message}\n${co.cause}`, 's3cret');
  } finally {
    w.cleanup();
  }
});

test.run();
