// git keeps a branch checked out in one worktree at a time. `git checkout -B BRANCH` in the
// main checkout while another worktree (the one `weft switch` made) has BRANCH checked out
// moves that worktree's HEAD under its files, so its index shows upstream's new commits as
// staged reversals beside the user's edits (git < 2.43 allows it; newer git refuses).
import { realpathSync } from 'node:fs';
import type { Git } from './run.js';

/** The other, still existing, worktree of `dir`'s repository that has `branch` checked out. */
export async function worktreeHolding(git: Git, dir: string, branch: string): Promise<string | undefined> {
  // No -z: it needs git 2.36, and weft supports 2.30.
  const res = await git(['worktree', 'list', '--porcelain'], { cwd: dir });
  if (res.code !== 0) return undefined;
  const here = realpathSync(dir);
  // Records are lines ("worktree PATH", "branch REF", "prunable …"), each ending in an empty line.
  let path: string | undefined;
  let holds = false;
  let gone = false;
  for (const field of `${res.stdout}\n`.split('\n')) {
    if (field.startsWith('worktree ')) path = field.slice('worktree '.length);
    else if (field === `branch refs/heads/${branch}`) holds = true;
    // A worktree whose directory was deleted has no files for the branch to move under.
    else if (field === 'prunable' || field.startsWith('prunable ')) gone = true;
    else if (field === '') {
      if (path !== undefined && holds && !gone && path !== here) return path;
      path = undefined;
      holds = false;
      gone = false;
    }
  }
  return undefined;
}
