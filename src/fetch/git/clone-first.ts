// The cold path for a source whose repository is not in the cache yet: one network
// `git clone` straight into the checkout (what a person would run), then the cache's
// bare mirror built from that clone's objects and refs in node. Cloning a bare mirror
// first and then filling a checkout from it costs one more git process per source, and
// on a cold `weft up` of many sources the processes are most of the time.
// Anything unusual (a shallow depth, a commit ref, offline, a ref git cannot clone by
// name) returns false and the mirror-first path does the work.
import { existsSync, mkdirSync, renameSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { redact } from '../../redact.js';
import type { GitSource } from '../../types.js';
import type { FetcherContext } from '../fetcher.js';
import { madeDir } from '../once.js';
import { removeScratch, scratchName, scratchParent, scratchPrefix } from '../tmp.js';
import { checkoutWant } from './clone.js';
import { gitFailure } from './failure.js';
import { linkObjects, quoted } from './materialize.js';
import { lockMirror, mirrorPath, STAMP } from './mirror.js';
import { isFullCommit, isValidRefName } from './ref.js';
import { gitDirOf, listRefs, readHead, readSymref } from './refs-fs.js';
import type { Git, GitCredentials } from './run.js';
import { leanCloneArgs } from './template.js';
import { atWant } from './update.js';
import { resolveWant } from './want.js';

/** The branch or tag name to clone, '' for the remote's default; undefined when not clonable by name. */
function cloneName(s: GitSource): string | undefined {
  const ref = s.ref;
  if (ref === undefined) return '';
  if (isFullCommit(ref)) return undefined;
  if (ref.startsWith('refs/heads/') || ref.startsWith('refs/tags/')) return ref.replace(/^refs\/(heads|tags)\//, '');
  return ref.startsWith('refs/') ? undefined : ref;
}

/** Clones `s` (url without credentials) into `s.dir` and publishes its mirror; false to use the mirror-first path. */
export async function cloneFirst(git: Git, ctx: FetcherContext, s: GitSource, creds: GitCredentials | undefined): Promise<boolean> {
  if (ctx.offline || s.depth || process.platform === 'darwin' || process.platform === 'win32') return false;
  const name = cloneName(s);
  if (name === undefined) return false;
  const mirror = mirrorPath(ctx.cacheDir, s.url);
  // Any entry at all, whole or damaged, is the mirror-first path's (which heals a damaged one).
  if (existsSync(mirror)) return false;
  ctx.joining?.leave();
  await madeDir(ctx, join(ctx.cacheDir, 'git'));
  const parent = dirname(s.dir);
  await scratchParent(ctx, parent);
  const tmp = join(parent, scratchPrefix(s.dir) + scratchName());
  try {
    // Held while cloning, as for a mirror clone: another weft filling the same entry waits.
    const lock = await lockMirror(ctx, mirror, s.url, s.name);
    try {
      if (existsSync(mirror)) return false;
      ctx.report({ name: s.name, phase: 'fetching', message: redact(s.url) });
      const lean = await leanCloneArgs(ctx);
      const res = await git([...lean.global, 'clone', '--quiet', ...lean.clone, ...(name ? ['--branch', name] : []), '--', s.url, tmp], { network: true, creds });
      if (res.code !== 0) {
        // Not a branch or tag (an abbreviated commit, say): the mirror-first path resolves it.
        if (name && /Remote branch .* not found/.test(res.stderr)) return false;
        throw gitFailure(`cloning ${redact(s.url)}`, res, s.url);
      }
      await madeDir(ctx, join(ctx.cacheDir, 'tmp'));
      if (!publishMirror(join(tmp, '.git'), mirror, s.url, ctx.cacheDir)) return false;
    } finally {
      lock.release();
    }
    ctx.report({ name: s.name, phase: 'checkout' });
    const want = await resolveWant(git, mirror, s);
    if (!atWant(readHead(join(tmp, '.git')), want)) {
      // A locked commit behind the branch: here when the clone has it, else the mirror fetches it.
      if ((await git(['cat-file', '-e', `${want.commit}^{commit}`], { cwd: tmp })).code !== 0) return false;
      await checkoutWant(git, tmp, want, false);
    }
    if (existsSync(s.dir)) rmdirSync(s.dir);
    renameSync(tmp, s.dir);
    return gitDirOf(s.dir) !== undefined;
  } finally {
    removeScratch(tmp);
  }
}

/**
 * Builds the bare mirror from a fresh clone's .git: objects hardlinked, origin/* as
 * branches, tags, HEAD as the remote's default branch. Made in the cache's tmp/ and
 * renamed into place last, as a mirror clone is. False when the clone is not plain.
 * Only what git needs of a bare repository is written (HEAD, config, objects/, refs/,
 * packed-refs): git makes refs/heads/ and the rest when it first writes there.
 */
function publishMirror(gitDir: string, mirror: string, url: string, cacheDir: string): boolean {
  if (/[\0\n\r]/.test(url) || existsSync(join(gitDir, 'shallow'))) return false;
  const remotes = listRefs(gitDir, 'refs/remotes/origin/');
  const tags = listRefs(gitDir, 'refs/tags/');
  if (!remotes || !tags) return false;
  const packed: [string, string, string | undefined][] = [];
  for (const [ref, v] of remotes) {
    const branch = ref.slice('refs/remotes/origin/'.length);
    if (branch !== 'HEAD' && isValidRefName(branch)) packed.push([`refs/heads/${branch}`, v.commit, v.peeled]);
  }
  for (const [ref, v] of tags) if (isValidRefName(ref.slice('refs/tags/'.length))) packed.push([ref, v.commit, v.peeled]);
  const remoteHead = readSymref(gitDir, 'refs/remotes/origin/HEAD')?.replace(/^refs\/remotes\/origin\//, '');
  const head = remoteHead ?? readHead(gitDir)?.branch;
  if (head === undefined || !packed.some(([ref]) => ref === `refs/heads/${head}`)) return false;
  packed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const lines = ['# pack-refs with: sorted '];
  for (const [ref, commit, peeled] of packed) lines.push(`${commit} ${ref}`, ...(peeled ? [`^${peeled}`] : []));

  // The scratch directory is the mirror itself: one directory fewer to make and remove.
  // (cache/tmp is made by the caller, once per run.)
  const m = join(cacheDir, 'tmp', scratchName());
  try {
    // Synchronous, as in materialize.ts: a handful of small files, each cheaper to write
    // than to hand to the thread pool.
    mkdirSync(join(m, 'objects', 'pack'), { recursive: true });
    if (!linkObjects(join(gitDir, 'objects'), join(m, 'objects'))) return false;
    mkdirSync(join(m, 'refs'));
    writeFileSync(join(m, 'packed-refs'), lines.join('\n') + '\n');
    writeFileSync(join(m, 'HEAD'), `ref: refs/heads/${head}\n`);
    writeFileSync(join(m, 'config'), ['[core]', '\trepositoryformatversion = 0', '\tfilemode = true', '\tbare = true', '[remote "origin"]', `\turl = ${quoted(url)}`, ''].join('\n'));
    writeFileSync(join(m, STAMP), '');
    renameSync(m, mirror);
    return true;
  } finally {
    removeScratch(m);
  }
}
