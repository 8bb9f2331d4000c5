// `weft merge NAME` (Combinator's unbranch): merges the active branch into the manifest's
// branch in the main checkout without committing — the user reviews and commits — then
// makes the main checkout active again. Refused when the main checkout holds uncommitted
// work, so the merge result is only ever the branch's changes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WeftError } from '../../errors.js';
import { redact } from '../../redact.js';
import type { Plan } from '../../types.js';
import { updateState } from '../state.js';
import { lockWorkspace } from '../workspace-lock.js';
import { branchGit, type BranchContext } from './context.js';
import { returnGitInPlace } from './git.js';
import { recordedEntry, sourceNamed } from './index.js';
import { gitWork, refuseIfDirty, untouchedNotes } from './risks.js';
import { refuseOtherRepository } from './same-repo.js';

export interface MergeResult {
  branch: string;
  into: string;
  dir: string;
  /** Paths left with conflicts; the merge stays in progress for the user. */
  conflicts: string[];
  /** Nothing to merge: the manifest's branch already has everything. */
  upToDate: boolean;
  lines: string[];
}

export async function mergeActive(plan: Plan, name: string, ctx: BranchContext): Promise<MergeResult> {
  const s = sourceNamed(plan, name);
  if (s.type !== 'git') {
    throw new WeftError('WEFT_E_MERGE_KIND', `${name} is a ${s.type} source; weft merge merges git branches only`, {
      hint: s.type === 'svn' ? 'use svn merge in the main working copy' : s.type === 'hg' ? 'use hg merge in the checkout' : 'it has no branches',
    });
  }
  const lock = await lockWorkspace(plan.workspace, { waitMs: ctx.defaults.workspaceLockWaitMs, staleMs: ctx.defaults.staleLockMs });
  try {
    const entry = recordedEntry(plan, s, 'weft merge');
    const branch = entry.activeBranch;
    if (typeof branch !== 'string') {
      throw new WeftError('WEFT_E_MERGE_NO_BRANCH', `${name}: no branch is active, so there is nothing to merge`, { hint: `make one active first: weft switch ${name} BRANCH` });
    }
    await refuseOtherRepository(s, 'weft merge');
    const git = branchGit(ctx);
    const lines: string[] = [];
    if (entry.inPlace && entry.branch === undefined) {
      // Returning first would move the checkout off the branch only to refuse the merge then.
      throw new WeftError('WEFT_E_MERGE_DETACHED', `${name}: the manifest asks for ${s.ref ?? 'a commit'}, not a branch, so there is no branch to merge ${branch} into`, {
        hint: `nothing was changed; merge it yourself where it belongs (weft switch ${name} returns ${s.dir} to ${s.ref ?? "the manifest's commit"})`,
      });
    }
    if (entry.inPlace) {
      lines.push(...(await returnGitInPlace(git, name, s.dir, { branch: entry.branch, revision: entry.revision })));
      updateState(plan.workspace, { [name]: { activeBranch: undefined, inPlace: undefined } });
    }
    const main = await gitWork(git, s.dir, name);
    refuseIfDirty(main, s.dir, 'WEFT_E_MERGE_DIRTY', `${name}: merging ${branch} into ${s.dir}`);
    const into = main.head?.branch;
    if (!into) {
      throw new WeftError('WEFT_E_MERGE_DETACHED', `${name}: the main checkout ${s.dir} is not on a branch (the manifest asks for ${s.ref ?? 'a commit'}), so there is no branch to merge ${branch} into`, {
        hint: `merge it yourself where it belongs; weft switch ${name} returns to the main checkout`,
      });
    }
    if (typeof entry.activeDir === 'string') {
      const wt = await gitWork(git, entry.activeDir, name).catch(() => undefined);
      const left = wt?.risks.filter((r) => !/in progress/.test(r.what)).map((r) => r.what) ?? [];
      if (left.length) lines.push(`${name}: not part of the merge, left in ${entry.activeDir}: ${left.join(', ')}`);
    }
    const res = await git(['merge', '--quiet', '--no-ff', '--no-commit', branch], { cwd: s.dir });
    const unmerged = await git(['diff', '--name-only', '--diff-filter=U', '-z'], { cwd: s.dir });
    const conflicts = unmerged.stdout.split('\0').filter(Boolean);
    if (res.code !== 0 && conflicts.length === 0) {
      throw new WeftError('WEFT_E_MERGE_GIT', `${name}: git merge ${branch} failed in ${s.dir}: ${redact((res.stderr || res.stdout).trim().split('\n').slice(-3).join(' '))}`, {
        hint: 'see git status there',
      });
    }
    // The main checkout is where the result is reviewed (or the conflicts resolved): make it active.
    updateState(plan.workspace, { [name]: { activeDir: undefined, activeBranch: undefined, inPlace: undefined } });
    const upToDate = res.code === 0 && !existsSync(join(main.gitDir, 'MERGE_HEAD'));
    if (conflicts.length) {
      lines.push(`${name}: merging ${branch} into ${into} in ${s.dir} stopped with conflicts in: ${conflicts.join(', ')}`);
      lines.push(`${name}: the merge is left in progress: resolve the files, git add them and git commit — or git merge --abort to undo it`);
    } else if (upToDate) {
      lines.push(`${name}: ${into} already contains ${branch}; nothing to merge`);
    } else {
      lines.push(`${name}: merged ${branch} into ${into} in ${s.dir}, not committed: review (git diff --cached), then git commit — or git merge --abort`);
    }
    const kept = await untouchedNotes(git, s.dir);
    if (kept.length) lines.push(`${name}: left untouched: ${kept.join('; ')}`);
    lines.push(`${name}: the main checkout ${s.dir} is active again${typeof entry.activeDir === 'string' ? `; ${branch}'s checkout ${entry.activeDir} is kept` : ''}`);
    return { branch, into, dir: s.dir, conflicts, upToDate, lines };
  } finally {
    lock.release();
  }
}
