import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { basename, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fetchHg } from '../../src/fetch/hg.js';
import { scratchName } from '../../src/fetch/tmp.js';
import { makeHgRepo, openHgRepo, type HgRepo } from '../helpers/hg-repo.js';
import { tempDir } from '../helpers/tmp.js';
import { traceCommand, vcsContext, vcsSource, type TestContext } from '../helpers/vcs-context.js';

interface World {
  root: string;
  up: HgRepo;
  /** c1: first commit (tagged 1.0); s1: on branch stable; tip: default's head. */
  c1: string;
  s1: string;
  tip: string;
  dir: string;
  ctx: (over?: Partial<TestContext>) => TestContext;
  cleanup: () => void;
}

// The upstream repository is built once and copied for each test: hg starts slowly.
const template = tempDir('weft-hg-template-');
const built = (() => {
  const up = makeHgRepo(join(template.dir, 'upstream'), vcsContext(template.dir).env);
  const c1 = up.commit({ README: 'one\n' }, 'first');
  up.tag('1.0');
  up.branch('stable');
  const s1 = up.commit({ 'src/a.py': 'stable\n' }, 'on stable');
  up.update('default');
  const tip = up.commit({ 'src/a.py': 'A = 2\n' }, 'second');
  return { path: up.path, c1, s1, tip };
})();
test.after(() => template.cleanup());

function world(): World {
  const { dir: root, cleanup } = tempDir('weft-hg-');
  const home = join(root, 'home');
  mkdirSync(home);
  cpSync(built.path, join(root, 'upstream'), { recursive: true });
  const up = openHgRepo(join(root, 'upstream'), vcsContext(home).env);
  const { c1, s1, tip } = built;
  return { root, up, c1, s1, tip, dir: join(root, 'ws', 'lib'), ctx: (over = {}) => vcsContext(home, over), cleanup };
}

const read = (...p: string[]): string => readFileSync(join(...p), 'utf8');

test('with no ref the clone is at the default branch’s head', async () => {
  const w = world();
  try {
    const ctx = w.ctx();
    const co = await fetchHg(vcsSource('hg', w.dir, w.up.path), ctx);
    assert.is(co.status, 'cloned', `${co.message} ${co.cause}`);
    assert.is(co.revision, w.tip);
    assert.is(co.branch, 'default');
    assert.is(read(w.dir, 'src/a.py'), 'A = 2\n');
    assert.equal(readdirSync(join(w.root, 'ws')), ['lib'], 'no temp sibling is left behind');
    assert.equal(ctx.events.map((e) => e.phase), ['fetching', 'checkout', 'done']);
  } finally {
    w.cleanup();
  }
});

test('what a killed run left beside the checkout (its scratch, named with its host and pid) is removed by the next clone; a live run\'s is not', async () => {
  const w = world();
  try {
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => dead.once('close', r));
    const [host] = scratchName().split('-');
    const left = join(w.root, 'ws', `.lib.weft-tmp-${host}-${dead.pid}-0123456789ab`);
    const live = join(w.root, 'ws', `.lib.weft-tmp-${host}-${process.pid}-0123456789ab`);
    for (const d of [left, live]) mkdirSync(join(d, 'checkout', '.hg'), { recursive: true });
    const co = await fetchHg(vcsSource('hg', w.dir, w.up.path), w.ctx());
    assert.is(co.status, 'cloned', `${co.message} ${co.cause}`);
    assert.equal(readdirSync(join(w.root, 'ws')).sort(), [basename(live), 'lib'].sort());
  } finally {
    w.cleanup();
  }
});

test('a tag is checked out at the tagged changeset, not on a branch', async () => {
  const w = world();
  try {
    const co = await fetchHg(vcsSource('hg', w.dir, w.up.path, '1.0'), w.ctx());
    assert.is(co.status, 'cloned', co.message);
    assert.is(co.revision, w.c1);
    assert.is(co.branch, undefined);
    assert.not.ok(existsSync(join(w.dir, 'src')));
  } finally {
    w.cleanup();
  }
});

test('a named branch is checked out at its head', async () => {
  const w = world();
  try {
    const co = await fetchHg(vcsSource('hg', w.dir, w.up.path, 'stable'), w.ctx());
    assert.is(co.status, 'cloned', co.message);
    assert.is(co.revision, w.s1);
    assert.is(co.branch, 'stable');
    assert.is(read(w.dir, 'src/a.py'), 'stable\n');
  } finally {
    w.cleanup();
  }
});

test('a changeset id, full or abbreviated, is checked out exactly', async () => {
  const w = world();
  try {
    for (const ref of [w.s1, w.s1.slice(0, 12)]) {
      const dir = join(w.root, 'ws', ref.length.toString());
      const co = await fetchHg(vcsSource('hg', dir, w.up.path, ref), w.ctx());
      assert.is(co.status, 'cloned', co.message);
      assert.is(co.revision, w.s1);
      assert.is(co.branch, undefined);
    }
  } finally {
    w.cleanup();
  }
});

test('a locked revision wins over the ref', async () => {
  const w = world();
  try {
    const co = await fetchHg({ ...vcsSource('hg', w.dir, w.up.path, 'default'), revision: w.c1 }, w.ctx());
    assert.is(co.revision, w.c1);
  } finally {
    w.cleanup();
  }
});

test('a relative path is relative to the manifest’s directory', async () => {
  const w = world();
  try {
    const co = await fetchHg(vcsSource('hg', w.dir, '../upstream', '1.0'), w.ctx());
    assert.is(co.status, 'cloned', `${co.message} ${co.cause}`);
    assert.is(co.revision, w.c1);
  } finally {
    w.cleanup();
  }
});

test('a tag already checked out is unchanged and touches no repository', async () => {
  const w = world();
  try {
    const source = vcsSource('hg', w.dir, w.up.path, '1.0');
    assert.is((await fetchHg(source, w.ctx())).status, 'cloned');
    renameSync(w.up.path, `${w.up.path}.gone`);
    const traced = traceCommand(w.root, 'hg', w.ctx().env);
    const co = await fetchHg(source, w.ctx({ env: traced.env }));
    assert.is(co.status, 'unchanged', co.message);
    assert.is(co.revision, w.c1);
    assert.ok(traced.calls().length > 0, 'the tracer saw hg run');
    assert.ok(traced.calls().every((c) => !/\b(pull|clone)\b/.test(c)), traced.calls().join('\n'));
  } finally {
    w.cleanup();
  }
});

test('a branch follows new upstream commits', async () => {
  const w = world();
  try {
    const source = vcsSource('hg', w.dir, w.up.path);
    assert.is((await fetchHg(source, w.ctx())).status, 'cloned');
    const next = w.up.commit({ 'src/a.py': 'A = 3\n' }, 'third');
    const co = await fetchHg(source, w.ctx());
    assert.is(co.status, 'updated', `${co.message} ${co.cause}`);
    assert.is(co.revision, next);
    assert.is(co.branch, 'default');
    assert.is(read(w.dir, 'src/a.py'), 'A = 3\n');
  } finally {
    w.cleanup();
  }
});

test('a branch is unchanged when upstream moved only another branch', async () => {
  const w = world();
  try {
    const source = vcsSource('hg', w.dir, w.up.path);
    assert.is((await fetchHg(source, w.ctx())).status, 'cloned');
    w.up.update('stable');
    w.up.commit({ 'src/a.py': 'stable 2\n' });
    const co = await fetchHg(source, w.ctx());
    assert.is(co.status, 'unchanged', co.message);
    assert.is(co.revision, w.tip);
  } finally {
    w.cleanup();
  }
});

test('a changed ref moves a clean clone to another tag', async () => {
  const w = world();
  try {
    assert.is((await fetchHg(vcsSource('hg', w.dir, w.up.path), w.ctx())).status, 'cloned');
    const co = await fetchHg(vcsSource('hg', w.dir, w.up.path, '1.0'), w.ctx());
    assert.is(co.status, 'updated', co.message);
    assert.is(co.revision, w.c1);
    assert.not.ok(existsSync(join(w.dir, 'src/a.py')));
  } finally {
    w.cleanup();
  }
});

test('an uncommitted edit is never updated over: skipped, and the edit is intact', async () => {
  const w = world();
  try {
    const source = vcsSource('hg', w.dir, w.up.path);
    assert.is((await fetchHg(source, w.ctx())).status, 'cloned');
    writeFileSync(join(w.dir, 'src/a.py'), 'mine\n');
    w.up.commit({ 'src/b.py': 'B\n' });
    const co = await fetchHg(source, w.ctx());
    assert.is(co.status, 'skipped', co.message);
    assert.match(co.message ?? '', 'M src/a.py');
    assert.is(co.revision, w.tip);
    assert.is(read(w.dir, 'src/a.py'), 'mine\n');
    assert.not.ok(existsSync(join(w.dir, 'src/b.py')), 'the working directory did not move');
  } finally {
    w.cleanup();
  }
});

test('an unknown file blocks an update: skipped, and the file is intact', async () => {
  const w = world();
  try {
    assert.is((await fetchHg(vcsSource('hg', w.dir, w.up.path), w.ctx())).status, 'cloned');
    writeFileSync(join(w.dir, 'notes.txt'), 'keep me\n');
    const co = await fetchHg(vcsSource('hg', w.dir, w.up.path, '1.0'), w.ctx());
    assert.is(co.status, 'skipped', co.message);
    assert.match(co.message ?? '', '? notes.txt');
    assert.is(read(w.dir, 'notes.txt'), 'keep me\n');
    assert.ok(existsSync(join(w.dir, 'src/a.py')));
  } finally {
    w.cleanup();
  }
});

test('an unpushed commit is never left behind: skipped, and the commit is still checked out', async () => {
  const w = world();
  try {
    const source = vcsSource('hg', w.dir, w.up.path);
    assert.is((await fetchHg(source, w.ctx())).status, 'cloned');
    const mine = openHgRepo(w.dir, w.ctx().env);
    const draft = mine.commit({ 'mine.txt': 'work\n' }, 'my work');
    w.up.commit({ 'src/a.py': 'A = 3\n' });
    const co = await fetchHg(source, w.ctx());
    assert.is(co.status, 'skipped', co.message);
    assert.match(co.message ?? '', 'unpushed (draft) commit');
    assert.match(co.message ?? '', draft.slice(0, 12));
    assert.is(co.revision, draft);
    assert.is(mine.hg('log', '-r', '.', '-T', '{node}'), draft);
    assert.is(read(w.dir, 'mine.txt'), 'work\n');
  } finally {
    w.cleanup();
  }
});

test('with force, edits are discarded (named first), untracked files kept, and unpushed commits stay in the repository', async () => {
  const w = world();
  try {
    const source = vcsSource('hg', w.dir, w.up.path);
    assert.is((await fetchHg(source, w.ctx())).status, 'cloned');
    const mine = openHgRepo(w.dir, w.ctx().env);
    const draft = mine.commit({ 'mine.txt': 'work\n' }, 'my work');
    writeFileSync(join(w.dir, 'src/a.py'), 'edit\n');
    writeFileSync(join(w.dir, 'scratch.txt'), 'x\n');
    // src/b.py comes with the next changeset: where it stands untracked, that one replaces it.
    writeFileSync(join(w.dir, 'src/b.py'), 'my own b\n');
    const next = w.up.commit({ 'src/a.py': 'A = 3\n', 'src/b.py': 'B\n' });
    const ctx = w.ctx({ force: true });
    const co = await fetchHg(source, ctx);
    assert.is(co.status, 'updated', `${co.message} ${co.cause}`);
    assert.is(co.revision, next);
    assert.match(co.message ?? '', 'discarded uncommitted changes: M src/a.py; untracked files the new changeset has: src/b.py');
    assert.match(co.message ?? '', 'kept untracked: scratch.txt');
    assert.match(co.message ?? '', `kept in the repository, no longer checked out: 1 unpushed (draft) commit: ${draft.slice(0, 12)}`);
    assert.is(read(w.dir, 'src/a.py'), 'A = 3\n');
    assert.is(read(w.dir, 'src/b.py'), 'B\n');
    assert.is(read(w.dir, 'scratch.txt'), 'x\n', 'an untracked file the new changeset does not have is kept');
    assert.is(mine.hg('log', '-r', 'draft()', '-T', '{node}'), draft);
    const phases = ctx.events.map((e) => e.phase);
    assert.ok(phases.indexOf('discarding') >= 0 && phases.indexOf('discarding') < phases.indexOf('checkout'), phases.join(','));
    const said = ctx.events.find((e) => e.phase === 'discarding')?.message ?? '';
    assert.match(said, 'M src/a.py');
    assert.match(said, 'src/b.py');
    assert.not.match(said, 'scratch.txt');
  } finally {
    w.cleanup();
  }
});

test('a local commit made after a skipped update is never taken for the branch head: skipped, nothing of it locked', async () => {
  const w = world();
  try {
    const source = vcsSource('hg', w.dir, w.up.path);
    assert.is((await fetchHg(source, w.ctx())).status, 'cloned');
    const next = w.up.commit({ 'src/a.py': 'A = 3\n' }, 'upstream moves');
    writeFileSync(join(w.dir, 'README'), 'mine\n');
    // Pulls upstream's changeset, then leaves the clone where it is.
    assert.is((await fetchHg(source, w.ctx())).status, 'skipped');
    const mine = openHgRepo(w.dir, w.ctx().env);
    const draft = mine.commit({}, 'my local commit');
    const co = await fetchHg(source, w.ctx());
    assert.is(co.status, 'skipped', co.message);
    assert.is(co.locked, undefined);
    assert.match(co.message ?? '', `1 unpushed (draft) commit: ${draft.slice(0, 12)}`);
    assert.match(co.message ?? '', `instead of moving to ${next.slice(0, 12)}`);
    assert.is(mine.hg('log', '-r', '.', '-T', '{node}'), draft);
  } finally {
    w.cleanup();
  }
});

test('local commits on top of upstream’s head are left as they are, and upstream’s changeset is what gets locked', async () => {
  const w = world();
  try {
    const source = vcsSource('hg', w.dir, w.up.path);
    assert.is((await fetchHg(source, w.ctx())).status, 'cloned');
    const mine = openHgRepo(w.dir, w.ctx().env);
    const draft = mine.commit({ 'mine.txt': 'work\n' }, 'my work');
    const co = await fetchHg(source, w.ctx());
    assert.is(co.status, 'unchanged', co.message);
    assert.is(co.revision, draft);
    assert.is(co.locked, w.tip, 'the lock records the public head, never the draft');
    assert.match(co.message ?? '', `1 unpushed (draft) commit of yours on top of ${w.tip.slice(0, 12)}`);
    // tip names the same: the newest public changeset.
    const tip = await fetchHg(vcsSource('hg', w.dir, w.up.path, 'tip'), w.ctx());
    assert.is(tip.status, 'unchanged', tip.message);
    assert.is(tip.locked, w.tip);
    // The locked changeset (what weft up passes as the revision) leaves it as it is too.
    const locked = await fetchHg({ ...source, revision: w.tip }, w.ctx());
    assert.is(locked.status, 'unchanged', locked.message);
    assert.is(locked.locked, w.tip);
    assert.is(mine.hg('log', '-r', '.', '-T', '{node}'), draft);
  } finally {
    w.cleanup();
  }
});

test('a clone of another repository at the target fails and is left untouched', async () => {
  const w = world();
  try {
    assert.is((await fetchHg(vcsSource('hg', w.dir, w.up.path, '1.0'), w.ctx())).status, 'cloned');
    const other = makeHgRepo(join(w.root, 'other'), w.ctx().env);
    other.commit({ x: 'x' });
    const co = await fetchHg(vcsSource('hg', w.dir, other.path), w.ctx());
    assert.is(co.status, 'failed');
    assert.is(co.code, 'WEFT_E_HG_TARGET');
    assert.is(co.revision, undefined);
    assert.equal(readdirSync(w.dir).sort(), ['.hg', 'README']);
  } finally {
    w.cleanup();
  }
});

test('a directory that is not a clone at the target fails and is left untouched', async () => {
  const w = world();
  try {
    mkdirSync(w.dir, { recursive: true });
    writeFileSync(join(w.dir, 'precious'), 'x');
    const co = await fetchHg(vcsSource('hg', w.dir, w.up.path), w.ctx());
    assert.is(co.code, 'WEFT_E_HG_TARGET');
    assert.equal(readdirSync(w.dir), ['precious']);
  } finally {
    w.cleanup();
  }
});

test('offline, a missing clone fails as needing the network and runs nothing', async () => {
  const w = world();
  try {
    const traced = traceCommand(w.root, 'hg', w.ctx().env);
    const co = await fetchHg(vcsSource('hg', w.dir, w.up.path), w.ctx({ env: traced.env, offline: true }));
    assert.is(co.status, 'failed');
    assert.is(co.code, 'WEFT_E_OFFLINE');
    assert.match(co.message ?? '', 'needs the network');
    assert.not.ok(existsSync(w.dir));
    assert.equal(traced.calls(), []);
  } finally {
    w.cleanup();
  }
});

test('offline, a branch stays where it is without pulling', async () => {
  const w = world();
  try {
    const source = vcsSource('hg', w.dir, w.up.path);
    assert.is((await fetchHg(source, w.ctx())).status, 'cloned');
    w.up.commit({ 'src/a.py': 'A = 3\n' });
    const traced = traceCommand(w.root, 'hg', w.ctx().env);
    const co = await fetchHg(source, w.ctx({ env: traced.env, offline: true }));
    assert.is(co.status, 'unchanged', co.message);
    assert.match(co.message ?? '', 'offline');
    assert.is(co.revision, w.tip);
    assert.ok(traced.calls().every((c) => !/\bpull\b/.test(c)), traced.calls().join('\n'));
  } finally {
    w.cleanup();
  }
});

test('a ref the repository does not have fails and leaves nothing behind', async () => {
  const w = world();
  try {
    const refLoc = { file: join(w.root, 'weft.yaml'), line: 6, col: 10 };
    const co = await fetchHg({ ...vcsSource('hg', w.dir, w.up.path, 'no-such-branch'), refLoc }, w.ctx());
    assert.is(co.status, 'failed');
    assert.is(co.code, 'WEFT_E_HG_REF');
    // The manifest's mistake: said where `ref:` is written, with how to list what there is.
    assert.equal(co.loc, refLoc);
    assert.match(co.hint ?? '', 'fix `ref` in the manifest');
    assert.match(co.hint ?? '', 'hg branches');
    assert.equal(readdirSync(join(w.root, 'ws')), []);
    // The lock's changeset gone upstream: no manifest position, and how to re-pin.
    const locked = await fetchHg({ ...vcsSource('hg', w.dir, w.up.path, 'default'), refLoc, revision: 'a'.repeat(40) }, w.ctx());
    assert.is(locked.code, 'WEFT_E_HG_REF', JSON.stringify(locked));
    assert.is(locked.loc, undefined);
    assert.match(locked.hint ?? '', 'weft update lib');
  } finally {
    w.cleanup();
  }
});

test('a URL hg cannot clone fails with its reason and leaves nothing behind', async () => {
  const w = world();
  try {
    const co = await fetchHg(vcsSource('hg', w.dir, join(w.root, 'missing')), w.ctx());
    assert.is(co.code, 'WEFT_E_HG');
    assert.match(co.cause ?? '', 'abort');
    assert.equal(readdirSync(join(w.root, 'ws')), []);
  } finally {
    w.cleanup();
  }
});

test('option-like or unsupported URLs and refs are refused before hg runs', async () => {
  const w = world();
  try {
    const canary = join(w.root, 'canary');
    const traced = traceCommand(w.root, 'hg', w.ctx().env);
    const cases: Array<[string, string | undefined, string]> = [
      [`--config=hooks.pre-clone=touch ${canary}`, undefined, 'WEFT_E_HG_UNSAFE'],
      [`ssh://-oProxyCommand=touch%20${canary}/repo`, undefined, 'WEFT_E_HG_UNSAFE'],
      [`ssh://user@-oProxyCommand=touch%20${canary}/repo`, undefined, 'WEFT_E_HG_UNSAFE'],
      [`bundle:${w.up.path}`, undefined, 'WEFT_E_HG_UNSAFE'],
      [`static-http://127.0.0.1/repo`, undefined, 'WEFT_E_HG_UNSAFE'],
      [w.up.path, `--config=hooks.pre-update=touch ${canary}`, 'WEFT_E_HG_UNSAFE'],
      [w.up.path, '-rtip', 'WEFT_E_HG_UNSAFE'],
      [w.up.path, '2', 'WEFT_E_HG_REF'],
    ];
    for (const [url, ref, code] of cases) {
      const co = await fetchHg(vcsSource('hg', w.dir, url, ref), w.ctx({ env: traced.env }));
      assert.is(co.status, 'failed', `${url} ${ref}`);
      assert.is(co.code, code, `${url} ${ref}`);
    }
    assert.equal(traced.calls(), [], 'hg never ran');
    assert.not.ok(existsSync(canary));
    assert.not.ok(existsSync(join(w.root, 'ws')));
  } finally {
    w.cleanup();
  }
});

test('a revset in a ref is looked up as a name, never evaluated', async () => {
  const w = world();
  try {
    const co = await fetchHg(vcsSource('hg', w.dir, w.up.path, `max(all())`), w.ctx());
    assert.is(co.code, 'WEFT_E_HG_REF');
    assert.not.ok(existsSync(w.dir));
  } finally {
    w.cleanup();
  }
});

test('hooks and extensions in a local source repository’s hgrc never run', async () => {
  const w = world();
  try {
    const canary = join(w.root, 'canary');
    const ext = join(w.root, 'evil.py');
    writeFileSync(ext, `open(${JSON.stringify(join(canary, 'ext'))}, 'w').close()\n`);
    mkdirSync(canary);
    appendFileSync(
      join(w.up.path, '.hg', 'hgrc'),
      `[hooks]\npreoutgoing = touch ${canary}/preoutgoing\noutgoing = touch ${canary}/outgoing\n` +
        `pre-log = touch ${canary}/pre-log\n[extensions]\nevil = ${ext}\n`,
    );
    const source = vcsSource('hg', w.dir, w.up.path);
    assert.is((await fetchHg(source, w.ctx())).status, 'cloned');
    w.up.hg('--config', 'extensions.evil=!', '--config', 'hooks.pre-log=', 'log', '-l', '1'); // upstream still usable
    const co = await fetchHg(source, w.ctx());
    assert.is(co.status, 'unchanged', co.message);
    assert.equal(readdirSync(canary), []);
  } finally {
    w.cleanup();
  }
});

test.run();
