// After `weft switch` or `weft merge` changes which directory is active: the plan with the
// lock applied (so "back to the manifest's ref" means the locked revision), and the env
// files and stamp rewritten so `weft env`, `weft run` and the hook follow the switch.
import { join } from 'node:path';
import { defaults } from '../defaults.js';
import { cacheDirFrom, readCheckouts } from '../fetch/index.js';
import type { BranchContext } from '../fetch/switch/context.js';
import { applyLock, readLock } from '../resolve/index.js';
import { buildEnvModel, writeEnvFiles, writeStamp } from '../shell/index.js';
import type { Plan } from '../types.js';
import type { CommandContext } from './command.js';
import { planFor } from './plan.js';

export async function lockedPlan(ctx: CommandContext): Promise<Plan> {
  const manifestPlan = await planFor(ctx);
  return applyLock(manifestPlan, await readLock(manifestPlan.workspace), new Set()).plan;
}

export function branchContext(ctx: CommandContext): BranchContext {
  return { env: ctx.env, cacheDir: cacheDirFrom(ctx.env), defaults };
}

export async function refreshEnv(ctx: CommandContext, plan: Plan): Promise<void> {
  await writeEnvFiles(buildEnvModel(plan, await readCheckouts(plan)), join(plan.workspace, '.weft', 'env'));
  writeStamp(plan, ctx.vars, ctx.env);
}

export function say(ctx: CommandContext, lines: string[]): void {
  if (!ctx.quiet && !ctx.json) ctx.stdout.write(lines.map((l) => l + '\n').join(''));
}
