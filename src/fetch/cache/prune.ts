// `weft cache prune`: removes the entries no `weft up` has used for a while, under the
// maintenance lock, so a run in progress is waited for and never loses an entry mid-way.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sweepAbandoned } from '../tmp.js';
import { listEntries, type CacheEntry } from './entries.js';
import { lockForMaintenance, type GuardOptions } from './guard.js';
import { ARCHIVE_NAME, MIRROR_NAME } from './layout.js';
import { removeEntry, type RemoveOutcome } from './remove.js';

export interface PruneOptions extends GuardOptions {
  /** Entries last used before this moment go. */
  olderThanMs: number;
  dryRun: boolean;
  now?: number;
}

export interface PruneResult {
  /** Old enough to go (with --dry-run: what would go). */
  candidates: CacheEntry[];
  outcomes: Map<CacheEntry, RemoveOutcome>;
  freedBytes: number;
}

export async function pruneCache(cacheDir: string, opts: PruneOptions): Promise<PruneResult> {
  const cutoff = (opts.now ?? Date.now()) - opts.olderThanMs;
  if (opts.dryRun) {
    const candidates = listEntries(cacheDir).filter((e) => e.lastUsedMs < cutoff);
    return { candidates, outcomes: new Map(), freedBytes: 0 };
  }
  const lock = await lockForMaintenance(cacheDir, 'weft cache prune', opts);
  try {
    // Listed under the lock: a run that finished while we waited has stamped its entries.
    const candidates = listEntries(cacheDir).filter((e) => e.lastUsedMs < cutoff);
    const outcomes = new Map<CacheEntry, RemoveOutcome>();
    let freedBytes = 0;
    for (const e of candidates) {
      const outcome = await removeEntry(cacheDir, e, opts.staleMs);
      outcomes.set(e, outcome);
      if (outcome === 'removed') freedBytes += e.sizeBytes;
    }
    sweepAbandoned(join(cacheDir, 'tmp'));
    dropOrphanStamps(cacheDir);
    return { candidates, outcomes, freedBytes };
  } finally {
    lock.release();
  }
}

/** Stamps and hash records whose entry is gone (removed by hand, or by an older weft). */
function dropOrphanStamps(cacheDir: string): void {
  const names = safeList(join(cacheDir, 'used'));
  const present = new Set<string>();
  for (const n of safeList(join(cacheDir, 'git'))) {
    const m = MIRROR_NAME.exec(n);
    if (m) present.add(`git-${m[1]}`);
  }
  for (const n of safeList(join(cacheDir, 'archives'))) if (ARCHIVE_NAME.test(n)) present.add(`archive-${n}`);
  for (const n of names) if (!present.has(n)) rmSync(join(cacheDir, 'used', n), { force: true });
  for (const n of safeList(join(cacheDir, 'manifests'))) {
    if (!present.has(n.replace(/\.json$/, ''))) rmSync(join(cacheDir, 'manifests', n), { force: true });
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
