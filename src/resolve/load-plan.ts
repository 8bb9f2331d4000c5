// Loading the plan: from .weft/plan-cache.json when every input is as it was, else by
// resolving — and only then are the resolver and the YAML parser loaded at all.
import type { Plan } from '../types.js';
import type { ResolveOptions } from './plan.js';
import { readPlanCache, writePlanCache } from './plan-cache.js';

export interface LoadedPlan {
  plan: Plan;
  /** It came from the plan cache. */
  cached: boolean;
  /**
   * Records the plan in the cache for the next run. `weft up` calls it after converging;
   * nothing else writes the cache, so read-only commands stay read-only.
   */
  remember(): void;
}

/** `store`: the cache's plans/ (see plan-cache.ts), for `weft up`; absent, only the workspace's own cache. */
export async function loadPlanCached(opts: ResolveOptions, store?: string): Promise<LoadedPlan> {
  const env = opts.env ?? process.env;
  const key = { cwd: opts.cwd, manifest: opts.manifest, vars: opts.vars, env, store };
  // Only the plain question "what does this workspace ask for": without weft.local.yaml,
  // or after sources converged (a missing import is then an error), the answer differs.
  const eligible = opts.local !== false && opts.converged === undefined && opts.onRead === undefined;
  const hit = eligible ? readPlanCache(key) : undefined;
  if (hit) return { plan: hit.plan, cached: true, remember: () => hit.adopt?.() };
  const { resolvePlan } = await import('./plan.js');
  const read = new Map<string, string>();
  const plan = resolvePlan(eligible ? { ...opts, onRead: (file, text) => void read.set(file, text) } : opts);
  return { plan, cached: false, remember: () => (eligible ? writePlanCache(plan, read, key) : undefined) };
}

export async function loadPlan(opts: ResolveOptions): Promise<Plan> {
  return (await loadPlanCached(opts)).plan;
}
