import { defaults } from '../defaults.js';
import { cacheDirFrom, inspectCheckout, readCheckouts, type Inspection } from '../fetch/index.js';
import { runPool } from '../fetch/pool.js';
import type { Source } from '../types.js';
import { flag, type CommandSpec } from './command.js';
import { planFor } from './plan.js';
import { renderStatusTable, type StatusRow } from './status-text.js';

/** The manifest's own pin, for showing: a ref as written, or the lock's commit/revision. */
function requested(s: Source): string | undefined {
  if (s.type === 'git') return s.ref;
  if (s.type === 'svn' || s.type === 'hg') return s.ref;
  return undefined;
}

/** Whether the checkout differs from what weft recorded; unknown counts as not moved. */
function moved(recorded: string | undefined, now: Inspection): boolean {
  if (!now.present || recorded === undefined || now.revision === undefined) return false;
  return recorded !== now.revision;
}

export const command: CommandSpec = {
  name: 'status',
  summary: 'show each checkout: revision, branch, local changes, ahead/behind',
  usage: 'status [--json] [--exit-code]',
  description: `
One line per source: the ref the manifest asks for, the revision weft recorded at the last
\`weft up\`, what is checked out now, the branch, uncommitted and untracked files, and how
far the branch is ahead of or behind its upstream. Looks only at the local checkouts; it
never fetches, so ahead/behind is as of the last fetch.

--exit-code exits 1 when any checkout is missing, not at its recorded revision, or has
modified, staged or untracked files (files the VCS ignores do not count).`,
  options: {
    'exit-code': { type: 'boolean', description: 'exit 1 when a checkout is missing, moved, or has modified or untracked files' },
  },
  positionals: 'none',
  async run(ctx, args) {
    const plan = await planFor(ctx);
    const checkouts = await readCheckouts(plan);
    const inspectCtx = { env: ctx.env, cacheDir: cacheDirFrom(ctx.env) };
    const found = await runPool(
      checkouts.map((c) => ({ run: () => inspectCheckout(c.type, c.dir, inspectCtx) })),
      { jobs: defaults.jobs, jobsPerHost: defaults.jobs },
    );
    const rows: StatusRow[] = plan.sources.map((s, i) => {
      const c = checkouts[i]!;
      const now = found[i]!;
      const recorded = c.revision;
      const row: StatusRow = {
        name: s.name,
        kind: s.type,
        dir: c.dir,
        ref: requested(s) ?? null,
        recorded: recorded ?? null,
        // An archive's: the integrity in the marker weft left in the tree it extracted.
        revision: now.revision ?? null,
        branch: now.branch ?? null,
        dirty: now.modified,
        untracked: now.untracked,
        ahead: now.ahead ?? null,
        behind: now.behind ?? null,
        upstream: now.upstream ?? null,
        missing: !now.present,
        // A branch made active by weft switch is not at the recorded revision on purpose.
        moved: !c.switched && moved(recorded, now),
      };
      if (c.switched) row.switched = c.switched;
      if (now.problem) row.problem = now.problem;
      return row;
    });
    if (ctx.json) ctx.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    else ctx.stdout.write(renderStatusTable(rows, ctx.color));
    if (!flag(args, 'exit-code')) return 0;
    // Untracked files are work too: weft up and weft switch refuse to move over them.
    return rows.some((r) => r.missing || r.moved || r.dirty > 0 || r.untracked > 0) ? 1 : 0;
  },
};
