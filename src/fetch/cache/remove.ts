// Removing one cache entry without ever leaving half of one: under the entry's own lock
// (a fetch writing it finishes first, or the entry is skipped), renamed out of sight into
// tmp/ in one step, then deleted. The next `weft up` simply fetches it again.
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock, LockBusy } from '../lockfile.js';
import { makeCacheScratch } from '../tmp.js';
import { dropManifest } from './archive-manifest.js';
import { entryLockPath, entryPath, usedStampPath, type EntryRef } from './layout.js';

export type RemoveOutcome = 'removed' | 'busy' | 'gone';

export async function removeEntry(cacheDir: string, e: EntryRef, staleMs: number): Promise<RemoveOutcome> {
  const lockPath = entryLockPath(cacheDir, e);
  mkdirSync(join(lockPath, '..'), { recursive: true });
  let lock;
  try {
    lock = await acquireLock(lockPath, { staleMs, waitMs: 0, purpose: 'weft cache' });
  } catch (err) {
    if (err instanceof LockBusy) return 'busy';
    throw err;
  }
  try {
    const scratch = makeCacheScratch(cacheDir);
    try {
      renameSync(entryPath(cacheDir, e), join(scratch, 'entry'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
      throw err;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    rmSync(usedStampPath(cacheDir, e), { force: true });
    dropManifest(cacheDir, e);
    return 'removed';
  } finally {
    lock.release();
  }
}
