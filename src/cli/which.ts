import { existsSync } from 'node:fs';
import { readCheckouts, readState } from '../fetch/index.js';
import type { Checkout, Plan } from '../types.js';
import type { CommandSpec } from './command.js';
import { checkNames, planFor } from './plan.js';

interface Place {
  branch: string | null;
  dir: string;
  active: boolean;
}

/** Every checkout of a source weft knows: the active one first, then the main checkout and branch checkouts not in use. */
function placesOf(plan: Plan, c: Checkout, branchDirs: Record<string, string>, mainBranch: string | undefined): Place[] {
  const s = plan.sources.find((x) => x.name === c.name)!;
  const out: Place[] = [{ branch: c.branch ?? null, dir: c.dir, active: true }];
  if (c.dir !== s.dir) out.push({ branch: mainBranch ?? null, dir: s.dir, active: false });
  // A branch checkout removed behind weft's back (git worktree remove) is no place to go back to.
  for (const [branch, dir] of Object.entries(branchDirs)) if (dir !== c.dir && existsSync(dir)) out.push({ branch, dir, active: false });
  return out;
}

export const command: CommandSpec = {
  name: 'which',
  summary: "print each source's active branch and directory",
  usage: 'which [NAME]',
  description: `
Without NAME: one line per source with its active branch and the directory in use (a branch
checkout when weft switch made one active), then a "(not active)" line for each other
checkout of it that weft made (the main checkout, other branches). With NAME: only that
source's active directory, for

  cd "$(weft which NAME)"`,
  options: {},
  positionals: 'names',
  async run(ctx, args) {
    const plan = await planFor(ctx);
    const names = checkNames(plan, args.positionals);
    const checkouts = await readCheckouts(plan);
    if (names.length === 1) {
      ctx.stdout.write(checkouts.find((c) => c.name === names[0])!.dir + '\n');
      return 0;
    }
    const state = readState(plan.workspace);
    const shown = (names.length ? checkouts.filter((c) => names.includes(c.name)) : checkouts).map((c) => {
      const entry = state.sources[c.name];
      const recorded = entry && entry.dir === plan.sources.find((s) => s.name === c.name)?.dir;
      return { c, places: placesOf(plan, c, recorded ? (entry.branchDirs ?? {}) : {}, recorded ? entry.branch : undefined) };
    });
    if (ctx.json) {
      const rows = shown.map(({ c, places }) => ({ name: c.name, branch: c.branch ?? null, dir: c.dir, checkouts: places }));
      ctx.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      return 0;
    }
    const rows = shown.flatMap(({ c, places }) => places.map((p) => ({ name: c.name, ...p })));
    const nameWidth = Math.max(0, ...rows.map((r) => r.name.length));
    const branchWidth = Math.max(1, ...rows.map((r) => (r.branch ?? '-').length));
    for (const r of rows) {
      const line = `${r.name.padEnd(nameWidth)}  ${(r.branch ?? '-').padEnd(branchWidth)}  ${r.dir}${r.active ? '' : '  (not active)'}`;
      ctx.stdout.write(line + '\n');
    }
    return 0;
  },
};
