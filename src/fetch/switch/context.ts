// What the switch, merge and prune operations are handed: the environment child processes
// start from, the cache (for git's empty hooks dir) and the tunables.
import type { Defaults } from '../../defaults.js';
import { createGit, type Git } from '../git/run.js';

export interface BranchContext {
  env: NodeJS.ProcessEnv;
  cacheDir: string;
  defaults: Defaults;
}

export function branchGit(ctx: BranchContext): Git {
  return createGit({ cacheDir: ctx.cacheDir, env: ctx.env, offline: false, defaults: ctx.defaults });
}
