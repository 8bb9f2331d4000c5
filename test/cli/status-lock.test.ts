// weft status against weft.lock: the LOCKED column, "not at lock", and --exit-code for it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { branchWorkspace } from '../helpers/branch-workspace.js';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { git } from '../helpers/git-repo.js';
import { statusWorkspace } from '../helpers/status-workspace.js';
import { makeSvnRepo } from '../helpers/svn-repo.js';
import { tempDir } from '../helpers/tmp.js';

interface Row {
  name: string;
  locked: string | null;
  recorded: string | null;
  revision: string | null;
  moved: boolean;
  offLock: boolean;
  switched?: string;
}

const rowsOf = (stdout: string): Row[] => JSON.parse(stdout) as Row[];

/** Puts `to` where weft.lock has `from`, as a `git pull` bringing a teammate's lock would. */
function relock(ws: string, from: string, to: string): void {
  const file = join(ws, 'weft.lock');
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(from), text);
  writeFileSync(file, text.replace(from, to));
}

test('weft status shows the locked commit, and a checkout weft.lock no longer pins is "not at lock" (exit 1 with --exit-code) until weft up moves it', async () => {
  const w = await statusWorkspace(['alpha', 'beta']);
  try {
    const first = w.upstreams['alpha']!.rev('HEAD');
    const second = w.upstreams['alpha']!.commit('upstream moved', { 'README': 'v2\n' });
    relock(w.ws, first, second);

    const r = await w.run('status', '--exit-code');
    assert.is(r.code, 1, r.stdout + r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME\s+KIND\s+REF\s+LOCKED\s+CHECKED OUT\s+BRANCH\s+STATE$/);
    assert.match(lines[1]!, new RegExp(`^alpha\\s+git\\s+main\\s+${second.slice(0, 12)}\\s+${first.slice(0, 12)}\\s+main\\s+not at lock \\(run weft up\\)$`));
    assert.match(lines[2]!, /^beta\s.*clean$/);

    const [a, b] = rowsOf((await w.run('status', '--json')).stdout) as [Row, Row];
    assert.equal([a.locked, a.recorded, a.revision, a.offLock, a.moved], [second, first, first, true, false]);
    assert.equal([b.locked, b.offLock], [b.revision, false]);

    const up = await w.run('up');
    assert.is(up.code, 0, up.stdout + up.stderr);
    const after = await w.run('status', '--exit-code');
    assert.is(after.code, 0, after.stdout);
    assert.match(after.stdout, new RegExp(`^alpha\\s+git\\s+main\\s+${second.slice(0, 12)}\\s+${second.slice(0, 12)}\\s+main\\s+clean$`, 'm'));
  } finally {
    w.cleanup();
  }
});

test('weft status --exit-code exits 1 when weft.lock pins an older commit than the one weft placed (git checkout weft.lock after weft update)', async () => {
  const w = await statusWorkspace(['alpha']);
  try {
    const lockText = readFileSync(join(w.ws, 'weft.lock'), 'utf8');
    const first = w.upstreams['alpha']!.rev('HEAD');
    const second = w.upstreams['alpha']!.commit('upstream moved', { 'README': 'v2\n' });
    assert.is((await w.run('update', 'alpha')).code, 0);
    writeFileSync(join(w.ws, 'weft.lock'), lockText);

    const r = await w.run('status', '--exit-code');
    assert.is(r.code, 1, r.stdout);
    assert.match(r.stdout, /alpha .*not at lock \(run weft up\)$/m);
    const row = rowsOf((await w.run('status', '--json')).stdout)[0]!;
    assert.equal([row.locked, row.recorded, row.revision, row.offLock, row.moved], [first, second, second, true, false]);
  } finally {
    w.cleanup();
  }
});

test('weft status says only "moved" for a commit of yours on a locked checkout, with the locked commit beside it', async () => {
  const w = await statusWorkspace(['alpha']);
  try {
    const first = w.upstreams['alpha']!.rev('HEAD');
    const alpha = join(w.ws, 'alpha');
    writeFileSync(join(alpha, 'mine.txt'), 'mine\n');
    git(w.sb, alpha, 'add', 'mine.txt');
    git(w.sb, alpha, 'commit', '--quiet', '-m', 'local work');
    const r = await w.run('status', '--exit-code');
    assert.is(r.code, 1);
    assert.match(r.stdout, new RegExp(`^alpha\\s+git\\s+main\\s+${first.slice(0, 12)}\\s+[0-9a-f]{12}\\s+main\\s+moved, ahead 1$`, 'm'));
    const row = rowsOf((await w.run('status', '--json')).stdout)[0]!;
    assert.equal([row.locked, row.recorded, row.moved, row.offLock], [first, first, true, true]);
  } finally {
    w.cleanup();
  }
});

test('weft status does not call a branch made active by weft switch off the lock: it shows the locked commit, and --exit-code passes', async () => {
  const w = await branchWorkspace();
  try {
    const main = w.upstreams['lib']!.rev('main');
    const feature = w.upstreams['lib']!.rev('feature');
    assert.is((await w.run('switch', 'lib', 'feature')).code, 0);
    const row = rowsOf((await w.run('status', '--json')).stdout)[0]!;
    assert.equal([row.switched, row.locked, row.revision, row.offLock, row.moved], ['worktree', main, feature, false, false]);
    const r = await w.run('status', '--exit-code');
    assert.is(r.code, 0, r.stdout);
    assert.match(r.stdout, /^lib .*switched \(own checkout\)$/m);
  } finally {
    w.cleanup();
  }
});

test('weft status with no weft.lock shows no locked commit and does not fail --exit-code for it', async () => {
  const w = await statusWorkspace(['alpha']);
  try {
    execFileSync('rm', [join(w.ws, 'weft.lock')]);
    const r = await w.run('status', '--exit-code');
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^alpha\s+git\s+main\s+-\s+[0-9a-f]{12}\s+main\s+clean$/m);
    assert.equal(rowsOf((await w.run('status', '--json')).stdout).map((x) => [x.locked, x.offLock]), [[null, false]]);
  } finally {
    w.cleanup();
  }
});

test('weft status still shows the checkouts when weft.lock cannot be read (a merge conflict), and reports the lock error with its place', async () => {
  const w = await statusWorkspace(['alpha']);
  try {
    const file = join(w.ws, 'weft.lock');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^(\s+commit: .*)$/m, '<<<<<<< HEAD\n$1\n=======\n$1\n>>>>>>> theirs'));
    const r = await w.run('status');
    assert.is(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /^alpha\s+git\s+main\s+-\s+[0-9a-f]{12}\s+main\s+clean$/m);
    assert.match(r.stderr, /weft\.lock:\d+:\d+: error WEFT_E_LOCK/);
  } finally {
    w.cleanup();
  }
});

test('weft status compares an svn working copy by its last-changed revision, as weft.lock records it', async () => {
  const t = tempDir('weft-status-svn-');
  try {
    const env = isolatedEnv(t.dir);
    const repo = makeSvnRepo(t.dir, env);
    const locked = repo.commit({ 'README': 'trunk 1\n' });
    // The repository moves on outside trunk: trunk's checkout is still what the lock pins.
    repo.commitElsewhere();
    const ws = join(t.dir, 'ws');
    mkdirSync(ws);
    writeFileSync(join(ws, 'weft.yaml'), `sources:\n  docs:\n    svn: ${repo.trunk}\n`);
    const run = (...args: string[]) => weft(args, { cwd: ws, env });
    assert.is((await run('up', '-q')).code, 0);
    const clean = await run('status', '--exit-code');
    assert.is(clean.code, 0, clean.stdout);
    assert.equal(rowsOf((await run('status', '--json')).stdout).map((x) => [x.locked, x.revision, x.offLock, x.moved]), [[String(locked), String(locked), false, false]]);

    const next = repo.commit({ 'README': 'trunk 2\n' });
    relock(ws, `revision: "${locked}"`, `revision: "${next}"`);
    const off = await run('status', '--exit-code');
    assert.is(off.code, 1, off.stdout);
    assert.match(off.stdout, new RegExp(`^docs\\s+svn\\s+-\\s+${next}\\s+${locked}\\s+-\\s+not at lock \\(run weft up\\)$`, 'm'));
    assert.is((await run('up', '-q')).code, 0);
    assert.is((await run('status', '--exit-code')).code, 0);
  } finally {
    t.cleanup();
  }
});

test.run();
