// A second workspace on a warm cache: its new checkouts' work trees are written by one git
// process for several checkouts (checkout-batch.ts). Each checkout must come out exactly as
// its own `git read-tree` would have made it: the same files, modes, symlinks and line
// endings, an index that is the tree with the files' own stat data, and a cache-tree.
// A `git` on PATH that logs its arguments shows which way the work was done.
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mirrorPath, up } from '../../src/fetch/index.js';
import { parseIndex } from '../../src/fetch/git/index-file.js';
import type { GitSource } from '../../src/types.js';
import { git, gitSandbox, gitSource, makePlan, makeUpstream, type GitSandbox } from '../helpers/git-repo.js';

let sb: GitSandbox;
let log: string;
let sources: (ws: string) => GitSource[];
const SOURCES = 6;
/** The source that follows its branch: fetched again in each run. */
const FOLLOWED = 5;

test.before.each(() => {
  sb = gitSandbox();
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const bin = join(sb.root, 'bin');
  mkdirSync(bin);
  log = join(sb.root, 'git.log');
  writeFileSync(
    join(bin, 'git'),
    [
      '#!/bin/sh',
      `printf '%s\\n' "$*" >>'${log}'`,
      // The scratch repository of a shared job: who may write the scripts run there.
      `for a; do case $a in --git-dir=*) stat -c 'scratch mode %a' "\${a#--git-dir=}" >>'${log}';; esac; done`,
      'case "$*" in *--work-tree=*) [ -n "$WEFT_TEST_FAIL_GROUP" ] && exit 1;; esac',
      `exec '${realGit}' "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(join(bin, 'git'), 0o755);
  sb.env.PATH = `${bin}:${sb.env.PATH}`;

  const ups = Array.from({ length: SOURCES }, (_, i) => makeUpstream(sb, `u${i}`));
  const [nested, eol, emptied] = ups;
  mkdirSync(join(nested!.dir, 'bin'));
  writeFileSync(join(nested!.dir, 'bin', 'tool'), '#!/bin/sh\necho tool\n');
  chmodSync(join(nested!.dir, 'bin', 'tool'), 0o755);
  symlinkSync('bin/tool', join(nested!.dir, 'tool-link'));
  nested!.commit('nested', { 'src/pkg/deep/mod.py': 'x = 1\n', 'src/pkg/__init__.py': '' });
  nested!.tag('v1');
  eol!.commit('crlf', { '.gitattributes': '*.txt text eol=crlf\n', 'notes.txt': 'one\ntwo\n' });
  git(sb, emptied!.dir, 'rm', '-rq', '.');
  git(sb, emptied!.dir, 'commit', '--quiet', '-m', 'empty');
  const pinned = ups[3]!.commit('pinned', { 'p.txt': 'p\n' });
  ups[3]!.commit('later', { 'p.txt': 'later\n' });
  // As a lock file has them: pinned (the tag by name). One branch is followed unpinned: it
  // is fetched first and comes to its checkout later, alone or with the others.
  const heads = ups.map((u) => git(sb, u.dir, 'rev-parse', 'HEAD'));
  const at = (i: number) => (i === 0 ? { ref: 'v1' } : i === 3 ? { ref: 'main', commit: pinned } : i === FOLLOWED ? { ref: 'main' } : { ref: 'main', commit: heads[i] });
  sources = (ws) => ups.map((u, i) => gitSource(sb, `s${i}`, { url: u.dir, dir: join(ws, `s${i}`), ...at(i) }));
  mkdirSync(join(sb.root, 'ws2'));
});
test.after.each(() => sb.cleanup());

const opts = () => ({ env: sb.env, cacheDir: sb.cache });
const gitLog = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);

/** Every file under `dir` but .git: path, kind and mode, content or link target. */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((p) => p !== '.git' && !p.startsWith('.git/'))
    .sort()
    .map((p) => {
      const st = lstatSync(join(dir, p));
      const what = st.isSymbolicLink() ? `-> ${readlinkSync(join(dir, p))}` : st.isDirectory() ? 'dir' : JSON.stringify(readFileSync(join(dir, p), 'utf8'));
      return `${p} ${(st.mode & 0o777).toString(8)} ${what}`;
    });
}

/** Both workspaces' checkouts, compared, and each checked the way git sees it. */
function assertSame(ws1: string, ws2: string): void {
  for (let i = 0; i < SOURCES; i++) {
    const a = join(ws1, `s${i}`);
    const b = join(ws2, `s${i}`);
    assert.equal(tree(b), tree(a), `s${i}: the same files as a checkout of its own`);
    assert.is(git(sb, b, 'rev-parse', 'HEAD'), git(sb, a, 'rev-parse', 'HEAD'));
    // The .git around it, as the clone has it: refs, the branch and its upstream, origin.
    const refs = (d: string) => git(sb, d, 'for-each-ref', '--format=%(refname) %(objectname) %(symref) %(upstream)');
    assert.is(refs(b), refs(a), `s${i} refs`);
    assert.is(git(sb, b, 'rev-parse', '--abbrev-ref', 'HEAD'), git(sb, a, 'rev-parse', '--abbrev-ref', 'HEAD'));
    assert.is(git(sb, b, 'remote', 'get-url', 'origin'), git(sb, a, 'remote', 'get-url', 'origin'));
    assert.ok(lstatSync(join(b, '.git', 'info')).isDirectory() && lstatSync(join(b, '.git', 'hooks')).isDirectory());
    assert.is(git(sb, b, 'status', '--porcelain'), '', `s${i} status`);
    assert.is(git(sb, b, 'diff-index', '--cached', 'HEAD'), '', `s${i}: the index is HEAD's tree`);
    // Compares stat data only: an entry whose recorded stat is not its file's shows here.
    assert.is(git(sb, b, 'diff-files'), '', `s${i}: the index holds the files' stat data`);
    const index = parseIndex(readFileSync(join(b, '.git', 'index')))!;
    assert.is(index.tree?.oid?.toString('hex'), git(sb, b, 'rev-parse', 'HEAD^{tree}'), `s${i}: the cache-tree`);
  }
  assert.ok(tree(join(ws2, 's1')).some((l) => l.startsWith('notes.txt ') && l.includes('\\r\\n')), 'eol=crlf applied');
  assert.equal(readdirSync(join(sb.cache, 'tmp')), [], 'no scratch left in the cache');
}

test('one git process writes several new checkouts, each as its own read-tree would', async () => {
  const first = await up(makePlan(sb.workspace, sources(sb.workspace)), opts());
  assert.ok(first.every((c) => c.status === 'cloned'), JSON.stringify(first));
  writeFileSync(log, '');
  const ws2 = join(sb.root, 'ws2');
  const second = await up(makePlan(ws2, sources(ws2)), opts());
  assert.ok(second.every((c) => c.status === 'cloned'), JSON.stringify(second));
  // The pinned ones wait for each other: one group; the followed one joins it or comes alone.
  const readTrees = gitLog().filter((l) => l.includes('read-tree'));
  assert.is(readTrees.filter((l) => l.includes('--work-tree=')).length, 1, readTrees.join('\n'));
  assert.ok(readTrees.length <= 2, `${readTrees.length} read-tree processes for ${SOURCES} checkouts`);
  // Every commit was read in node: git was not asked for the trees.
  assert.not.ok(gitLog().some((l) => /--git-dir=.* (rev-parse|mktree) /.test(l)), gitLog().join('\n'));
  assert.ok(gitLog().includes('scratch mode 700'), 'the job scripts\' directory is its owner\'s alone');
  assertSame(sb.workspace, ws2);
});

test('with -j 1 the sources still start while a group waits, and the pinned ones share one job', async () => {
  await up(makePlan(sb.workspace, sources(sb.workspace)), opts());
  writeFileSync(log, '');
  const ws2 = join(sb.root, 'ws2');
  const second = await up(makePlan(ws2, sources(ws2)), { ...opts(), jobs: 1 });
  assert.ok(second.every((c) => c.status === 'cloned'), JSON.stringify(second));
  const readTrees = gitLog().filter((l) => l.includes('read-tree'));
  assert.is(readTrees.filter((l) => l.includes('--work-tree=')).length, 1, readTrees.join('\n'));
  assert.ok(readTrees.length <= 2, readTrees.join('\n'));
  assertSame(sb.workspace, ws2);
});

test('a source whose mirror is damaged is healed on its own while the others share a group', async () => {
  const plan1 = sources(sb.workspace);
  await up(makePlan(sb.workspace, plan1), opts());
  // An emptied HEAD: the mirror's shape shows it before any git runs there.
  writeFileSync(join(mirrorPath(sb.cache, plan1[2]!.url), 'HEAD'), '');
  writeFileSync(log, '');
  const ws2 = join(sb.root, 'ws2');
  const second = await up(makePlan(ws2, sources(ws2)), opts());
  assert.ok(second.every((c) => c.status === 'cloned'), JSON.stringify(second));
  assert.equal(second.filter((c) => c.cacheHealed).map((c) => c.name), ['s2']);
  assert.is(gitLog().filter((l) => l.includes('--work-tree=')).length, 1, gitLog().join('\n'));
  assertSame(sb.workspace, ws2);
});

test('a commit node cannot read (stored as a delta) has git look the trees up, with the same result', async () => {
  // Commits with long, equal messages: git stores all but one as deltas of another.
  const deltas = makeUpstream(sb, 'deltas');
  const long = 'x'.repeat(3000);
  const old = deltas.commit(long, { 'd.txt': 'one\n' });
  for (let i = 0; i < 4; i++) deltas.commit(`${long} ${i}`, { 'd.txt': `${i}\n` });
  git(sb, deltas.dir, 'repack', '-adfq', '--window=50', '--depth=50');
  const more = (ws: string) => [...sources(ws), gitSource(sb, 'sd', { url: deltas.dir, dir: join(ws, 'sd'), ref: 'main', commit: old })];
  await up(makePlan(sb.workspace, more(sb.workspace)), opts());
  const mirrorPacks = readdirSync(join(sb.cache, 'git'), { recursive: true }).map(String).filter((f) => f.endsWith('.pack'));
  assert.ok(mirrorPacks.length > 0);
  writeFileSync(log, '');
  const ws2 = join(sb.root, 'ws2');
  const second = await up(makePlan(ws2, more(ws2)), opts());
  assert.ok(second.every((c) => c.status === 'cloned'), JSON.stringify(second));
  const lines = gitLog();
  assert.ok(lines.some((l) => /--git-dir=.* mktree /.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => l.includes('--work-tree=')), lines.join('\n'));
  assertSame(sb.workspace, ws2);
  assert.is(readFileSync(join(ws2, 'sd', 'd.txt'), 'utf8'), 'one\n');
  assert.is(git(sb, join(ws2, 'sd'), 'status', '--porcelain'), '');
});

test('a checkout filter in the user\'s config: every checkout is written in its own repository', async () => {
  await up(makePlan(sb.workspace, sources(sb.workspace)), opts());
  // A filter driver (git-lfs, say) runs inside the repository it serves.
  writeFileSync(join(sb.home, '.gitconfig'), '[filter "x"]\n\tsmudge = cat\n\tclean = cat\n');
  writeFileSync(log, '');
  const ws2 = join(sb.root, 'ws2');
  const second = await up(makePlan(ws2, sources(ws2)), opts());
  assert.ok(second.every((c) => c.status === 'cloned'), JSON.stringify(second));
  const readTrees = gitLog().filter((l) => l.includes('read-tree'));
  assert.is(readTrees.length, SOURCES, readTrees.join('\n'));
  assert.not.ok(readTrees.some((l) => l.includes('--work-tree=')));
  assertSame(sb.workspace, ws2);
});

test('a shared job that fails leaves each checkout to its own read-tree, with the same result', async () => {
  await up(makePlan(sb.workspace, sources(sb.workspace)), opts());
  writeFileSync(log, '');
  const ws2 = join(sb.root, 'ws2');
  const second = await up(makePlan(ws2, sources(ws2)), { ...opts(), env: { ...sb.env, WEFT_TEST_FAIL_GROUP: '1' } });
  assert.ok(second.every((c) => c.status === 'cloned'), JSON.stringify(second));
  const lines = gitLog();
  assert.ok(lines.some((l) => l.includes('--work-tree=')), 'the shared job was tried');
  assert.is(lines.filter((l) => l.endsWith('read-tree --reset -u HEAD')).length, SOURCES);
  assertSame(sb.workspace, ws2);
});

test.run();
