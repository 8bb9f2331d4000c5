// Public entry of the resolve layer: weft.yaml (+ includes, weft.local.yaml) → Plan.
export { findManifest, MANIFEST_NAMES, LOCAL_MANIFEST_NAME } from './load.js';
export { resolvePlan, type ResolveOptions } from './plan.js';
export { loadPlan, loadPlanCached, type LoadedPlan } from './load-plan.js';
export { planCachePath, PLAN_CACHE_FILE } from './plan-cache.js';
export {
  LIST_VARIABLES,
  MANIFEST_KEYS,
  LOCAL_MANIFEST_KEYS,
  SOURCE_KEYS,
  SOURCE_KINDS,
  KIND_KEYS,
  KIND_SPECIFIC_KEYS,
  COMMON_SOURCE_KEYS,
  SETUP_KEYS,
  SETUP_WHEN,
  IMPORT_KEYS,
  ENV_OP_KEYS,
  ARCHIVE_FORMATS,
  RESERVED_VAR_NAMES,
} from './keys.js';
export { SCHEMA_VERSION } from './read-manifest.js';
export { readLock, parseLock, lockPath, LOCK_NAME, LOCK_VERSION, type Lock, type LockEntry } from './lock.js';
export { renderLock, writeLock, entryFor } from './lock-write.js';
export { applyLock, heldForImports, lockAfter, lockStaleness, personalSources, describeProblems, entryMatches, type ApplyResult, type LockProblem } from './lock-apply.js';
export { selectSources, type Selection } from './select.js';
export { checkRequires, requiresError, type ToolCheck, type RequiresDeps } from './requires.js';
export { probeTools } from './requires-run.js';
export { whichTool } from '../exec.js';
export { parseRange, satisfies, parseToolVersion } from './version-range.js';
export { readUserConfig, userConfigPath } from './config.js';
export { resolveImports, locateOnDisk } from './imports.js';
