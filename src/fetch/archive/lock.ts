// The archive fetcher's locks (a cache entry, a workspace directory): fetch/lockfile.ts's
// lock — O_EXCL, heartbeat, stale owners broken safely — held around one piece of work,
// with the archive code's error when the wait runs out.
import { WeftError } from '../../errors.js';
import { acquireLock, LockBusy, type HeldLock, type LockOwner } from '../lockfile.js';

export interface LockOptions {
  staleMs: number;
  waitMs: number;
  /** Shown when the wait runs out. */
  what: string;
  signal?: AbortSignal;
  /** Called once when another weft holds the lock and the wait starts. */
  onWait?: (holder: LockOwner | undefined) => void;
}

export async function withLock<T>(path: string, opts: LockOptions, fn: () => Promise<T>): Promise<T> {
  let held: HeldLock;
  try {
    held = await acquireLock(path, { staleMs: opts.staleMs, waitMs: opts.waitMs, purpose: opts.what, signal: opts.signal, onWait: opts.onWait });
  } catch (err) {
    if (!(err instanceof LockBusy)) throw err;
    throw new WeftError('WEFT_E_CACHE_BUSY', `${opts.what} is locked by another weft process (${path})`, {
      hint: 'wait for the other weft to finish; if none is running, delete the lock file',
    });
  }
  try {
    return await fn();
  } finally {
    held.release();
  }
}
