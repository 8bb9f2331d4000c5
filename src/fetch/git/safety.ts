// What moving a checkout would put at risk. Each finding says what is there and how the
// user can keep it, so a skipped source tells exactly what to do.
import { existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { ok } from './failure.js';
import { isFullCommit } from './ref.js';
import { readRef } from './refs-fs.js';
import type { Git } from './run.js';
import { plural } from '../../words.js';

export interface Risk {
  /** e.g. "2 files with unstaged changes" */
  what: string;
  /** e.g. "commit or stash them" */
  fix: string;
  /** `--force` leaves it in place (untracked files), though the move is still refused without it. */
  keptByForce?: boolean;
  /** Files the move writes over rather than discards (ignored files the new revision has): --force says "replaced". */
  replaces?: boolean;
  /** The untracked paths themselves (a wholly untracked directory ends with '/'), for --force to tell which it replaces. */
  paths?: string[];
}

const IN_PROGRESS: [string, string, string][] = [
  ['MERGE_HEAD', 'a merge is in progress', 'finish it (git commit) or abort it (git merge --abort)'],
  ['rebase-merge', 'a rebase is in progress', 'finish it (git rebase --continue) or abort it (git rebase --abort)'],
  ['rebase-apply', 'a rebase or am is in progress', 'finish or abort it (git rebase --abort / git am --abort)'],
  ['CHERRY_PICK_HEAD', 'a cherry-pick is in progress', 'finish or abort it (git cherry-pick --abort)'],
  ['REVERT_HEAD', 'a revert is in progress', 'finish or abort it (git revert --abort)'],
  ['BISECT_LOG', 'a bisect is in progress', 'end it (git bisect reset)'],
];

export interface RiskInput {
  dir: string;
  gitDir: string;
  /** The local branch that would be moved, when one would. */
  branch?: string;
  /** Where it would move to. */
  target: string;
  /** The revision weft itself put there last time: its history is upstream's, not the user's. */
  previous?: string;
}

/** Everything that moving `dir` to `target` could lose; empty when the move is safe. */
export async function risksOfMoving(git: Git, input: RiskInput): Promise<Risk[]> {
  const { dir, gitDir } = input;
  const risks: Risk[] = [];
  for (const [file, what, fix] of IN_PROGRESS) {
    if (existsSync(join(gitDir, file))) risks.push({ what, fix });
  }

  const status = ok(await git(['status', '--porcelain=v1', '-z', '--untracked-files=normal'], { cwd: dir }), 'git status');
  let staged = 0;
  let unstaged = 0;
  const untracked: string[] = [];
  const entries = status.stdout.split('\0');
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.length < 3) continue;
    const x = e[0]!;
    const y = e[1]!;
    if (x === '?' && y === '?') untracked.push(e.slice(3));
    else {
      if (x !== ' ') staged++;
      if (y !== ' ') unstaged++;
    }
    // Renames and copies carry their source path as the next entry.
    if (x === 'R' || x === 'C') i++;
  }
  if (staged) risks.push({ what: `${plural(staged, 'staged change')}`, fix: 'commit or stash them' });
  if (unstaged) risks.push({ what: `${plural(unstaged, 'file')} with uncommitted changes`, fix: 'commit or stash them' });
  // Kept by --force too, except where the new revision has a file of the same name.
  if (untracked.length) {
    risks.push({ what: `${plural(untracked.length, 'untracked file')}`, fix: 'commit, move or ignore them', keptByForce: true, paths: untracked });
  }

  const exclude = ['--remotes', '--tags'];
  if (input.previous && isFullCommit(input.previous)) {
    const known = await git(['cat-file', '-e', `${input.previous}^{commit}`], { cwd: dir });
    if (known.code === 0) exclude.push(input.previous);
  }
  const headRes = await git(['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: dir });
  if (headRes.code === 0) {
    const n = await countNotOn(git, dir, 'HEAD', exclude);
    if (n > 0) risks.push({ what: `${plural(n, 'commit')} on HEAD not on any remote`, fix: 'push them (or put them on a branch and push it)' });
  }
  if (input.branch && readRef(gitDir, `refs/heads/${input.branch}`)) {
    const ff = await git(['merge-base', '--is-ancestor', `refs/heads/${input.branch}`, input.target], { cwd: dir });
    // Rewinding the branch loses nothing that a remote branch or a tag still holds: only
    // its commits found nowhere else are the user's.
    const n = ff.code === 0 ? 0 : await countNotOn(git, dir, `refs/heads/${input.branch}`, [input.target, '--remotes', '--tags']);
    if (n > 0) {
      risks.push({
        what: `local branch ${input.branch} has ${plural(n, 'commit')} on no remote and not in the commit it would move to`,
        fix: 'push or merge them',
      });
    }
  }
  return risks;
}

async function countNotOn(git: Git, dir: string, tip: string, not: string[]): Promise<number> {
  const res = ok(await git(['rev-list', '--count', tip, '--not', ...not], { cwd: dir }), 'git rev-list');
  return Number(res.stdout.trim()) || 0;
}

/** Passed to ls-tree as paths up to this many; beyond, the whole target tree is listed (argv stays small). */
const MAX_PATHS = 200;

/**
 * Which of the untracked `paths` in `dir` a checkout of `target` writes over: an untracked
 * file the target tracks (or has a directory in place of), or a file inside an untracked
 * directory that the target tracks. One git call.
 */
export async function untrackedReplacedBy(git: Git, dir: string, target: string, paths: string[]): Promise<string[]> {
  if (!paths.length) return [];
  const files = new Set(paths.filter((p) => !p.endsWith('/')));
  const dirs = paths.filter((p) => p.endsWith('/'));
  const untracked = (p: string) => files.has(p) || dirs.some((d) => p.startsWith(d));
  const args = ['ls-tree', '-r', '--name-only', '-z', target];
  if (paths.length <= MAX_PATHS) args.push('--', ...paths);
  const listed = ok(await git(args, { cwd: dir }), 'git ls-tree').stdout.split('\0').filter(Boolean);
  const replaced = new Set<string>();
  for (const f of listed) {
    const parts = f.split('/');
    // The first thing on disk along f's path that is not a directory is what the checkout replaces.
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      let st;
      try {
        st = lstatSync(join(dir, p));
      } catch {
        break;
      }
      if (st.isDirectory()) continue;
      if (untracked(p)) replaced.add(p);
      break;
    }
  }
  return [...replaced].sort();
}

/**
 * Files git does not track and the user had it ignore (a local config, a .env) that a
 * checkout of `target` writes over: git overwrites ignored files without a word, so weft
 * asks first. A path is one when `target` adds it (or a file below it) and something that
 * is not a directory stands there, neither tracked at HEAD nor among the untracked `paths`
 * (those are the untracked risk's). One git call; none when HEAD is unborn.
 */
export async function ignoredReplacedBy(git: Git, dir: string, target: string, paths: string[]): Promise<string[]> {
  const res = await git(['diff', '--name-status', '-z', '--no-renames', 'HEAD', target, '--'], { cwd: dir });
  if (res.code !== 0) return [];
  const added: string[] = [];
  const deleted = new Set<string>();
  const fields = res.stdout.split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'A') added.push(fields[i + 1]!);
    else if (fields[i] === 'D') deleted.add(fields[i + 1]!);
  }
  const files = new Set(paths.filter((p) => !p.endsWith('/')));
  const dirs = paths.filter((p) => p.endsWith('/'));
  const untracked = (p: string) => files.has(p) || dirs.some((d) => p.startsWith(d));
  const replaced = new Set<string>();
  for (const f of added) {
    const parts = f.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      let st;
      try {
        st = lstatSync(join(dir, p));
      } catch {
        break;
      }
      if (st.isDirectory()) continue;
      // f itself is new in target, so not tracked at HEAD; a file above it was tracked
      // exactly when target deletes it.
      if ((p === f || !deleted.has(p)) && !untracked(p)) replaced.add(p);
      break;
    }
  }
  return [...replaced].sort();
}

export function describeRisks(risks: Risk[]): string {
  return risks.map((r) => `${r.what} (${r.fix})`).join('; ');
}
