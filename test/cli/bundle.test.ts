import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { git } from '../helpers/git-repo.js';
import { bundleWorld, gitFacts, hgNode, listing, treeOf, type BundleWorld } from '../helpers/bundle-world.js';
import type { WeftResult } from '../helpers/cli.js';
import { scratchName } from '../../src/fetch/tmp.js';

function ok(r: WeftResult, what: string): void {
  assert.is(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
}

async function sentBundle(w: BundleWorld, ...extra: string[]): Promise<string> {
  ok(await w.send('up'), 'weft up (sender)');
  const file = join(w.sb.root, 'sprint.weft.tar');
  const r = await w.send('bundle', '-o', file, ...extra);
  ok(r, 'weft bundle');
  assert.match(r.stdout, /sha256 [0-9a-f]{64}/);
  assert.match(r.stderr, /weft: bundling app/);
  return file;
}

test('a workspace built from a bundle with the network gone equals one built from the network, commit for commit and file for file', async () => {
  const w = await bundleWorld({ svn: true, hg: true });
  try {
    const file = await sentBundle(w);
    await w.goOffline();
    const r = await w.receive('init', '--from', file);
    ok(r, 'weft init --from');
    for (const name of ['app', 'devline', 'tagged']) {
      assert.equal(gitFacts(w.sb, join(w.receiver, name)), gitFacts(w.sb, join(w.sender, name)), `git source ${name}`);
    }
    assert.is(gitFacts(w.sb, join(w.receiver, 'app')).branch, 'refs/heads/main');
    assert.is(gitFacts(w.sb, join(w.receiver, 'devline')).upstream, 'origin/dev');
    for (const name of ['app', 'devline', 'tagged', 'pkg', 'docs', 'notes']) {
      assert.equal(treeOf(join(w.receiver, name)), treeOf(join(w.sender, name)), `files of ${name}`);
    }
    assert.ok(Object.keys(treeOf(join(w.receiver, 'docs'))).includes('tools/run.sh'));
    assert.is(hgNode(join(w.receiver, 'notes'), w.receiverEnv), hgNode(join(w.sender, 'notes'), w.senderEnv));
    assert.is(readFileSync(join(w.receiver, 'weft.yaml'), 'utf8'), readFileSync(join(w.sender, 'weft.yaml'), 'utf8'));
    assert.is(readFileSync(join(w.receiver, 'weft.lock'), 'utf8'), readFileSync(join(w.sender, 'weft.lock'), 'utf8'));
    assert.match(r.stderr, /weft: checking app/);
    // The summary says what the bundle placed: the hg clone and the svn export are new here,
    // not "unchanged" or "not selected".
    assert.match(r.stdout, /\+ notes +cloned /);
    // A later weft up keeps the export as it is (a working copy needs the server): the way
    // to one is to move the export away first.
    assert.match(r.stdout, /\+ docs +cloned +\S+\n +from the bundle: an export of the locked revision, not a working copy \(for one: move it away, then weft up with the network\)\n/);
    assert.not.match(r.stdout, /not selected|unchanged/);
    // The svn export is no working copy, but a later offline run accepts it as it is.
    const again = await w.receive('up', '--offline', '--json');
    ok(again, 'weft up --offline after init --from');
    const docs = (JSON.parse(again.stdout) as { checkouts: Array<{ name: string; status: string; message?: string }> }).checkouts.find((c) => c.name === 'docs');
    assert.is(docs?.status, 'unchanged');
    assert.match(docs?.message ?? '', /from a bundle/);
    // With the server back, the way the summary gives to a working copy works.
    renameSync(join(w.sb.root, 'svn.away'), join(w.sb.root, 'svn'));
    renameSync(join(w.receiver, 'docs'), join(w.receiver, 'docs.export'));
    ok(await w.receive('up', 'docs'), 'weft up docs with the server back');
    assert.ok(existsSync(join(w.receiver, 'docs', '.svn')), 'docs is an svn working copy');
  } finally {
    await w.cleanup();
  }
});

test('after up --from, a later weft up --offline rebuilds removed checkouts from the filled cache', async () => {
  const w = await bundleWorld();
  try {
    const file = await sentBundle(w);
    await w.goOffline();
    ok(await w.receive('up', '--from', file), 'weft up --from');
    const before = gitFacts(w.sb, join(w.receiver, 'app'));
    const pkgBefore = treeOf(join(w.receiver, 'pkg'));
    rmSync(join(w.receiver, 'app'), { recursive: true });
    rmSync(join(w.receiver, 'pkg'), { recursive: true });
    ok(await w.receive('up', '--offline'), 'weft up --offline');
    assert.equal(gitFacts(w.sb, join(w.receiver, 'app')), before);
    assert.equal(treeOf(join(w.receiver, 'pkg')), pkgBefore);
    assert.ok(listing(join(w.receiverEnv.WEFT_CACHE_DIR!, 'archive-files')).length === 1, 'the archive’s original bytes are kept for the next bundle');
  } finally {
    await w.cleanup();
  }
});

test('origin of every git checkout made from a bundle is the real URL, so people can push later', async () => {
  const w = await bundleWorld();
  try {
    const file = await sentBundle(w);
    await w.goOffline();
    ok(await w.receive('init', '--from', file), 'weft init --from');
    const origin = git(w.sb, join(w.receiver, 'app'), 'remote', 'get-url', 'origin');
    assert.is(origin, join(w.sb.root, 'upstream', 'app'));
  } finally {
    await w.cleanup();
  }
});

test("the sender's weft.local.yaml stays out of the bundle, and the receiver gets the committed manifest's sources", async () => {
  const w = await bundleWorld();
  try {
    ok(await w.send('up'), 'weft up (sender)');
    // A personal override: this sender develops app from a directory of their own.
    writeFileSync(join(w.sender, 'weft.local.yaml'), `sources:\n  app:\n    local: ${join(w.sb.root, 'upstream', 'app')}\n`);
    const file = join(w.sb.root, 'sprint.weft.tar');
    ok(await w.send('bundle', '-o', file), 'weft bundle');
    const entries = execFileSync('tar', ['tf', file], { encoding: 'utf8' }).split('\n');
    assert.not.ok(entries.some((e) => e.includes('weft.local.yaml')), entries.join('\n'));
    assert.ok(entries.includes('git/app.bundle'), entries.join('\n'));
    await w.goOffline();
    ok(await w.receive('init', '--from', file), 'weft init --from');
    assert.not.ok(existsSync(join(w.receiver, 'weft.local.yaml')));
    assert.ok(existsSync(join(w.receiver, 'app', '.git')));
  } finally {
    await w.cleanup();
  }
});

test('--depth 1 bundles only the locked commit of each git source, and the receiver still checks it out', async () => {
  const w = await bundleWorld();
  try {
    const full = await sentBundle(w);
    const shallow = join(w.sb.root, 'shallow.weft.tar');
    ok(await w.send('bundle', '-o', shallow, '--depth', '1'), 'weft bundle --depth 1');
    assert.ok(readFileSync(shallow).length < readFileSync(full).length, 'the cut bundle is smaller');
    await w.goOffline();
    ok(await w.receive('init', '--from', shallow), 'weft init --from (shallow)');
    const app = join(w.receiver, 'app');
    assert.is(git(w.sb, app, 'rev-list', '--count', 'HEAD'), '1');
    assert.is(git(w.sb, app, 'rev-parse', 'HEAD'), git(w.sb, join(w.sender, 'app'), 'rev-parse', 'HEAD'));
    assert.equal(treeOf(app), treeOf(join(w.sender, 'app')));
  } finally {
    await w.cleanup();
  }
});

test('--depth takes decimal digits only: 0, 1e2, 0x10, 1.5 and " 8" are usage errors and write no file', async () => {
  const w = await bundleWorld();
  try {
    ok(await w.send('up'), 'weft up (sender)');
    const file = join(w.sb.root, 'never.weft.tar');
    for (const value of ['0', '1e2', '0x10', '1.5', ' 8']) {
      const r = await w.send('bundle', '-o', file, '--depth', value);
      assert.is(r.code, 2, `--depth "${value}": ${r.stderr}`);
      assert.match(r.stderr, `--depth needs a positive whole number, got "${value}"`);
      assert.not.ok(existsSync(file), `--depth "${value}" wrote no file`);
    }
  } finally {
    await w.cleanup();
  }
});

test('weft bundle refuses a workspace whose lock does not pin the manifest, and writes no file', async () => {
  const w = await bundleWorld();
  try {
    const file = join(w.sb.root, 'x.weft.tar');
    const r = await w.send('bundle', '-o', file);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /WEFT_E_BUNDLE_LOCK/);
    assert.match(r.stderr, /weft lock/);
    assert.not.ok(existsSync(file));
  } finally {
    await w.cleanup();
  }
});

test('weft up --from refuses a bundle made for another version of the manifest', async () => {
  const w = await bundleWorld();
  try {
    const file = await sentBundle(w);
    ok(await w.receive('init'), 'weft init');
    const r = await w.receive('up', '--from', file);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /WEFT_E_BUNDLE_MISMATCH/);
    // It says which bundle this is.
    assert.match(r.stderr, /the bundle \(project "sprint-demo", made [0-9-]+\) was made for another version of this workspace/);
    assert.equal(listing(w.receiver), ['.gitignore', 'weft.yaml']);
    // A manifest naming another project: said so, both names given.
    writeFileSync(join(w.receiver, 'weft.yaml'), 'weft: 1\nname: "payroll"  # ours\nsources: {}\n');
    const other = await w.receive('up', '--from', file);
    assert.is(other.code, 1, other.stderr);
    assert.match(other.stderr, /the bundle is of another project \(project "sprint-demo", made [0-9-]+; this workspace is "payroll"\)/);
    // The same project's manifest, edited since: another version of it.
    writeFileSync(join(w.receiver, 'weft.yaml'), readFileSync(join(w.sender, 'weft.yaml'), 'utf8') + '# edited\n');
    const edited = await w.receive('up', '--from', file);
    assert.is(edited.code, 1, edited.stderr);
    assert.match(edited.stderr, /the bundle \(project "sprint-demo", made [0-9-]+\) was made for another version of this workspace/);
  } finally {
    await w.cleanup();
  }
});

test('weft up --from in a clone of the project (same manifest and lock) sets it up offline', async () => {
  const w = await bundleWorld();
  try {
    const file = await sentBundle(w);
    await w.goOffline();
    for (const f of ['weft.yaml', 'weft.lock']) copyFileSync(join(w.sender, f), join(w.receiver, f));
    ok(await w.receive('up', '--from', file), 'weft up --from');
    for (const name of ['app', 'devline', 'tagged']) {
      assert.equal(gitFacts(w.sb, join(w.receiver, name)), gitFacts(w.sb, join(w.sender, name)), `git source ${name}`);
    }
    assert.equal(treeOf(join(w.receiver, 'pkg')), treeOf(join(w.sender, 'pkg')));
  } finally {
    await w.cleanup();
  }
});

test('weft up --from refuses a bundle of another lock than the workspace’s, naming the entry, and checks nothing out', async () => {
  const w = await bundleWorld();
  try {
    const file = await sentBundle(w);
    await w.goOffline();
    copyFileSync(join(w.sender, 'weft.yaml'), join(w.receiver, 'weft.yaml'));
    const head = git(w.sb, join(w.sender, 'app'), 'rev-parse', 'HEAD');
    const older = git(w.sb, join(w.sender, 'app'), 'rev-parse', 'HEAD~1');
    writeFileSync(join(w.receiver, 'weft.lock'), readFileSync(join(w.sender, 'weft.lock'), 'utf8').replace(head, older));
    const r = await w.receive('up', '--from', file);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /WEFT_E_BUNDLE_MISMATCH/);
    assert.match(r.stderr, /entry git\/app\.bundle/);
    assert.equal(listing(w.receiver), ['weft.lock', 'weft.yaml']);
    assert.equal(listing(join(w.receiverEnv.WEFT_CACHE_DIR!, 'git')), []);
  } finally {
    await w.cleanup();
  }
});

test('what a killed weft bundle left beside its output (named with its host and pid) is removed by the next bundle made there; a live one\'s is not', async () => {
  const w = await bundleWorld();
  try {
    ok(await w.send('up'), 'weft up (sender)');
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => dead.once('close', r));
    const [host] = scratchName().split('-');
    const left = join(w.sb.root, `.sprint.weft.tar.weft-tmp-${host}-${dead.pid}-0123456789ab`);
    const live = join(w.sb.root, `.sprint.weft.tar.weft-tmp-${host}-${process.pid}-0123456789ab`);
    for (const f of [left, live]) writeFileSync(f, 'half a bundle');
    ok(await w.send('bundle', '-o', join(w.sb.root, 'sprint.weft.tar')), 'weft bundle');
    assert.not.ok(existsSync(left), 'the dead bundle\'s temporary file is gone');
    assert.ok(existsSync(live), 'a live one is left alone');
  } finally {
    await w.cleanup();
  }
});

test('weft bundle is a user of the cache as weft up is: while weft cache prune holds it, the bundle waits and says so, then bundles', async () => {
  const w = await bundleWorld();
  try {
    ok(await w.send('up'), 'weft up (sender)');
    // A `weft cache prune` at work (this process stands in for it).
    const held = join(w.senderEnv['WEFT_CACHE_DIR']!, 'maintenance.lock');
    writeFileSync(held, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose: 'weft cache prune', nonce: 'test' }));
    const file = join(w.sb.root, 'sprint.weft.tar');
    const running = w.send('bundle', '-o', file);
    await new Promise((r) => setTimeout(r, 1500));
    assert.not.ok(existsSync(file), 'no bundle while the cache is being pruned');
    rmSync(held);
    const r = await running;
    ok(r, 'weft bundle after the prune');
    assert.match(r.stderr, `weft: waiting for "weft cache prune" (pid ${process.pid}) to finish with the cache`);
    assert.ok(existsSync(file));
  } finally {
    await w.cleanup();
  }
});

test.run();
