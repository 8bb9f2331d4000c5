// The resolve layer's light entry: what `weft up` needs when nothing changed — the plan
// (from the plan cache when it can be), the lock read by its fast path and written without
// re-rendering. Nothing here loads the manifest reader or the YAML parser up front; the
// full entry (index.ts) re-exports all of it.
export { loadPlan, loadPlanCached, type LoadedPlan } from './load-plan.js';
export type { ResolveOptions } from './plan.js';
export { readLock, parseLock, lockPath, LOCK_NAME, type Lock, type LockEntry } from './lock.js';
export { renderLock, writeLock, entryFor } from './lock-write.js';
export { applyLock, heldForImports, lockAfter, lockStaleness, personalSources, describeProblems, entryMatches, type ApplyResult, type LockProblem } from './lock-apply.js';
export { selectSources, type Selection } from './select.js';
