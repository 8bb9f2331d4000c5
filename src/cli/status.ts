import { defaults } from '../defaults.js';
import { formatError, isWeftError, type WeftError } from '../errors.js';
import { activeSource, cacheDirFrom, inspectCheckout, readCheckouts, unpushedCommits, type Inspection } from '../fetch/index.js';
import { runPool } from '../fetch/pool.js';
import { entryMatches, readLock, type Lock, type LockEntry } from '../resolve/quick.js';
import type { Source } from '../types.js';
import { flag, type CommandSpec } from './command.js';
import { planFor } from './plan.js';
import { hasWork, renderStatusTable, type StatusRow } from './status-text.js';

/** The ref the manifest asks for, as written. */
function requested(s: Source): string | undefined {
  if (s.type === 'git') return s.ref;
  if (s.type === 'svn' || s.type === 'hg') return s.ref;
  return undefined;
}

/**
 * What `weft up` would check out from weft.lock: the entry's commit, revision or integrity,
 * when the entry still describes the manifest's source (as `applyLock` decides; a commit
 * written in the manifest wins over the lock's there too).
 */
function lockedRevision(s: Source, e: LockEntry | undefined): string | undefined {
  if (!entryMatches(s, e)) return undefined;
  if (s.type === 'git') return s.commit ?? e.commit;
  if (s.type === 'svn' || s.type === 'hg') return e.revision;
  if (s.type === 'archive') return e.integrity;
  return undefined;
}

/** Whether the checkout differs from `pin`; unknown counts as not different. */
function differs(pin: string | undefined, now: Inspection): boolean {
  if (!now.present || pin === undefined || now.revision === undefined) return false;
  return pin !== now.revision;
}

/** weft.lock, or the error reading it: a lock broken by a merge conflict still lets status show the checkouts. */
async function lockOrError(workspace: string): Promise<{ lock?: Lock; error?: WeftError }> {
  try {
    return { lock: await readLock(workspace) };
  } catch (err) {
    if (isWeftError(err)) return { error: err };
    throw err;
  }
}

export const command: CommandSpec = {
  name: 'status',
  summary: 'show each checkout: locked and checked-out revision, branch, local changes, ahead/behind',
  usage: 'status [--json] [--exit-code]',
  description: `
One line per source: the ref the manifest asks for, the revision weft.lock pins, what is
checked out now, the branch, uncommitted and untracked files, and how far the branch is
ahead of or behind its upstream. Looks only at the local checkouts; it never fetches, so
ahead/behind is as of the last fetch.

"moved": the checkout is no longer at the revision \`weft up\` left there (a commit of
yours, a checkout of another revision). "not at lock": weft.lock pins another revision
than the one \`weft up\` left there (a \`git pull\` or \`git checkout\` brought another
weft.lock); \`weft up\` moves it. A source switched with \`weft switch\` is on its branch
on purpose and is neither; switched to its own checkout, work left in the main checkout
is shown after "; main checkout:".

--exit-code exits 1 when any checkout is missing, moved, not at the revision weft.lock
pins, has modified, staged or untracked files (files the VCS ignores do not count), or
has a problem: not a checkout weft can read, or a checkout of another repository than
the manifest names (its URL changed since; \`weft up\` leaves such a checkout alone).`,
  options: {
    'exit-code': { type: 'boolean', description: 'exit 1 when a checkout is missing, moved, not at its locked revision, has modified or untracked files, or a problem' },
  },
  positionals: 'none',
  async run(ctx, args) {
    const plan = await planFor(ctx);
    const { lock, error: lockError } = await lockOrError(plan.workspace);
    const checkouts = await readCheckouts(plan);
    const inspectCtx = { env: ctx.env, cacheDir: cacheDirFrom(ctx.env) };
    const found = await runPool(
      checkouts.map((c, i) => ({
        run: async () => {
          const now = await inspectCheckout(c.type, c.dir, inspectCtx, activeSource(plan.sources[i]!, c));
          // Moved from where weft put it with no upstream to be ahead of (a detached HEAD, a
          // branch never pushed): whether the commits there are on any remote is the question.
          const unpushed = c.type === 'git' && now.revision !== undefined && now.upstream === undefined && now.revision !== c.revision
            ? await unpushedCommits(c.dir, inspectCtx)
            : undefined;
          return {
            now,
            unpushed,
            // A source switched to its own checkout has its main one too, maybe with work in it.
            main: c.switched === 'worktree' ? await inspectCheckout(c.type, plan.sources[i]!.dir, inspectCtx) : undefined,
          };
        },
      })),
      { jobs: defaults.jobs, jobsPerHost: defaults.jobs },
    );
    const rows: StatusRow[] = plan.sources.map((s, i) => {
      const c = checkouts[i]!;
      const { now, main, unpushed } = found[i]!;
      const recorded = c.revision;
      const locked = lockedRevision(s, lock?.sources[s.name]);
      const row: StatusRow = {
        name: s.name,
        kind: s.type,
        dir: c.dir,
        ref: requested(s) ?? null,
        locked: locked ?? null,
        // What weft last placed there (state.json): "moved" is measured from it.
        recorded: recorded ?? null,
        // An archive's: the integrity in the marker weft left in the tree it extracted.
        revision: now.revision ?? null,
        // svn has no branch of its own to read: a switched source is on the one it was switched to.
        branch: now.branch ?? (s.type === 'svn' && c.switched ? c.branch : undefined) ?? null,
        dirty: now.modified,
        untracked: now.untracked,
        ahead: now.ahead ?? null,
        behind: now.behind ?? null,
        upstream: now.upstream ?? null,
        missing: !now.present,
        // A branch made active by weft switch is away from the recorded and locked revision on
        // purpose, and `weft up` does not move it: neither counts.
        moved: !c.switched && differs(recorded, now),
        offLock: !c.switched && differs(locked, now),
      };
      if (unpushed) row.unpushed = unpushed;
      if (c.switched) row.switched = c.switched;
      if (main?.present) row.main = { dir: s.dir, branch: main.branch ?? null, dirty: main.modified, untracked: main.untracked, ahead: main.ahead ?? null };
      if (now.problem) row.problem = now.problem;
      return row;
    });
    if (ctx.json) ctx.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    else ctx.stdout.write(renderStatusTable(rows, ctx.color));
    if (lockError) {
      ctx.stderr.write(formatError(lockError, ctx.cwd) + '\n');
      return lockError.exitCode;
    }
    if (!flag(args, 'exit-code')) return 0;
    // Untracked files are work too: weft up and weft switch refuse to move over them.
    // A problem (not a checkout, or one of another repository) is one `weft up` refuses.
    return rows.some((r) => r.missing || r.moved || r.offLock || hasWork(r) || r.problem !== undefined) ? 1 : 0;
  },
};
