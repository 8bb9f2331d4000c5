import { defaults } from '../defaults.js';
import { WeftError } from '../errors.js';
import { up } from '../fetch/quick.js';
import { lockWorkspace } from '../fetch/workspace-lock.js';
import { buildEnvModel, writeEnvFiles, writeStamp } from '../shell/quick.js';
import { join } from 'node:path';
import { applyLock, selectSources, describeProblems, lockAfter, lockPath, lockProblems, readLock, writeLock } from '../resolve/quick.js';
import { flag, listOpt, stringOpt, type CommandContext, type CommandSpec, type ParsedArgs } from './command.js';
import type { Plan } from '../types.js';
import { loadedPlanFor } from './plan.js';
import { fetchWithImports } from './up-imports.js';
import { createProgress, summarize } from './report.js';

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
    jobs: { type: 'string', short: 'j', arg: 'N', description: `parallel workers (default ${defaults.jobs})` },
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
  if (mode === 'up' && stringOpt(args, 'from') !== undefined) args = await (await import('./bundle-from.js')).prepareFromBundle(ctx, args, stringOpt(args, 'from')!);
  const loaded = await loadedPlanFor(ctx);
  const manifestPlan = loaded.plan;
  const picked = selectSources(manifestPlan, { names: args.positionals, groups: listOpt(args, 'group'), skip: listOpt(args, 'skip') });
  if (picked.length === 0) {
    throw new WeftError('WEFT_E_USAGE', 'no source left to act on after --skip', { hint: 'name fewer sources in --skip' });
  }
  // Everything selected means "no selection", so a plain `weft up` stays a whole-workspace run.
  const only = picked.length === manifestPlan.sources.length ? [] : picked;
  const lock = await readLock(manifestPlan.workspace);
  const frozen = mode === 'up' && flag(args, 'frozen');
  if (frozen) {
    // Where an entry is written is not what it pins: a shifted line must not fail CI.
    const problems = lockProblems(manifestPlan, lock).filter((p) => p.why !== 'moved');
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
  const jobsText = stringOpt(args, 'jobs');
  const jobs = jobsText === undefined ? undefined : Number(jobsText);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs > 0)) {
    throw new WeftError('WEFT_E_USAGE', `--jobs needs a positive whole number, got "${jobsText}"`, { hint: 'e.g. -j 8' });
  }
  const selected = only.length ? only.length : plan.sources.length;
  const progress = await createProgress(ctx, selected);
  // Held until the stamp is written: a second `weft up` waits for this one's setup steps,
  // lock and env files too, not only for its fetching.
  let held;
  try {
    held = await lockWorkspace(plan.workspace, {
      waitMs: defaults.workspaceLockWaitMs,
      staleMs: defaults.staleLockMs,
      onWait: (h) => progress.onEvent({ name: '', phase: 'waiting', message: `waiting for weft process ${h?.pid ?? '?'} to finish with this workspace` }),
    });
  } catch (err) {
    progress.stop();
    throw err;
  }
  try {
    return await convergeLocked(ctx, args, { plan, lock, only, mode, frozen, jobs, progress, remember: () => loaded.remember() });
  } finally {
    held.release();
  }
}

interface Converging {
  plan: Plan;
  lock: Awaited<ReturnType<typeof readLock>>;
  only: string[];
  mode: 'up' | 'update';
  frozen: boolean;
  jobs: number | undefined;
  progress: Awaited<ReturnType<typeof createProgress>>;
  remember: () => void;
}

async function convergeLocked(ctx: CommandContext, args: ParsedArgs, c: Converging): Promise<number> {
  const { lock, only, mode, frozen, jobs, progress } = c;
  let plan = c.plan;
  let checkouts;
  try {
    ({ plan, checkouts } = await fetchWithImports(ctx, plan, { only, lock, mode, frozen }, (p, names) => up(p, {
      only: names,
      jobs,
      offline: flag(args, 'offline'),
      force: flag(args, 'force'),
      failFast: flag(args, 'fail-fast'),
      env: ctx.env,
      workspaceLocked: true,
      onEvent: (e) => progress.onEvent(e),
      // Credentials are asked for only where a person can answer: both ends a terminal, not CI.
      prompt: process.stdin.isTTY && ctx.stderr.isTTY && !ctx.env['CI'] && !flag(args, 'no-input') ? { announce: (line) => (progress.stop(), ctx.stderr.write(line)) } : undefined,
    })));
  } finally {
    progress.stop();
  }
  await writeEnvFiles(buildEnvModel(plan, checkouts), join(plan.workspace, '.weft', 'env'));
  // Setup (trust, the step runner) loads only for a plan that has steps at all.
  const setupFailed = plan.sources.some((s) => s.setup.length > 0) && (await (await import('./setup-after-up.js')).setupAfterUp(ctx, plan, checkouts, args, only));
  const bad = checkouts.filter((k) => k.status === 'failed' || k.status === 'skipped');
  if (ctx.json) {
    ctx.stdout.write(JSON.stringify({ workspace: plan.workspace, ok: bad.length === 0, checkouts }, null, 2) + '\n');
  } else if (!ctx.quiet) {
    ctx.stdout.write(summarize(checkouts));
    if (bad.length === 0) ctx.stdout.write('environment: eval "$(weft env)"  or  weft run -- COMMAND\n');
  } else if (bad.length > 0) {
    ctx.stderr.write(summarize(bad));
  }
  if (!frozen) {
    const next = lockAfter(plan, lock, checkouts, only.length ? new Set(only) : undefined);
    if (await writeLock(plan.workspace, next)) log(ctx, 'wrote weft.lock\n');
  }
  c.remember();
  // Stamped last (after the env files and the lock): `weft env` uses the pre-rendered
  // files only while every stamped file is as it was here.
  writeStamp(plan, ctx.vars, ctx.env);
  return bad.length > 0 || setupFailed ? 1 : 0;
}

function log(ctx: CommandContext, text: string): void {
  if (!ctx.quiet && !ctx.json) ctx.stderr.write(text);
}
