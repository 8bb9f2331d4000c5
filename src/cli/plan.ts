import { join } from 'node:path';
import { cacheDirFrom } from '../cache-problem.js';
import { LOCAL_MANIFEST_NAME } from '../resolve/find.js';
import { loadPlan, loadPlanCached, lockStaleness, personalSources, type LoadedPlan, type Lock, type LockProblem } from '../resolve/quick.js';
import { WeftError } from '../errors.js';
import { suggest } from '../suggest.js';
import type { Plan } from '../types.js';
import type { CommandContext } from './command.js';

export function planFor(ctx: CommandContext): Promise<Plan> {
  return loadPlan({ cwd: ctx.cwd, manifest: ctx.manifest, vars: ctx.vars, env: ctx.env });
}

/** The plan of the committed files alone, without weft.local.yaml: what weft.lock describes. */
export function committedPlanFor(ctx: CommandContext): Promise<Plan> {
  return loadPlan({ cwd: ctx.cwd, manifest: ctx.manifest, vars: ctx.vars, env: ctx.env, local: false });
}

/** `plan` without weft.local.yaml: itself, and nothing read again, when it read none. */
export async function committedPlanOf(ctx: CommandContext, plan: Plan): Promise<Plan> {
  return plan.files.includes(join(plan.workspace, LOCAL_MANIFEST_NAME)) ? committedPlanFor(ctx) : plan;
}

/**
 * Whether weft.lock is stale (lockStaleness), judged against the committed manifest: the
 * one answer `weft lock --check` and `weft up --frozen` give. `plan` may hold
 * weft.local.yaml's overrides; they are left out.
 */
export async function lockStalenessFor(ctx: CommandContext, plan: Plan, lock: Lock | undefined): Promise<LockProblem[]> {
  return lockStaleness(await committedPlanOf(ctx, plan), lock);
}

/**
 * The sources of `plan` that weft.local.yaml makes personal (personalSources): empty, and
 * nothing read again, when the plan read no weft.local.yaml.
 */
export async function personalFor(ctx: CommandContext, plan: Plan): Promise<Set<string>> {
  if (!plan.files.includes(join(plan.workspace, LOCAL_MANIFEST_NAME))) return new Set();
  return personalSources(plan, await committedPlanFor(ctx));
}

/** planFor, saying whether the plan came from the plan cache and able to record it there. */
export function loadedPlanFor(ctx: CommandContext): Promise<LoadedPlan> {
  // The cache's store of plans resolved in other workspaces (a second workspace of one manifest).
  return loadPlanCached({ cwd: ctx.cwd, manifest: ctx.manifest, vars: ctx.vars, env: ctx.env }, join(cacheDirFrom(ctx.env), 'plans'));
}

/** Checks that every NAME given on the command line is a source of the plan. */
export function checkNames(plan: Plan, names: string[]): string[] {
  const known = plan.sources.map((s) => s.name);
  for (const n of names) {
    if (!known.includes(n)) {
      const guess = suggest(n, known);
      throw new WeftError('WEFT_E_USAGE_SOURCE', `no source named "${n}" in ${plan.manifest}`, {
        hint: guess ? `did you mean "${guess}"?` : `sources: ${known.join(', ') || '(none)'}`,
      });
    }
  }
  return names;
}
