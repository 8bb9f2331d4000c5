// Managing the shared cache: what it holds, what is old, what is broken.
export { listEntries, type CacheEntry } from './entries.js';
export { enterCache, lockForMaintenance, type GuardOptions, type Registration } from './guard.js';
export { entryPath, type EntryKind, type EntryRef } from './layout.js';
export { pruneCache, type PruneOptions, type PruneResult } from './prune.js';
export { removeEntry, type RemoveOutcome } from './remove.js';
export { entryOf, recordUse } from './usage.js';
export { verifyCache, type Verdict, type VerifyContext } from './verify.js';
