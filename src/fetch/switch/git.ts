// `weft switch` for git: a branch gets its own worktree beside the main checkout (the main
// checkout is not touched), or with --in-place the main checkout itself moves, only when
// nothing of the user's could be lost.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { WeftError } from '../../errors.js';
import { redact } from '../../redact.js';
import { gitDirOf, readHead } from '../git/refs-fs.js';
import type { Git, GitCredentials } from '../git/run.js';
import { ignoredReplacedBy } from '../git/safety.js';
import { listWorktrees } from '../git/worktrees.js';
import { locateBranch, publishBranch } from './git-branch.js';
import { gitWork, refuseIfDirty, untouchedNotes } from './risks.js';

export interface GitSwitchInput {
  name: string;
  /** The main checkout. */
  mainDir: string;
  /** The directory active now (the main checkout or another branch's worktree): --create starts there. */
  activeDir: string;
  branch: string;
  /** Where the worktree goes (ignored with inPlace). */
  worktreeDir: string;
  create: boolean;
  push: boolean;
  creds?: GitCredentials;
}

export interface GitSwitchDone {
  dir: string;
  /** What happened, one line each, for people. */
  lines: string[];
}

function failedGit(name: string, what: string, stderr: string): WeftError {
  // git keeps one branch in one worktree; say which weft command fits instead.
  const elsewhere = /is already (?:checked out|used by worktree) at '([^']+)'/.exec(stderr)?.[1];
  return new WeftError('WEFT_E_SWITCH_GIT', `${name}: ${what} failed: ${redact(stderr.trim().split('\n').slice(-3).join(' '))}`, {
    hint: elsewhere
      ? `that branch has its own checkout at ${elsewhere}: switch to it without --in-place (nothing was changed)`
      : 'nothing else was changed; fix what git says and run again',
  });
}

/** Makes (or reuses) BRANCH's worktree; the main checkout keeps everything it has. */
export async function switchGitWorktree(git: Git, i: GitSwitchInput): Promise<GitSwitchDone> {
  const main = await gitWork(git, i.mainDir, i.name);
  if (main.head?.branch === i.branch) {
    throw new WeftError('WEFT_E_SWITCH_MAIN_BRANCH', `${i.name}: ${i.branch} is the branch of the main checkout ${i.mainDir}`, {
      hint: `to make the main checkout active again: weft switch ${i.name}`,
    });
  }
  const lines: string[] = [];
  const existing = existsSync(i.worktreeDir) ? gitDirOf(i.worktreeDir) : undefined;
  if (existing) {
    const head = readHead(existing);
    if (head?.branch !== i.branch) {
      throw new WeftError('WEFT_E_SWITCH_TARGET', `${i.name}: ${i.worktreeDir} exists but is not on ${i.branch} (it is on ${head?.branch ?? 'a detached HEAD'})`, {
        hint: 'move it away, or check the branch out there yourself',
      });
    }
    if (i.create) {
      throw new WeftError('WEFT_E_SWITCH_EXISTS', `${i.name}: branch ${i.branch} already has a checkout at ${i.worktreeDir}`, {
        hint: `drop --create: weft switch ${i.name} ${i.branch}`,
      });
    }
    lines.push(`${i.name}: using the existing checkout of ${i.branch} at ${i.worktreeDir} as it is`);
  } else {
    if (existsSync(i.worktreeDir)) {
      throw new WeftError('WEFT_E_SWITCH_TARGET', `${i.name}: ${i.worktreeDir} exists and is not a git checkout; weft leaves it alone`, {
        hint: 'move it away, then run again',
      });
    }
    const from = await locateBranch(git, { name: i.name, dir: i.mainDir, gitDir: main.gitDir, branch: i.branch, create: i.create, creds: i.creds });
    // A branch checkout deleted with rm -rf stays recorded, and git worktree add refuses its
    // path ("missing but already registered"); only records of directories already gone are dropped.
    if ((await listWorktrees(git, i.mainDir)).some((w) => w.prunable)) {
      const pruned = await git(['worktree', 'prune'], { cwd: i.mainDir });
      if (pruned.code !== 0) throw failedGit(i.name, 'git worktree prune', pruned.stderr);
    }
    mkdirSync(dirname(i.worktreeDir), { recursive: true });
    let args: string[];
    if (from === 'local') args = ['worktree', 'add', '--quiet', i.worktreeDir, i.branch];
    else if (from === 'remote') args = ['worktree', 'add', '--quiet', '--track', '-b', i.branch, i.worktreeDir, `refs/remotes/origin/${i.branch}`];
    else {
      const base = await git(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd: i.activeDir });
      if (base.code !== 0) throw failedGit(i.name, `reading the current commit in ${i.activeDir}`, base.stderr);
      args = ['worktree', 'add', '--quiet', '--no-track', '-b', i.branch, i.worktreeDir, base.stdout.trim()];
    }
    const res = await git(args, { cwd: i.mainDir });
    if (res.code !== 0) throw failedGit(i.name, `git worktree add for ${i.branch}`, res.stderr);
    const how = from === 'new' ? `new branch ${i.branch} from ${i.activeDir === i.mainDir ? 'the main checkout' : i.activeDir}'s commit` : from === 'remote' ? `${i.branch} from origin/${i.branch}` : `local branch ${i.branch}`;
    lines.push(`${i.name}: checked out ${how} at ${i.worktreeDir}`);
  }
  if (i.push) {
    await publishBranch(git, i.worktreeDir, i.name, i.branch, i.creds);
    lines.push(`${i.name}: pushed ${i.branch} to origin (upstream set)`);
  }
  const kept = [...main.risks.map((r) => r.what), ...(await untouchedNotes(git, i.mainDir))];
  lines.push(`${i.name}: main checkout ${i.mainDir} left as it is${describeKept(kept)}`);
  return { dir: i.worktreeDir, lines };
}

/** Moves the main checkout itself to BRANCH; refused when it holds uncommitted or detached work. */
export async function switchGitInPlace(git: Git, i: GitSwitchInput): Promise<GitSwitchDone> {
  const main = await gitWork(git, i.mainDir, i.name);
  refuseIfDirty(main, i.mainDir, 'WEFT_E_SWITCH_DIRTY', `${i.name}: switching ${i.mainDir} in place to ${i.branch}`);
  if (main.head?.branch === i.branch) {
    throw new WeftError('WEFT_E_SWITCH_MAIN_BRANCH', `${i.name}: the main checkout is already on ${i.branch}`, { hint: 'nothing to do' });
  }
  const from = await locateBranch(git, { name: i.name, dir: i.mainDir, gitDir: main.gitDir, branch: i.branch, create: i.create, creds: i.creds });
  if (from !== 'new') {
    const target = from === 'local' ? `refs/heads/${i.branch}` : `refs/remotes/origin/${i.branch}`;
    await refuseIgnoredReplaced(git, i.mainDir, target, i.branch, `${i.name}: switching ${i.mainDir} in place to ${i.branch}`);
  }
  const args =
    from === 'local' ? ['checkout', '--quiet', i.branch]
    : from === 'remote' ? ['checkout', '--quiet', '--track', '-b', i.branch, `refs/remotes/origin/${i.branch}`]
    : ['checkout', '--quiet', '--no-track', '-b', i.branch];
  const res = await git(args, { cwd: i.mainDir });
  if (res.code !== 0) throw failedGit(i.name, `git checkout ${i.branch}`, res.stderr);
  const lines = [`${i.name}: ${i.mainDir} switched in place from ${main.head?.branch ?? 'a detached HEAD'} to ${from === 'new' ? 'new branch ' : ''}${i.branch}`];
  if (i.push) {
    await publishBranch(git, i.mainDir, i.name, i.branch, i.creds);
    lines.push(`${i.name}: pushed ${i.branch} to origin (upstream set)`);
  }
  const kept = await untouchedNotes(git, i.mainDir);
  if (kept.length) lines.push(`${i.name}: left untouched: ${kept.join('; ')}`);
  return { dir: i.mainDir, lines };
}

/** Puts an in-place-switched main checkout back on what `weft up` last left there. */
export async function returnGitInPlace(git: Git, name: string, mainDir: string, back: { branch?: string; revision?: string }): Promise<string[]> {
  const main = await gitWork(git, mainDir, name);
  refuseIfDirty(main, mainDir, 'WEFT_E_SWITCH_DIRTY', `${name}: returning ${mainDir} to the manifest's ref`);
  const target = back.branch ?? back.revision;
  if (!target) {
    throw new WeftError('WEFT_E_SWITCH_STATE', `${name}: weft has no record of the manifest's ref in ${mainDir}`, { hint: `run "weft up ${name}" after checking it out yourself` });
  }
  await refuseIgnoredReplaced(git, mainDir, back.branch ? `refs/heads/${back.branch}` : target, back.branch ?? target.slice(0, 12), `${name}: returning ${mainDir} to the manifest's ref`);
  const args = back.branch ? ['checkout', '--quiet', back.branch] : ['checkout', '--quiet', '--detach', target];
  const res = await git(args, { cwd: mainDir });
  if (res.code !== 0) throw failedGit(name, `git checkout ${target}`, res.stderr);
  const lines = [`${name}: ${mainDir} back from ${main.head?.branch ?? 'a detached HEAD'} to ${back.branch ?? target.slice(0, 12)}`];
  const kept = await untouchedNotes(git, mainDir);
  if (kept.length) lines.push(`${name}: left untouched: ${kept.join('; ')}`);
  return lines;
}

/** git checkout writes over ignored files the target has: refused, as `weft up` refuses (git/safety.ts). */
async function refuseIgnoredReplaced(git: Git, dir: string, target: string, what: string, doing: string): Promise<void> {
  const ignored = await ignoredReplacedBy(git, dir, target, []);
  if (!ignored.length) return;
  const files = ignored.length > 10 ? `${ignored.slice(0, 10).join(', ')} and ${ignored.length - 10} more` : ignored.join(', ');
  throw new WeftError('WEFT_E_SWITCH_DIRTY', `${doing}: refused, ${dir} holds ignored ${ignored.length === 1 ? 'file' : 'files'} ${files}, which ${what} also has: git would write over ${ignored.length === 1 ? 'it' : 'them'}`, {
    hint: 'nothing was changed; move them away, then run again',
  });
}

function describeKept(what: string[]): string {
  return what.length ? ` (it keeps: ${what.join('; ')})` : '';
}
