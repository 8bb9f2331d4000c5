// The worktrees of a checkout's repository, as git records them. git keeps a branch checked
// out in one worktree at a time: `git checkout -B BRANCH` in the main checkout while another
// worktree (the one `weft switch` made) has BRANCH checked out moves that worktree's HEAD
// under its files, so its index shows upstream's new commits as staged reversals beside the
// user's edits (git < 2.43 allows it; newer git refuses). And a worktree deleted with rm -rf
// stays recorded, which makes `git worktree add` refuse its path until it is pruned.
import { realpathSync } from 'node:fs';
import type { Git } from './run.js';

export interface Worktree {
  path: string;
  /** The branch checked out there (without refs/heads/); none when detached. */
  branch?: string;
  /** Its directory is gone: `git worktree prune` would drop the record (git 2.31 and later say so). */
  prunable: boolean;
}

/** `dir`'s repository's worktrees, the main one first; empty when git cannot say. */
export async function listWorktrees(git: Git, dir: string): Promise<Worktree[]> {
  // No -z: it needs git 2.36, and weft supports 2.30.
  const res = await git(['worktree', 'list', '--porcelain'], { cwd: dir });
  if (res.code !== 0) return [];
  // Records are lines ("worktree PATH", "branch REF", "prunable …"), each ending in an empty line.
  const out: Worktree[] = [];
  let wt: Worktree | undefined;
  for (const field of `${res.stdout}\n`.split('\n')) {
    if (field.startsWith('worktree ')) wt = { path: field.slice('worktree '.length), prunable: false };
    else if (wt && field.startsWith('branch refs/heads/')) wt.branch = field.slice('branch refs/heads/'.length);
    else if (wt && (field === 'prunable' || field.startsWith('prunable '))) wt.prunable = true;
    else if (wt && field === '') {
      out.push(wt);
      wt = undefined;
    }
  }
  return out;
}

/** The other, still existing, worktree of `dir`'s repository that has `branch` checked out. */
export async function worktreeHolding(git: Git, dir: string, branch: string): Promise<string | undefined> {
  const here = realpathSync(dir);
  // A worktree whose directory was deleted has no files for the branch to move under.
  return (await listWorktrees(git, dir)).find((w) => w.branch === branch && !w.prunable && w.path !== here)?.path;
}
