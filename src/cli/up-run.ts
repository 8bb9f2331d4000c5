// The fetching half of `weft up` / `weft update`: the workspace lock, fetching, setup
// steps, env files, weft.lock and the stamp. A module of its own so that what only
// resolves (`--dry-run`, a usage error) never loads the fetch and shell layers.
import { defaults } from '../defaults.js';
import { WeftError } from '../errors.js';
import { up } from '../fetch/quick.js';
import { lockWorkspace, waitingForWorkspace } from '../fetch/workspace-lock.js';
import { buildEnvModel, weftFor, writeEnvFiles, writeStamp } from '../shell/quick.js';
import { join } from 'node:path';
import { lockAfter, writeLock, type Lock } from '../resolve/quick.js';
import { flag, type CommandContext, type ParsedArgs } from './command.js';
import type { Checkout, Plan } from '../types.js';
import { fetchWithImports } from './up-imports.js';
import { personalFor } from './plan.js';
import { catchInterrupt, type Interrupt } from './interrupt.js';
import { createProgress, summarize } from './report.js';

export interface Resolved {
  /** The plan with weft.lock applied. */
  plan: Plan;
  lock: Lock | undefined;
  only: string[];
  mode: 'up' | 'update';
  frozen: boolean;
  /** -j/--jobs; undefined for the default. */
  jobs: number | undefined;
  /** Records the plan in the plan cache (load-plan.ts). */
  remember: () => void;
  /** What `--from BUNDLE` placed before the run. */
  placed?: Placed;
}

export async function runConverge(ctx: CommandContext, args: ParsedArgs, r: Resolved): Promise<number> {
  const { plan, lock, only, mode, frozen, jobs } = r;
  const selected = only.length ? only.length : plan.sources.length;
  const progress = await createProgress(ctx, selected);
  const interrupt = catchInterrupt(ctx, { before: () => progress.stop(), doing: 'stopping the sources in progress and cleaning up' });
  try {
    // Held until the stamp is written: a second `weft up` waits for this one's setup steps,
    // lock and env files too, not only for its fetching.
    let held;
    try {
      held = await lockWorkspace(plan.workspace, {
        waitMs: defaults.workspaceLockWaitMs,
        staleMs: defaults.staleLockMs,
        signal: interrupt.signal,
        onWait: (h) => progress.onEvent({ name: '', phase: 'waiting', message: waitingForWorkspace(h) }),
      });
    } catch (err) {
      progress.stop();
      // Ctrl-C while waiting for another weft: the wait was abandoned, nothing was changed.
      if (interrupt.interrupted) {
        throw new WeftError('WEFT_E_CANCELLED', `interrupted while waiting for another weft process to finish with ${plan.workspace}; nothing was changed`, {
          hint: 'run weft up again once the other one is done',
          exitCode: 130,
        });
      }
      throw err;
    }
    try {
      return await convergeLocked(ctx, args, { plan, lock, only, mode, frozen, jobs, progress, remember: r.remember, interrupt, placed: r.placed });
    } finally {
      held.release();
    }
  } finally {
    interrupt.dispose();
  }
}

interface Converging {
  plan: Plan;
  lock: Lock | undefined;
  only: string[];
  mode: 'up' | 'update';
  frozen: boolean;
  jobs: number | undefined;
  progress: Awaited<ReturnType<typeof createProgress>>;
  remember: () => void;
  interrupt: Interrupt;
  placed?: Placed;
}

async function convergeLocked(ctx: CommandContext, args: ParsedArgs, c: Converging): Promise<number> {
  const { lock, only, mode, frozen, jobs, progress, interrupt } = c;
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
      signal: interrupt.signal,
      onEvent: (e) => progress.onEvent(e),
      // Credentials are asked for only where a person can answer: both ends a terminal, not CI.
      prompt: process.stdin.isTTY && ctx.stderr.isTTY && !ctx.env['CI'] && !flag(args, 'no-input') ? { announce: (line) => (progress.stop(), ctx.stderr.write(line)) } : undefined,
      // On a terminal all the same: the advice then says what keeps git from asking.
      noPrompt: process.stdin.isTTY && ctx.stderr.isTTY ? (flag(args, 'no-input') ? 'no-input' : ctx.env['CI'] ? 'ci' : undefined) : undefined,
    })));
  } finally {
    progress.stop();
  }
  checkouts = markPlaced(checkouts, c.placed);
  await writeEnvFiles(buildEnvModel(plan, checkouts), join(plan.workspace, '.weft', 'env'));
  // Setup (trust, the step runner) loads only for a plan that has steps at all.
  // No setup step starts after an interrupt (one running then is stopped): the next
  // `weft up` runs those still due.
  const setup = !interrupt.interrupted && plan.sources.some((s) => s.setup.length > 0) ? await (await import('./setup-after-up.js')).setupAfterUp(ctx, plan, checkouts, args, only, interrupt.signal) : undefined;
  const setupFailed = setup?.failed === true;
  const bad = checkouts.filter((k) => k.status === 'failed' || k.status === 'skipped');
  if (ctx.json) {
    // `ok` is what the exit code says: sources and setup alike.
    const report = { workspace: plan.workspace, ok: bad.length === 0 && !setupFailed, checkouts, ...(setup?.steps.length ? { setup: setup.steps } : {}) };
    const errors = setup?.error ? { errors: [{ code: setup.error.code, message: setup.error.message, ...(setup.error.hint ? { hint: setup.error.hint } : {}) }] } : {};
    ctx.stdout.write(JSON.stringify({ ...report, ...errors }, null, 2) + '\n');
  } else if (!ctx.quiet) {
    ctx.stdout.write(summarize(checkouts, ctx.cwd));
    if (bad.length === 0) {
      // Commands to copy from where weft was started (before -C), naming the manifest when
      // a plain `weft env` there would not find it.
      const w = weftFor(plan, process.cwd());
      ctx.stdout.write(`environment: eval "$(${w} env)"  or  ${w} run -- COMMAND\n`);
    }
  } else if (bad.length > 0) {
    ctx.stderr.write(summarize(bad, ctx.cwd));
  }
  if (!frozen) {
    // The lock describes the committed manifest: what weft.local.yaml changes stays out of it.
    const next = lockAfter(plan, lock, checkouts, only.length ? new Set(only) : undefined, await personalFor(ctx, plan));
    // A first run where nothing converged has nothing to record: an empty weft.lock would
    // only invite a commit of nothing.
    const nothing = lock === undefined && plan.sources.length > 0 && Object.keys(next.sources).length === 0;
    if (!nothing && (await writeLock(plan.workspace, next))) log(ctx, 'wrote weft.lock\n');
  }
  c.remember();
  // Stamped last (after the env files and the lock): `weft env` uses the pre-rendered
  // files only while every stamped file is as it was here.
  writeStamp(plan, ctx.vars, ctx.env);
  if (interrupt.interrupted) return 130;
  return bad.length > 0 || setupFailed ? 1 : 0;
}

function log(ctx: CommandContext, text: string): void {
  if (!ctx.quiet && !ctx.json) ctx.stderr.write(text);
}

/** The svn and hg sources the bundle placed before the run (their trees, not a fetcher's work). */
export type Placed = Map<string, NonNullable<Checkout['fromBundle']>>;

/**
 * The run's checkouts, saying what the bundle placed: an hg clone the run then found
 * "unchanged", an svn export the run left out, were both made just now, by the bundle.
 */
export function markPlaced(checkouts: Checkout[], placed: Placed | undefined): Checkout[] {
  if (!placed?.size) return checkouts;
  return checkouts.map((c) => {
    const how = placed.get(c.name);
    if (how === undefined || (c.status !== 'unchanged' && !c.notSelected)) return c;
    const { notSelected: _, ...rest } = c;
    return { ...rest, status: 'cloned', fromBundle: how };
  });
}
