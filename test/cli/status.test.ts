import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTar, gzip } from '../helpers/archive-builder.js';
import { sri } from '../helpers/archive-sandbox.js';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { git } from '../helpers/git-repo.js';
import { statusWorkspace } from '../helpers/status-workspace.js';
import { tempDir } from '../helpers/tmp.js';

interface Row {
  name: string;
  kind: string;
  dir: string;
  ref: string | null;
  locked: string | null;
  recorded: string | null;
  revision: string | null;
  branch: string | null;
  dirty: number;
  untracked: number;
  ahead: number | null;
  behind: number | null;
  missing: boolean;
  moved: boolean;
  offLock: boolean;
  unpushed?: number;
}

const rowsOf = (stdout: string): Row[] => JSON.parse(stdout) as Row[];

test('weft status shows every fresh checkout as clean on its branch at the locked commit', async () => {
  const w = await statusWorkspace(['alpha', 'beta']);
  try {
    const r = await w.run('status');
    assert.is(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.is(lines.length, 3);
    assert.match(lines[0]!, /^NAME\s+KIND\s+REF\s+LOCKED\s+CHECKED OUT\s+BRANCH\s+STATE$/);
    const short = w.upstreams['alpha']!.rev('HEAD').slice(0, 12);
    assert.match(lines[1]!, new RegExp(`^alpha\\s+git\\s+main\\s+${short}\\s+${short}\\s+main\\s+clean$`));
    assert.match(lines[2]!, /^beta\s+git\s+main\s.*clean$/);
    // Aligned: the STATE column starts at the same offset on every line.
    assert.is(lines[1]!.lastIndexOf('clean'), lines[2]!.lastIndexOf('clean'));
    assert.is(lines[0]!.indexOf('STATE'), lines[1]!.lastIndexOf('clean'));
    assert.not.match(r.stdout, /\x1b\[/);
    const check = await w.run('status', '--exit-code');
    assert.is(check.code, 0, check.stdout);
  } finally {
    w.cleanup();
  }
});

test('weft status --json reports modified, untracked, ahead and missing checkouts', async () => {
  const w = await statusWorkspace(['alpha', 'beta', 'gamma']);
  try {
    const alpha = join(w.ws, 'alpha');
    writeFileSync(join(alpha, 'README'), 'changed\n');
    writeFileSync(join(alpha, 'staged.txt'), 'new\n');
    git(w.sb, alpha, 'add', 'staged.txt');
    writeFileSync(join(alpha, 'loose1'), 'x');
    writeFileSync(join(alpha, 'loose2'), 'x');
    const beta = join(w.ws, 'beta');
    writeFileSync(join(beta, 'more.txt'), 'more\n');
    git(w.sb, beta, 'add', 'more.txt');
    git(w.sb, beta, 'commit', '--quiet', '-m', 'local work');
    rmSync(join(w.ws, 'gamma'), { recursive: true, force: true });

    const r = await w.run('status', '--json');
    assert.is(r.code, 0, r.stderr);
    const rows = rowsOf(r.stdout);
    assert.equal(rows.map((x) => x.name), ['alpha', 'beta', 'gamma']);
    const [a, b, g] = rows as [Row, Row, Row];
    assert.is(a.kind, 'git');
    assert.is(a.ref, 'main');
    assert.is(a.dir, alpha);
    assert.is(a.dirty, 2);
    assert.is(a.untracked, 2);
    assert.is(a.branch, 'main');
    assert.is(a.recorded, w.upstreams['alpha']!.rev('HEAD'));
    assert.is(a.revision, a.recorded);
    assert.is(a.ahead, 0);
    assert.is(a.behind, 0);
    assert.is(a.missing, false);
    assert.is(a.moved, false);

    assert.is(b.ahead, 1);
    assert.is(b.behind, 0);
    assert.is(b.dirty, 0);
    assert.is(b.moved, true, 'a local commit moves HEAD off the recorded revision');
    assert.is.not(b.revision, b.recorded);

    assert.is(g.missing, true);
    assert.is(g.revision, null);

    const text = await w.run('status');
    assert.match(text.stdout, /alpha .*2 modified, 2 untracked/);
    assert.match(text.stdout, /beta .*moved, ahead 1/);
    assert.match(text.stdout, /gamma .*missing/);
  } finally {
    w.cleanup();
  }
});

test('weft status --exit-code exits 1 for a dirty checkout and for a missing one, 0 once clean again', async () => {
  const w = await statusWorkspace(['alpha', 'beta']);
  try {
    writeFileSync(join(w.ws, 'alpha', 'README'), 'changed\n');
    const dirty = await w.run('status', '--exit-code');
    assert.is(dirty.code, 1);
    assert.is((await w.run('status')).code, 0, 'without --exit-code status succeeds');
    git(w.sb, join(w.ws, 'alpha'), 'checkout', '--quiet', '--', 'README');
    assert.is((await w.run('status', '--exit-code')).code, 0);
    rmSync(join(w.ws, 'beta'), { recursive: true, force: true });
    assert.is((await w.run('status', '--exit-code')).code, 1);
  } finally {
    w.cleanup();
  }
});

test('a file where a checkout was is not called missing (weft up would not make it): status and doctor say what stands there', async () => {
  const w = await statusWorkspace(['alpha']);
  try {
    rmSync(join(w.ws, 'alpha'), { recursive: true, force: true });
    writeFileSync(join(w.ws, 'alpha'), 'my notes\n');
    const check = await w.run('status', '--exit-code');
    assert.is(check.code, 1, check.stdout);
    assert.not.match(check.stdout, 'missing');
    assert.match(check.stdout, 'not a directory');
    const [row] = rowsOf((await w.run('status', '--json')).stdout) as (Row & { problem?: string })[];
    assert.is(row!.missing, false);
    assert.match(row!.problem ?? '', 'not a directory');
    const doctor = await w.run('doctor');
    const line = doctor.stdout.split('\n').find((l) => l.includes('source alpha')) ?? '';
    assert.match(line, 'not a directory', doctor.stdout);
    assert.not.match(doctor.stdout, 'fix: weft up alpha');
  } finally {
    w.cleanup();
  }
});

test('weft status --exit-code exits 1 for an untracked file alone, and not for one git ignores', async () => {
  const w = await statusWorkspace(['alpha']);
  try {
    const alpha = join(w.ws, 'alpha');
    writeFileSync(join(alpha, '.git', 'info', 'exclude'), 'build/\n');
    mkdirSync(join(alpha, 'build'));
    writeFileSync(join(alpha, 'build', 'out.o'), 'x');
    const ignored = await w.run('status', '--exit-code');
    assert.is(ignored.code, 0, ignored.stdout);
    assert.match(ignored.stdout, /alpha .*clean$/m);

    writeFileSync(join(alpha, 'notes.txt'), 'new work, not yet added\n');
    const untracked = await w.run('status', '--exit-code');
    assert.is(untracked.code, 1, untracked.stdout);
    assert.match(untracked.stdout, /alpha .*1 untracked$/m);
    const row = rowsOf((await w.run('status', '--json')).stdout)[0]!;
    assert.equal([row.dirty, row.untracked], [0, 1]);
  } finally {
    w.cleanup();
  }
});

test('weft status compares an archive checkout with what weft extracted: edits and new files show, and an update skipped for them leaves the old archive as checked out', async () => {
  const t = tempDir('weft-status-archive-');
  try {
    const v1 = gzip(buildTar([{ name: 'pkg/', type: 'dir' }, { name: 'pkg/a.txt', data: 'one\n' }, { name: 'pkg/b.txt', data: 'b\n' }]));
    const v2 = gzip(buildTar([{ name: 'pkg/', type: 'dir' }, { name: 'pkg/a.txt', data: 'two\n' }]));
    writeFileSync(join(t.dir, 'v1.tgz'), v1);
    writeFileSync(join(t.dir, 'v2.tgz'), v2);
    const ws = join(t.dir, 'ws');
    mkdirSync(ws);
    const manifest = (file: string, bytes: Buffer) =>
      writeFileSync(join(ws, 'weft.yaml'), `sources:\n  pkg:\n    archive: file://${join(t.dir, file)}\n    integrity: ${sri('sha256', bytes)}\n    strip: 1\n`);
    const env = isolatedEnv(t.dir);
    const run = (...args: string[]) => weft(args, { cwd: ws, env });
    manifest('v1.tgz', v1);
    assert.is((await run('up', '-q')).code, 0);
    const clean = rowsOf((await run('status', '--json')).stdout)[0]!;
    assert.equal([clean.revision, clean.locked, clean.dirty, clean.untracked, clean.moved, clean.offLock], [sri('sha256', v1), sri('sha256', v1), 0, 0, false, false]);

    writeFileSync(join(ws, 'pkg', 'a.txt'), 'mine\n');
    rmSync(join(ws, 'pkg', 'b.txt'));
    writeFileSync(join(ws, 'pkg', 'notes.txt'), 'new\n');
    const edited = await run('status', '--exit-code');
    assert.is(edited.code, 1);
    assert.match(edited.stdout, /^pkg\s+archive\s.*2 modified, 1 untracked$/m);

    manifest('v2.tgz', v2);
    const up = await run('up');
    assert.is(up.code, 1, up.stdout + up.stderr);
    assert.match(up.stdout, 'changed since weft extracted it');
    const after = rowsOf((await run('status', '--json')).stdout)[0]!;
    assert.is(after.revision, sri('sha256', v1), 'what is there is still the first archive');
    assert.is(after.recorded, sri('sha256', v1), 'and weft recorded no other');
    assert.is(after.locked, null, 'the lock entry is for the first archive, which the manifest no longer names');
    assert.is(after.dirty, 2);
  } finally {
    t.cleanup();
  }
});

test('weft status reports commits behind the upstream after a fetch, without fetching itself', async () => {
  const w = await statusWorkspace(['alpha']);
  try {
    const alpha = join(w.ws, 'alpha');
    const before = await w.run('status', '--json');
    w.upstreams['alpha']!.commit('upstream moved', { 'README': 'v2\n' });
    const still = rowsOf((await w.run('status', '--json')).stdout)[0]!;
    assert.is(still.behind, 0, 'status must not fetch');
    assert.is(before.code, 0);
    git(w.sb, alpha, 'fetch', '--quiet', w.upstreams['alpha']!.dir, 'main:refs/remotes/origin/main');
    const row = rowsOf((await w.run('status', '--json')).stdout)[0]!;
    assert.is(row.behind, 1);
    assert.is(row.ahead, 0);
  } finally {
    w.cleanup();
  }
});

test('weft status counts the commits on no remote of a checkout with no upstream: a detached HEAD moved on, a branch never pushed', async () => {
  const w = await statusWorkspace(['alpha', 'beta']);
  try {
    const alpha = join(w.ws, 'alpha');
    const beta = join(w.ws, 'beta');
    const commit = (dir: string, file: string) => {
      writeFileSync(join(dir, file), 'mine\n');
      git(w.sb, dir, 'add', file);
      git(w.sb, dir, 'commit', '--quiet', '-m', `my ${file}`);
    };
    git(w.sb, alpha, 'checkout', '--quiet', '--detach');
    commit(alpha, 'one');
    commit(alpha, 'two');
    git(w.sb, beta, 'checkout', '--quiet', '-b', 'mine');
    commit(beta, 'three');
    const r = await w.run('status');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^alpha\s.*moved, 2 commits on no remote$/m);
    assert.match(r.stdout, /^beta\s.*mine\s+moved, 1 commit on no remote$/m);
    const rows = rowsOf((await w.run('status', '--json')).stdout);
    assert.equal(rows.map((x) => x.unpushed), [2, 1]);
    // Pushed (without setting an upstream): on a remote now, so nothing to say.
    git(w.sb, beta, 'push', '--quiet', 'origin', 'mine');
    git(w.sb, beta, 'fetch', '--quiet', 'origin');
    const after = rowsOf((await w.run('status', '--json')).stdout)[1]!;
    assert.is(after.unpushed, undefined);
  } finally {
    w.cleanup();
  }
});

test.run();
