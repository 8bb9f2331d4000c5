import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { branchWorkspace } from '../helpers/branch-workspace.js';
import { git } from '../helpers/git-repo.js';
import { statusWorkspace } from '../helpers/status-workspace.js';

const NAMES = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];

test('weft foreach -j 4 prints each source under its header in manifest order whatever finishes first', async () => {
  const w = await statusWorkspace(NAMES);
  try {
    // The first sources sleep longest so they finish last; output must still follow the manifest.
    const script = 'case $WEFT_SOURCE_NAME in alpha) sleep 0.6;; beta) sleep 0.3;; esac; echo "out $WEFT_SOURCE_NAME"; echo "err $WEFT_SOURCE_NAME" >&2';
    const r = await w.run('foreach', '-j', '4', '--', 'sh', '-c', script);
    assert.is(r.code, 0, r.stderr);
    // Within a section, stdout and stderr come through two pipes: their order is the
    // kernel's to give, so each section is compared as a set.
    const expected = NAMES.flatMap((n) => [`== ${n} (${join(w.ws, n)})`, `err ${n}`, `out ${n}`]);
    const sections = r.stdout.trimEnd().split('\n');
    for (let i = 0; i < sections.length; i += 3) sections.splice(i + 1, 2, ...sections.slice(i + 1, i + 3).sort());
    assert.equal(sections, expected);
  } finally {
    w.cleanup();
  }
});

test('weft foreach runs in the checkout with the workspace environment and WEFT_SOURCE_* set', async () => {
  const w = await statusWorkspace(['alpha', 'beta']);
  try {
    const r = await w.run('foreach', '--', 'sh', '-c', 'pwd; echo "$WEFT_SOURCE_NAME|$WEFT_SOURCE_DIR|$WEFT_SOURCE_REF|$WEFT_SOURCE_COMMIT"');
    assert.is(r.code, 0, r.stderr);
    for (const n of ['alpha', 'beta']) {
      const dir = join(w.ws, n);
      const commit = w.upstreams[n]!.rev('HEAD');
      assert.ok(r.stdout.includes(`== ${n} (${dir})\n${dir}\n${n}|${dir}|main|${commit}\n`), r.stdout);
    }
  } finally {
    w.cleanup();
  }
});

test('weft foreach: WEFT_SOURCE_COMMIT and WEFT_SOURCE_BRANCH are the HEAD and branch of the directory the command runs in: a local commit not in the lock, a weft switch branch checkout, and the main checkout again after switching back', async () => {
  const w = await branchWorkspace();
  try {
    const main = join(w.ws, 'lib');
    const commitOf = async (): Promise<string> => {
      const r = await w.run('foreach', '--', 'sh', '-c', 'echo "$WEFT_SOURCE_DIR|$WEFT_SOURCE_COMMIT|$WEFT_SOURCE_BRANCH"; git rev-parse HEAD; git symbolic-ref --short -q HEAD || echo "(detached)"');
      assert.is(r.code, 0, r.stderr);
      const [reported, head, branch] = r.stdout.split('\n').slice(1, 4);
      const [dir, commit, named] = reported!.split('|');
      assert.is(commit, head, 'the HEAD where the command ran');
      assert.is(named || '(detached)', branch, 'the branch where the command ran');
      return `${dir}|${commit}|${named}`;
    };
    const locked = git(w.sb, main, 'rev-parse', 'HEAD');
    assert.is(await commitOf(), `${main}|${locked}|main`);

    // A commit made in the checkout, not in weft.lock nor state.json.
    writeFileSync(join(main, 'local.txt'), 'mine\n');
    git(w.sb, main, 'add', 'local.txt');
    git(w.sb, main, 'commit', '-qm', 'local work');
    const local = git(w.sb, main, 'rev-parse', 'HEAD');
    assert.is.not(local, locked);
    assert.is(await commitOf(), `${main}|${local}|main`);

    assert.is((await w.run('switch', 'lib', 'feature')).code, 0);
    const dir = join(w.ws, '.weft-branches', 'lib', 'feature');
    const feature = git(w.sb, dir, 'rev-parse', 'HEAD');
    assert.is(feature, w.upstreams['lib']!.rev('feature'));
    assert.is(await commitOf(), `${dir}|${feature}|feature`);
    writeFileSync(join(dir, 'more.txt'), 'more\n');
    git(w.sb, dir, 'add', 'more.txt');
    git(w.sb, dir, 'commit', '-qm', 'branch work');
    assert.is(await commitOf(), `${dir}|${git(w.sb, dir, 'rev-parse', 'HEAD')}|feature`);

    // Detached (a tag, a locked commit): no branch.
    git(w.sb, dir, 'checkout', '-q', '--detach');
    assert.is(await commitOf(), `${dir}|${git(w.sb, dir, 'rev-parse', 'HEAD')}|`);
    git(w.sb, dir, 'checkout', '-q', 'feature');

    assert.is((await w.run('switch', 'lib')).code, 0);
    assert.is(await commitOf(), `${main}|${local}|main`);
  } finally {
    w.cleanup();
  }
});

test('weft foreach exits 1 and lists the sources where the command failed, after running it everywhere', async () => {
  const w = await statusWorkspace(['alpha', 'beta', 'gamma']);
  try {
    const r = await w.run('foreach', '-j', '2', '--', 'sh', '-c', 'touch ran; test "$WEFT_SOURCE_NAME" != beta');
    assert.is(r.code, 1);
    assert.match(r.stdout, /== beta .*\n\(failed: exit 1\)/);
    assert.match(r.stderr, /failed in 1 of 3:\n  beta: exit 1\n/);
    for (const n of ['alpha', 'beta', 'gamma']) assert.ok(existsSync(join(w.ws, n, 'ran')), `ran in ${n}`);
    const missing = await w.run('foreach', '--', 'no-such-command-weft');
    assert.is(missing.code, 1);
    assert.match(missing.stderr, /alpha: command not found: no-such-command-weft/);
  } finally {
    w.cleanup();
  }
});

test('weft foreach --json prints one document: each source with its status, exit code and its stdout and stderr apart', async () => {
  const w = await statusWorkspace(['alpha', 'beta', 'gamma']);
  try {
    rmSync(join(w.ws, 'gamma'), { recursive: true, force: true });
    const r = await w.run('foreach', '--json', '--', 'sh', '-c', 'echo "out $WEFT_SOURCE_NAME"; echo "err $WEFT_SOURCE_NAME" >&2; test "$WEFT_SOURCE_NAME" != beta');
    assert.is(r.code, 1);
    const doc = JSON.parse(r.stdout) as { interrupted: boolean; sources: Record<string, unknown>[] };
    assert.equal(doc, {
      interrupted: false,
      sources: [
        { name: 'alpha', dir: join(w.ws, 'alpha'), status: 'ok', exitCode: 0, signal: null, stdout: 'out alpha\n', stderr: 'err alpha\n' },
        { name: 'beta', dir: join(w.ws, 'beta'), status: 'failed', why: 'exit 1', exitCode: 1, signal: null, stdout: 'out beta\n', stderr: 'err beta\n' },
        { name: 'gamma', dir: join(w.ws, 'gamma'), status: 'skipped', why: 'checkout missing' },
      ],
    });
    assert.match(r.stderr, /failed in 1 of 3:\n  beta: exit 1\n/);
  } finally {
    w.cleanup();
  }
});

test('weft foreach skips a missing checkout with a note and does not count it as a failure', async () => {
  const w = await statusWorkspace(['alpha', 'beta']);
  try {
    rmSync(join(w.ws, 'alpha'), { recursive: true, force: true });
    const r = await w.run('foreach', '--', 'sh', '-c', 'echo here');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /== alpha .*\n\(skipped: checkout missing; run weft up\)\n== beta .*\nhere\n/);
    assert.not.ok(existsSync(join(w.ws, 'alpha')));
  } finally {
    w.cleanup();
  }
});

test('weft foreach --group runs only in the sources of that group, and rejects an unknown group', async () => {
  const w = await statusWorkspace(['alpha', 'beta', 'gamma'], { alpha: ['core'], gamma: ['core', 'extra'] });
  try {
    const r = await w.run('foreach', '--group', 'core', '--', 'touch', 'ran');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /== alpha/);
    assert.match(r.stdout, /== gamma/);
    assert.not.match(r.stdout, /== beta/);
    assert.ok(existsSync(join(w.ws, 'alpha', 'ran')));
    assert.not.ok(existsSync(join(w.ws, 'beta', 'ran')));
    const bad = await w.run('foreach', '--group', 'nope', '--', 'touch', 'bad');
    assert.is(bad.code, 2);
    assert.match(bad.stderr, /WEFT_E_USAGE/);
    assert.match(bad.stderr, /core, extra/);
    assert.not.ok(existsSync(join(w.ws, 'alpha', 'bad')));
  } finally {
    w.cleanup();
  }
});

test.run();
