// A git bundle, received: fetched into a scratch bare repository (with the sender's
// shallow boundary, so a cut history still passes git's connectivity check), checked
// against the lock, then made the cache's mirror — or merged into the one already there.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { redact } from '../../redact.js';
import { acquireLock } from '../lockfile.js';
import { mirrorPath } from '../git/mirror.js';
import { readRef } from '../git/refs-fs.js';
import { createGit, type Git } from '../git/run.js';
import { fetcherContext, type BundleContext } from './context.js';
import { badBundle, type BundledSource } from './format.js';

type GitBundled = Extract<BundledSource, { type: 'git' }>;

export interface ReceivedGit {
  source: GitBundled;
  /** The verified scratch repository. */
  repo: string;
}

function gitOf(ctx: BundleContext): Git {
  return createGit(fetcherContext(ctx, true));
}

async function peel(git: Git, repo: string, ref: string): Promise<string | undefined> {
  const res = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd: repo });
  return res.code === 0 ? res.stdout.trim() : undefined;
}

/** Verifies one git entry into `scratch`; throws WEFT_E_BUNDLE_DAMAGED naming the entry. */
export async function receiveGit(s: GitBundled, file: string, entryPath: string, ctx: BundleContext, scratch: string): Promise<ReceivedGit> {
  const git = gitOf(ctx);
  const bad = (why: string) => badBundle(file, s.entry, why);
  ctx.progress('checking', s.name, `git ${s.commit.slice(0, 12)}`);
  const heads = await git(['bundle', 'list-heads', '--', entryPath]);
  if (heads.code !== 0) throw bad('is not a readable git bundle');
  const refs = new Map<string, string>();
  for (const line of heads.stdout.split('\n')) {
    const m = /^([0-9a-f]{40}) (\S+)$/.exec(line.trim());
    if (m) refs.set(m[2]!, m[1]!);
  }
  const keep = `refs/weft/keep/${s.commit}`;
  if (refs.get(keep) !== s.commit) throw bad(`does not hold the locked commit ${s.commit}`);
  if (s.branch && refs.get(`refs/heads/${s.branch}`) !== s.commit) {
    throw bad(`its branch ${s.branch} is at ${refs.get(`refs/heads/${s.branch}`) ?? 'nothing'}, not the locked commit ${s.commit}`);
  }
  for (const [name, id] of refs) {
    // Bundles made with `git bundle create --all` (pack-git.ts before it named its refs)
    // carry the scratch repository's HEAD when the source's branch was git's default
    // initial branch. That HEAD is the locked commit itself: it adds no object, and it is
    // not fetched (only refs/* are). Any other HEAD is still refused.
    const stray = name === 'HEAD' && id === s.commit;
    const allowed = name === keep || name === `refs/heads/${s.branch}` || name === `refs/tags/${s.tag}` || stray;
    if (!allowed) throw bad(`holds an unexpected ref ${name}`);
  }

  const repo = join(scratch, `${s.name}.git`);
  const init = await git(['init', '--bare', '--quiet', '--', repo]);
  if (init.code !== 0) throw new Error(`git init failed: ${init.stderr}`);
  if (s.shallow?.length) writeFileSync(join(repo, 'shallow'), s.shallow.join('\n') + '\n');
  const verify = await git(['bundle', 'verify', '--quiet', '--', entryPath], { cwd: repo });
  if (verify.code !== 0) throw bad(`git bundle verify failed: ${redact(verify.stderr.trim().split('\n').pop() ?? '')}`);
  const fetched = await git(['-c', 'transfer.fsckObjects=true', 'fetch', '--quiet', '--no-tags', '--', entryPath, '+refs/*:refs/*'], { cwd: repo });
  if (fetched.code !== 0) throw bad(`its objects do not check out: ${redact(fetched.stderr.trim().split('\n').pop() ?? '')}`);
  if ((await peel(git, repo, keep)) !== s.commit) throw bad(`does not hold the locked commit ${s.commit}`);
  if (s.tag && (await peel(git, repo, `refs/tags/${s.tag}`)) !== s.commit) throw bad(`its tag ${s.tag} is not at the locked commit ${s.commit}`);
  await git(['config', 'remote.origin.url', s.url], { cwd: repo });
  if (s.branch) await git(['symbolic-ref', 'HEAD', `refs/heads/${s.branch}`], { cwd: repo });
  return { source: s, repo };
}

/** Makes the received repository the cache's mirror for its URL, under the mirror's lock. */
export async function publishGit(r: ReceivedGit, ctx: BundleContext): Promise<void> {
  const git = gitOf(ctx);
  const mirror = mirrorPath(ctx.cacheDir, r.source.url);
  mkdirSync(join(ctx.cacheDir, 'git'), { recursive: true });
  const lock = await acquireLock(`${mirror}.lock`, {
    staleMs: ctx.defaults.staleLockMs,
    waitMs: ctx.defaults.gitTimeoutMs + ctx.defaults.staleLockMs,
    purpose: `mirror ${redact(r.source.url)}`,
    signal: ctx.signal,
  });
  try {
    if (!existsSync(join(mirror, 'HEAD'))) {
      // Same filesystem (both under the cache), and never onto a pre-made directory.
      renameSync(r.repo, mirror);
      return;
    }
    // Several sources may share one URL (one mirror): add what this one needs and the
    // mirror lacks, never moving a branch or tag that is already there.
    const { commit, branch, tag } = r.source;
    const wanted = [`refs/weft/keep/${commit}`];
    if (branch) wanted.push(`refs/heads/${branch}`);
    if (tag) wanted.push(`refs/tags/${tag}`);
    const missing = wanted.filter((ref) => !readRef(mirror, ref));
    const hasCommit = (await peel(git, mirror, commit)) === commit;
    const refspecs = missing.filter((ref) => !hasCommit || !ref.startsWith('refs/weft/keep/')).map((ref) => `${ref}:${ref}`);
    if (refspecs.length === 0) return;
    const res = await git(['fetch', '--quiet', '--no-tags', '--update-shallow', '--', pathToFileURL(r.repo).href, ...refspecs], { cwd: mirror });
    if (res.code !== 0) throw new Error(`adding ${commit} to the cached mirror of ${redact(r.source.url)} failed: ${redact(res.stderr)}`);
  } finally {
    lock.release();
  }
}
