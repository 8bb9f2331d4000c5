// What of the user's work a git checkout holds, in the words `weft up` uses (git/safety.ts):
// what would block moving it, and what stays behind untouched either way.
import { WeftError } from '../../errors.js';
import { gitDirOf, readHead, type Head } from '../git/refs-fs.js';
import type { Git } from '../git/run.js';
import { describeRisks, risksOfMoving, type Risk } from '../git/safety.js';

export interface GitCheckoutWork {
  gitDir: string;
  head: Head | undefined;
  /** What moving HEAD elsewhere would put at risk (uncommitted, untracked, in-progress, detached commits). */
  risks: Risk[];
}

/** Reads `dir`'s work; a missing or broken checkout is a WeftError with `code`. */
export async function gitWork(git: Git, dir: string, what: string): Promise<GitCheckoutWork> {
  const gitDir = gitDirOf(dir);
  if (!gitDir) {
    throw new WeftError('WEFT_E_SWITCH_NO_CHECKOUT', `${what}: ${dir} is not a git checkout`, { hint: 'run "weft up" first' });
  }
  const head = readHead(gitDir);
  // Commits on a branch stay on that branch when HEAD leaves it; only a detached HEAD's
  // commits would be orphaned. Naming HEAD as already known excludes its history from that count.
  const previous = head?.branch ? head.commit : undefined;
  const risks = await risksOfMoving(git, { dir, gitDir, target: head?.commit ?? 'HEAD', previous });
  return { gitDir, head, risks };
}

export function refuseIfDirty(work: GitCheckoutWork, dir: string, code: string, doing: string): void {
  if (work.risks.length === 0) return;
  throw new WeftError(code, `${doing}: refused, ${dir} holds work that could be lost: ${describeRisks(work.risks)}`, {
    hint: 'nothing was changed; deal with it as said, then run again',
  });
}

/** Work weft leaves where it is: stash entries and local branches with commits on no remote. */
export async function untouchedNotes(git: Git, dir: string): Promise<string[]> {
  const notes: string[] = [];
  const stash = await git(['stash', 'list'], { cwd: dir });
  const stashed = stash.code === 0 ? stash.stdout.split('\n').filter(Boolean).length : 0;
  if (stashed) notes.push(`${stashed} stash entr${stashed === 1 ? 'y' : 'ies'}`);
  const branches = await git(['for-each-ref', '--format=%(refname:short)', 'refs/heads/'], { cwd: dir });
  for (const b of branches.stdout.split('\n').filter(Boolean)) {
    const n = await git(['rev-list', '--count', `refs/heads/${b}`, '--not', '--remotes'], { cwd: dir });
    const count = Number(n.stdout.trim()) || 0;
    if (n.code === 0 && count > 0) notes.push(`branch ${b} with ${count} commit${count === 1 ? '' : 's'} not on any remote`);
  }
  return notes;
}
