import { WeftError } from '../errors.js';
import { applyLock, selectSources, describeProblems, lockPath, readLock } from '../resolve/quick.js';
import { flag, listOpt, stringOpt, type CommandContext, type CommandSpec, type ParsedArgs } from './command.js';
import { jobsHelp, parseJobs } from './jobs-option.js';
import { loadedPlanFor, lockStalenessFor } from './plan.js';
import type { Placed } from './up-run.js';

export const command: CommandSpec = {
  name: 'up',
  summary: 'fetch and check out every source, write the environment',
  usage: 'up [NAME…] [options]',
  description: `
Converges the workspace to the manifest: clones what is missing, moves what the manifest
moved, leaves alone what is already right, and never touches a checkout holding work that
is not safely on a remote (uncommitted changes, untracked files, unpushed commits) — those
are reported and skipped (exit 1). Then writes .weft/env/ for every shell.`,
  options: {
    'dry-run': { type: 'boolean', short: 'n', description: 'print the plan and change nothing' },
    jobs: { type: 'string', short: 'j', arg: 'N', description: jobsHelp('parallel workers') },
    offline: { type: 'boolean', description: 'never touch the network; fail for what is not cached' },
    force: { type: 'boolean', description: 'move checkouts even when that discards local work (says what first)' },
    'fail-fast': { type: 'boolean', description: 'stop starting new work after the first failure' },
    group: { type: 'string', short: 'g', multiple: true, arg: 'G', description: 'only the sources in group G (and what they depend on)' },
    skip: { type: 'string', multiple: true, arg: 'NAME', description: 'leave source NAME out' },
    frozen: { type: 'boolean', description: 'use weft.lock as is; fail (exit 1) before fetching if it is missing or would change' },
    'no-input': { type: 'boolean', description: 'never let git ask for credentials, even on a terminal (also when CI is set)' },
    from: { type: 'string', arg: 'FILE', description: 'set up from a file made by "weft bundle", with no network' },
    'no-setup': { type: 'boolean', description: 'do not run setup steps (says how many were due)' },
  },
  positionals: 'names',
  run: (ctx, args) => converge(ctx, args, 'up'),
};

/** `weft up` and `weft update`: the same run, except update leaves the named (or all) sources unpinned. */
export async function converge(ctx: CommandContext, args: ParsedArgs, mode: 'up' | 'update'): Promise<number> {
  let placed: Placed | undefined;
  // A usage error before any work: --from places a bundle, --dry-run prints the plan.
  const jobs = parseJobs(stringOpt(args, 'jobs'));
  if (mode === 'up' && stringOpt(args, 'from') !== undefined) ({ args, placed } = await (await import('./bundle-from.js')).prepareFromBundle(ctx, args, stringOpt(args, 'from')!));
  const loaded = await loadedPlanFor(ctx);
  const manifestPlan = loaded.plan;
  const picked = selectSources(manifestPlan, { names: args.positionals, groups: listOpt(args, 'group'), skip: listOpt(args, 'skip') });
  // An empty manifest (a fresh `weft init`) still converges: its env files are written.
  if (picked.length === 0 && manifestPlan.sources.length > 0) {
    throw new WeftError('WEFT_E_USAGE', 'no source left to act on after --skip', { hint: 'name fewer sources in --skip' });
  }
  // Everything selected means "no selection", so a plain `weft up` stays a whole-workspace run.
  const only = picked.length === manifestPlan.sources.length ? [] : picked;
  const lock = await readLock(manifestPlan.workspace);
  const frozen = mode === 'up' && flag(args, 'frozen');
  if (frozen) {
    // The judgement `weft lock --check` makes, on the committed manifest: a source
    // weft.local.yaml makes personal is not written to the lock either way.
    const problems = await lockStalenessFor(ctx, manifestPlan, lock);
    if (!lock || problems.length) {
      throw new WeftError('WEFT_E_FROZEN', lock ? `--frozen: weft.lock would change for ${problems.map((p) => p.name).join(', ')}\n${describeProblems(problems).trimEnd()}` : `--frozen: ${lockPath(manifestPlan.workspace)} does not exist`, {
        hint: 'run "weft lock" (or weft up without --frozen) and commit weft.lock',
      });
    }
  }
  const unpinned = mode === 'update' ? new Set(only.length ? only : manifestPlan.sources.map((s) => s.name)) : new Set<string>();
  const plan = applyLock(manifestPlan, lock, unpinned).plan;
  if (flag(args, 'dry-run')) {
    ctx.stdout.write(ctx.json ? JSON.stringify(plan, null, 2) + '\n' : (await import('./plan-text.js')).renderPlan(plan, only));
    return 0;
  }
  return (await import('./up-run.js')).runConverge(ctx, args, { plan, lock, only, mode, frozen, jobs, remember: () => loaded.remember(), placed });
}
