// Why a checkout weft made must stay: the same questions `weft up` asks before moving one
// (git/safety.ts), plus what deleting it would also destroy — stash entries, local branches
// not on any remote, worktrees of the same repository that weft did not make.
import { existsSync, lstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { exec } from '../exec.js';
import type { SourceType } from '../types.js';
import { mirrorPath } from './git/mirror.js';
import { gitDirOf, listRefs, readHead } from './git/refs-fs.js';
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
  // weft made a directory there; a file or symlink in its place is the user's (reading a
  // file as a checkout finds it "not there", and through a symlink finds another directory).
  if (!lstatSync(dir).isDirectory()) return ['it is not a directory any more (a file or symlink of yours stands there); weft leaves it alone'];
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
  out.push(...(await localRefs(dir, ctx)));
  const list = await ctx.git(['worktree', 'list', '--porcelain'], { cwd: dir });
  const ours = new Set([resolve(dir), ...alsoOurs.map((d) => resolve(d))]);
  for (const m of list.stdout.matchAll(/^worktree (.+)$/gm)) {
    if (!ours.has(resolve(m[1]!))) out.push(`another worktree of it at ${m[1]} would break`);
  }
  return out;
}

/**
 * Commits that only refs of this checkout hold (a tag not pushed, refs/keep/…, notes): a
 * move of HEAD keeps them, deleting the checkout does not. Branches and stash are asked
 * about above; a tag upstream has too (the cache's mirror holds it at the same object) is
 * not the user's. Without the mirror every tag counts: better kept than lost.
 */
async function localRefs(dir: string, ctx: KeepContext): Promise<string[]> {
  const res = await ctx.git(['for-each-ref', '--format=%(refname)%09%(objectname)%09%(objecttype)%09%(*objecttype)'], { cwd: dir });
  if (res.code !== 0) return ['could not list its refs'];
  const origin = (await ctx.git(['config', '--get', 'remote.origin.url'], { cwd: dir })).stdout.trim();
  const mirror = origin ? mirrorPath(ctx.cacheDir, origin) : undefined;
  const upstreamTags = mirror && existsSync(mirror) ? listRefs(mirror, 'refs/tags/') : undefined;
  const mine: string[] = [];
  const theirs: string[] = [];
  for (const line of res.stdout.split('\n')) {
    const [ref, id, type, peeled] = line.split('\t');
    if (!ref || !id || (type !== 'commit' && peeled !== 'commit')) continue;
    if (ref.startsWith('refs/heads/') || ref.startsWith('refs/remotes/') || ref === 'refs/stash') continue;
    if (ref.startsWith('refs/tags/') && upstreamTags?.get(ref)?.commit === id) theirs.push(ref);
    else mine.push(ref);
  }
  if (!mine.length) return [];
  const count = await ctx.git(['rev-list', '--count', ...mine, '--not', '--remotes', ...theirs, '--'], { cwd: dir });
  const n = Number(count.stdout.trim());
  if (count.code !== 0 || !Number.isFinite(n)) return ['could not count the commits its refs hold'];
  if (n === 0) return [];
  const names = mine.map((r) => r.replace(/^refs\/tags\//, 'tag '));
  const listed = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
  return [`${n} commit${n === 1 ? '' : 's'} on no remote, held by ${listed} (push ${mine.length === 1 ? 'it' : 'them'}, or delete ${mine.length === 1 ? 'it' : 'them'} if unwanted)`];
}
