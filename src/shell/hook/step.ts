// What a hook in a shell that cannot source weft's pre-rendered files (nu, PowerShell) loads
// into itself: the variables to set and the ones to remove, computed by weft from the very
// environment the shell handed it, as JSON the shell parses with its own builtins. Leaving and
// entering another workspace is one step (one Node start): revert first, then apply.
import { applyEnv, revertEnv } from '../apply.js';
import type { EnvModel } from '../model.js';
import { modelFromRecord } from '../record.js';

export interface HookStep {
  /** Present when the step applied (or refused to apply) a workspace. */
  trusted?: boolean;
  /**
   * Why the workspace was not applied when its manifest cannot be read: the first line of
   * weft's error without its \`weft: \` prefix, as the bash, zsh and fish hooks print it.
   */
  problem?: string;
  set: Record<string, string>;
  unset: string[];
}

export interface HookStepInput {
  /** Take out what the record in `env` says weft added (leaving, or re-applying). */
  revert: boolean;
  /** The workspace to apply: its model when trusted, null when not; absent to apply nothing. */
  apply?: EnvModel | null;
  /** Why `apply` is null when the manifest could not be read (not merely untrusted). */
  problem?: string;
}

export function hookStep(env: NodeJS.ProcessEnv, input: HookStepInput): HookStep {
  const recorded = input.revert ? modelFromRecord(env) : undefined;
  const reverted = recorded === undefined ? env : revertEnv(recorded, env);
  const after = input.apply ? applyEnv(input.apply, reverted) : reverted;
  const step: HookStep = { set: {}, unset: [] };
  if (input.apply !== undefined) step.trusted = input.apply !== null;
  if (input.problem !== undefined) step.problem = input.problem;
  // Every name either side has: the revert and the apply only touch their models' names,
  // so this is exactly what changed, bookkeeping included.
  for (const name of new Set([...Object.keys(env), ...Object.keys(after)])) {
    const value = after[name];
    if (value === env[name]) continue;
    if (value === undefined) step.unset.push(name);
    else step.set[name] = value;
  }
  return step;
}
