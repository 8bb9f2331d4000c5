// Moving an existing checkout to what the plan asks, only when nothing of the user's can
// be lost (see safety.ts); otherwise it is left exactly as it was.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { GitSource } from '../../types.js';
import type { FetcherContext, PreviousCheckout } from '../fetcher.js';
import { checkoutWant } from './clone.js';
import { ok } from './failure.js';
import { fetchedThisRun } from './mirror.js';
import { readHead, readRef, type Head } from './refs-fs.js';
import type { Git } from './run.js';
import { describeRisks, ignoredReplacedBy, risksOfMoving, untrackedReplacedBy } from './safety.js';
import type { Want } from './want.js';
import { worktreeHolding } from './worktrees.js';

export type UpdateOutcome =
  | { status: 'unchanged'; message?: string }
  | { status: 'updated'; message: string }
  | { status: 'skipped'; message: string };

export function atWant(head: Head | undefined, want: Want): boolean {
  if (!head?.commit || head.commit !== want.commit) return false;
  return want.branch ? head.branch === want.branch : head.branch === undefined;
}

/** Up to `max` names, then how many more. */
function nameSome(names: string[], max = 10): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

const short = (c: string | undefined) => (c ? c.slice(0, 12) : 'nothing');

/**
 * True when a fetch failed only because it refused to move refs backwards or sideways
 * (" ! [rejected] main -> origin/main  (non-fast-forward)"): everything else was written.
 */
function onlyRejected(stderr: string): boolean {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('From '));
  return lines.length > 0 && lines.every((l) => /^ ! \[rejected\] .*\(non-fast-forward\)$/.test(l.trimEnd()));
}

/** Converges the checkout at `s.dir` (whose .git is `gitDir`) to `want`, fetching objects from `mirror`. */
export async function updateCheckout(
  git: Git,
  ctx: FetcherContext,
  s: GitSource,
  gitDir: string,
  mirror: string,
  want: Want,
  previous?: PreviousCheckout,
): Promise<UpdateOutcome> {
  const dir = s.dir;
  const head = readHead(gitDir);
  if (atWant(head, want)) return { status: 'unchanged' };

  // Bring the mirror's branches (as origin/*) and the wanted objects into the checkout: a
  // local transfer, no network. Only origin/* and the wanted tag are written. No --prune:
  // the mirror may not have been fetched this run, and an origin/* it has never seen (a
  // branch the user pushed from this checkout) is real and must stay. For the same reason
  // origin/* is forced only from a mirror fetched this run: an older mirror only
  // fast-forwards them, so commits the user fetched into the checkout stay origin/*.
  const fresh = fetchedThisRun(mirror, ctx);
  const refspecs = [`${fresh ? '+' : ''}refs/heads/*:refs/remotes/origin/*`];
  if (want.tag) refspecs.push(`+refs/tags/${want.tag}:refs/tags/${want.tag}`);
  const fetched = await git(['fetch', '--no-tags', '--', mirror, ...refspecs], { cwd: dir });
  if (fetched.code !== 0 && (fresh || !onlyRejected(fetched.stderr))) ok(fetched, 'updating the checkout from the cache');
  if ((await git(['cat-file', '-e', `${want.commit}^{commit}`], { cwd: dir })).code !== 0) {
    ok(await git(['fetch', '--quiet', '--no-tags', '--', mirror, want.commit], { cwd: dir }), `fetching ${short(want.commit)} from the cache`);
  }

  // Already past the wanted commit on the wanted branch: the user's newer work stays, and
  // so does a checkout the user moved on (a `git pull` there, their commits pushed) — its
  // files are what they work on. Only a checkout still where weft put it, whose commits
  // ahead are all upstream's, goes back: the lock moved under it (an older weft.lock back
  // from `git checkout weft.lock`, a teammate's from `git pull`), and the lock is what
  // `weft up` converges to; `weft update` is the way forward.
  if (want.branch && head?.branch === want.branch && head.commit) {
    const ahead = await git(['merge-base', '--is-ancestor', want.commit, head.commit], { cwd: dir });
    if (ahead.code === 0) {
      const own = ok(await git(['rev-list', '--count', head.commit, '--not', want.commit, '--remotes'], { cwd: dir }), 'git rev-list').stdout.trim();
      if (own !== '0' || previous?.revision !== head.commit) {
        const n = ok(await git(['rev-list', '--count', head.commit, '--not', want.commit], { cwd: dir }), 'git rev-list').stdout.trim();
        const mine = own !== '0' ? `, ${own} of them your own` : '';
        return { status: 'unchanged', message: `${want.branch} is ${n} commit(s) ahead of ${short(want.commit)}${mine}; left as is (weft update ${s.name} locks it)` };
      }
    }
  }

  // Not even --force: what would be lost is in that other checkout, not this one.
  if (want.branch && head?.branch !== want.branch) {
    const elsewhere = await worktreeHolding(git, dir, want.branch);
    if (elsewhere) {
      return {
        status: 'skipped',
        message: `not moved to ${want.branch} at ${short(want.commit)}: ${want.branch} is checked out in ${elsewhere}, and git keeps a branch in one checkout; work there, or remove that checkout (git worktree remove ${elsewhere}) and run weft up again`,
      };
    }
  }
  const branchMoves = want.branch && readRef(gitDir, `refs/heads/${want.branch}`)?.commit !== want.commit ? want.branch : undefined;
  const risks = await risksOfMoving(git, { dir, gitDir, branch: branchMoves, target: want.commit, previous: previous?.revision });
  const dest = want.branch ? `${want.branch} at ${short(want.commit)}` : (want.tag ?? short(want.commit));
  // git checkout writes over ignored files the new revision has, untracked or not: they
  // are the user's (a .env, a local config) and are asked about as their other work is.
  const ignored = await ignoredReplacedBy(git, dir, want.commit, risks.flatMap((r) => r.paths ?? []));
  if (ignored.length) {
    risks.push({
      what: `ignored ${ignored.length === 1 ? 'file' : 'files'} ${nameSome(ignored)}, which ${dest} also has`,
      fix: ignored.length === 1 ? 'move it away' : 'move them away',
      replaces: true,
    });
  }
  if (risks.length && !ctx.force) {
    return {
      status: 'skipped',
      message: `not moved to ${dest} to keep your work: ${describeRisks(risks)}; or run with --force to discard it`,
    };
  }
  // --force: what goes is said before it goes, and what stays is not said to go. Untracked
  // files stay, except those the new revision has: those are named as replaced.
  const lost = risks.filter((r) => !r.keptByForce).map((r) => (r.replaces ? `${r.what} (replaced)` : r.what));
  const untracked = ctx.force ? risks.flatMap((r) => r.paths ?? []) : [];
  const replaced = await untrackedReplacedBy(git, dir, want.commit, untracked);
  const keptCount = untracked.filter((p) => !replaced.includes(p)).length;
  if (replaced.length) lost.push(`untracked ${nameSome(replaced)}, which ${dest} also has (replaced)`);
  if (ctx.force && lost.length) ctx.report({ name: s.name, phase: 'discarding', message: `--force: ${lost.join('; ')}` });
  if (ctx.force && risks.length) await clearInProgress(git, dir, gitDir);
  await checkoutWant(git, dir, want, ctx.force);
  const from = head?.branch ? `${head.branch} at ${short(head.commit)}` : short(head?.commit);
  const forced = [
    ...(ctx.force && lost.length ? [`--force discarded: ${lost.join('; ')}`] : []),
    ...(ctx.force && keptCount ? [`kept: ${keptCount} untracked file${keptCount === 1 ? '' : 's'}`] : []),
  ];
  const said = forced.length ? ` (${forced.join('; ')})` : '';
  return { status: 'updated', message: `moved from ${from} to ${dest}${said}${await stashNote(git, dir, gitDir)}` };
}

// never-lose-work (issue 6): stash entries survive a move untouched; the summary says so,
// so nobody has to wonder where they went. Costs a git call only when a stash exists.
async function stashNote(git: Git, dir: string, gitDir: string): Promise<string> {
  if (!readRef(gitDir, 'refs/stash')) return '';
  const list = await git(['stash', 'list'], { cwd: dir });
  const n = list.code === 0 ? list.stdout.split('\n').filter(Boolean).length : 0;
  return n ? `; left untouched: ${n} stash entr${n === 1 ? 'y' : 'ies'}` : '';
}

async function clearInProgress(git: Git, dir: string, gitDir: string): Promise<void> {
  if (existsSync(join(gitDir, 'rebase-merge')) || existsSync(join(gitDir, 'rebase-apply'))) {
    await git(['rebase', '--abort'], { cwd: dir });
  }
  // Clears MERGE_HEAD, CHERRY_PICK_HEAD and friends along with the discarded changes.
  await git(['reset', '--quiet', '--hard'], { cwd: dir });
}
