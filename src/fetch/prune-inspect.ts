// Why a checkout weft made must stay: the same questions `weft up` asks before moving one
// (git/safety.ts), plus what deleting it would also destroy — stash entries, local branches
// not on any remote, worktrees of the same repository that weft did not make.
import { lstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { exec } from '../exec.js';
import type { SourceType } from '../types.js';
import { gitDirOf, readHead } from './git/refs-fs.js';
import type { Git } from './git/run.js';
import { risksOfMoving } from './git/safety.js';
import { inspectCheckout } from './inspect/index.js';
import { untouchedNotes } from './switch/risks.js';

export interface KeepContext {
  git: Git;
  env: NodeJS.ProcessEnv;
  cacheDir: string;
  timeoutMs: number;
}

/** Reasons to keep `dir` (empty: safe to delete). `alsoOurs`: worktrees weft itself made of it. */
export async function reasonsToKeep(type: SourceType, dir: string, ctx: KeepContext, alsoOurs: string[] = []): Promise<string[]> {
  if (type === 'git') return gitReasons(dir, ctx, alsoOurs);
  if (type === 'archive') return ['an archive tree cannot be checked for your edits; delete it yourself when sure'];
  if (type === 'local') return ['a local directory is yours; weft never deletes one'];
  const now = await inspectCheckout(type, dir, { env: ctx.env, cacheDir: ctx.cacheDir });
  const out: string[] = [];
  if (now.problem) out.push(now.problem);
  if (now.modified) out.push(`${now.modified} modified item(s)`);
  if (now.untracked) out.push(`${now.untracked} untracked item(s)`);
  if (type === 'hg' && !now.problem) {
    const env: NodeJS.ProcessEnv = { ...ctx.env, HGPLAIN: '1', HGRCPATH: '', HGRCSKIPREPO: '1' };
    const drafts = await exec('hg', ['--noninteractive', '--cwd', dir, 'log', '-r', 'not public()', '--template', '{node}\\n'], { env, timeoutMs: ctx.timeoutMs });
    const n = drafts.stdout.split('\n').filter(Boolean).length;
    if (drafts.code !== 0) out.push('could not list its unpublished changesets');
    else if (n) out.push(`${n} changeset(s) not pushed (draft or secret)`);
  }
  return out;
}

/**
 * What git ignores in a checkout (a local .env, a virtualenv, build output): not a reason
 * to keep it, since nearly every checkout has some, but removed with it, so prune names it.
 * Directories whole, as `git status --ignored` shows them.
 */
export async function ignoredFiles(type: SourceType, dir: string, ctx: KeepContext): Promise<string[]> {
  if (type !== 'git') return [];
  const res = await ctx.git(['ls-files', '--others', '--ignored', '--exclude-standard', '--directory', '-z'], { cwd: dir });
  return res.code === 0 ? res.stdout.split('\0').filter(Boolean) : [];
}

async function gitReasons(dir: string, ctx: KeepContext, alsoOurs: string[]): Promise<string[]> {
  if (lstatSync(dir).isSymbolicLink()) return ['it is a symbolic link, not a checkout weft made'];
  const gitDir = gitDirOf(dir);
  if (!gitDir) return ['it is not a git checkout (any more)'];
  const head = readHead(gitDir);
  const risks = await risksOfMoving(ctx.git, { dir, gitDir, target: head?.commit ?? 'HEAD' });
  const out = risks.map((r) => r.what);
  for (const note of await untouchedNotes(ctx.git, dir)) if (!out.includes(note)) out.push(note);
  const list = await ctx.git(['worktree', 'list', '--porcelain'], { cwd: dir });
  const ours = new Set([resolve(dir), ...alsoOurs.map((d) => resolve(d))]);
  for (const m of list.stdout.matchAll(/^worktree (.+)$/gm)) {
    if (!ours.has(resolve(m[1]!))) out.push(`another worktree of it at ${m[1]} would break`);
  }
  return out;
}
