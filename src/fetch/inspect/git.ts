// Reads a git checkout's state with local commands only, through the fetch layer's git runner.
import { defaults } from '../../defaults.js';
import { createGit, type Git } from '../git/run.js';
import type { Inspection, InspectContext } from './types.js';

/** Counts `git status --porcelain=v1 -z` entries: untracked ('??') apart from the rest. */
export function countPorcelain(out: string): { modified: number; untracked: number } {
  let modified = 0;
  let untracked = 0;
  const parts = out.split('\0');
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i]!;
    if (entry.length < 3) continue;
    const xy = entry.slice(0, 2);
    if (xy === '??') untracked++;
    else if (xy !== '!!') modified++;
    // A rename or copy carries its source path as the next NUL-separated field.
    if (xy[0] === 'R' || xy[0] === 'C') i++;
  }
  return { modified, untracked };
}

const gitFor = (ctx: InspectContext): Git => createGit({ cacheDir: ctx.cacheDir, env: ctx.env, offline: true, defaults });

/** The commit checked out in `dir` (its HEAD); undefined when there is none or it is no git checkout. */
export async function gitRevision(dir: string, ctx: InspectContext, git: Git = gitFor(ctx)): Promise<string | undefined> {
  const head = await git(['rev-parse', '--verify', '-q', 'HEAD^{commit}'], { cwd: dir });
  return head.code === 0 ? head.stdout.trim() || undefined : undefined;
}

export async function inspectGit(dir: string, ctx: InspectContext): Promise<Inspection> {
  const git = gitFor(ctx);
  const base: Inspection = { present: true, modified: 0, untracked: 0 };
  const revision = await gitRevision(dir, ctx, git);
  if (revision === undefined) {
    const top = await git(['rev-parse', '--git-dir'], { cwd: dir });
    return { ...base, problem: top.code === 0 ? 'no commit checked out' : 'not a git repository' };
  }
  base.revision = revision;
  const branch = await git(['symbolic-ref', '--short', '-q', 'HEAD'], { cwd: dir });
  if (branch.code === 0 && branch.stdout.trim()) base.branch = branch.stdout.trim();
  const status = await git(['status', '--porcelain=v1', '-z', '--untracked-files=normal'], { cwd: dir });
  if (status.code === 0) Object.assign(base, countPorcelain(status.stdout));
  if (base.branch) {
    const upstream = await git(['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}'], { cwd: dir });
    if (upstream.code === 0 && upstream.stdout.trim()) {
      base.upstream = upstream.stdout.trim();
      const counts = await git(['rev-list', '--left-right', '--count', 'HEAD...@{upstream}'], { cwd: dir });
      const m = /^(\d+)\s+(\d+)/.exec(counts.stdout.trim());
      if (counts.code === 0 && m) {
        base.ahead = Number(m[1]);
        base.behind = Number(m[2]);
      }
    }
  }
  return base;
}

/**
 * Commits HEAD has that no remote-tracking branch has: the user's own, on no remote. For a
 * checkout with no upstream to count `ahead` against (a detached HEAD, a branch never pushed
 * or whose upstream is gone). Undefined when git cannot say.
 */
export async function unpushedCommits(dir: string, ctx: InspectContext): Promise<number | undefined> {
  const res = await gitFor(ctx)(['rev-list', '--count', 'HEAD', '--not', '--remotes'], { cwd: dir });
  return res.code === 0 ? Number(res.stdout.trim()) || 0 : undefined;
}

/** What a git checkout holds beyond the commit weft.lock pins. */
export interface LockDistance {
  /** Commits HEAD has that neither the locked commit nor any remote-tracking branch has: the user's own, unpushed. */
  unpushed: number;
  /** The locked commit is an ancestor of HEAD (HEAD moved on from it). */
  aheadOfLock: boolean;
}

export async function lockDistance(dir: string, ctx: InspectContext, locked: string): Promise<LockDistance | undefined> {
  const git = gitFor(ctx);
  // The same count `weft up` uses to decide whether commits ahead are the user's own.
  const own = await git(['rev-list', '--count', 'HEAD', '--not', locked, '--remotes'], { cwd: dir });
  if (own.code !== 0) return undefined;
  const ahead = await git(['merge-base', '--is-ancestor', locked, 'HEAD'], { cwd: dir });
  return { unpushed: Number(own.stdout.trim()) || 0, aheadOfLock: ahead.code === 0 };
}
