// Which cache entries a workspace uses, stamped after every `weft up` (a no-op run too:
// the workspace still depends on them), so `weft cache prune` can tell old from in use.
import { closeSync, existsSync, mkdirSync, openSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { Source } from '../../types.js';
import { parseIntegrity } from '../archive/integrity.js';
import { mirrorKey, splitCredentials } from '../git/url.js';
import { entryPath, usedStampPath, type EntryRef } from './layout.js';

/** The cache entry a source is served from, if it has one. */
export function entryOf(s: Source): EntryRef | undefined {
  if (s.type === 'git') return { kind: 'git', key: mirrorKey(splitCredentials(s.url).url) };
  if (s.type === 'archive') {
    try {
      return { kind: 'archive', key: parseIntegrity(s.integrity).key };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const FRESH_MS = 60 * 60_000;

/** Touches the stamp of each entry present (unless touched within the hour). Best effort: a read-only cache must not fail the run. */
export function recordUse(cacheDir: string, entries: EntryRef[], now = new Date()): void {
  for (const e of entries) {
    const p = usedStampPath(cacheDir, e);
    // Prune counts in days: a stamp from the last hour already says "in use", and a no-op
    // `weft up` then costs one stat per source here instead of four calls.
    const seenMs = lastUsedMs(cacheDir, e);
    if (seenMs !== undefined && now.getTime() - seenMs < FRESH_MS) continue;
    if (!existsSync(entryPath(cacheDir, e))) continue;
    try {
      // A new stamp is made with the time it is made (used/ with it, the first time); an
      // old one has its time moved.
      if (seenMs === undefined) {
        mkdirSync(join(cacheDir, 'used'), { recursive: true });
        closeSync(openSync(p, 'a'));
      } else {
        utimesSync(p, now, now);
      }
    } catch {
      /* best effort */
    }
  }
}

/** When the entry was last used by a `weft up`, if weft recorded it. */
export function lastUsedMs(cacheDir: string, e: EntryRef): number | undefined {
  try {
    // Absent after a cold run's fetch: asked, not thrown (a stack trace per source).
    return statSync(usedStampPath(cacheDir, e), { throwIfNoEntry: false })?.mtimeMs;
  } catch {
    return undefined;
  }
}
