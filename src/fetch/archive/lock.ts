// A lock file made with O_EXCL, so that several weft processes can share one cache (or one
// workspace). A holder that crashed leaves its file behind: the lock counts as stale when
// its process is gone (same host) or it has not been refreshed for `staleMs`.
import { open, readFile, rm, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { WeftError } from '../../errors.js';
import { sleep } from '../http/retry.js';

export interface LockOptions {
  staleMs: number;
  waitMs: number;
  /** Shown when the wait runs out. */
  what: string;
  signal?: AbortSignal;
}

export async function withLock<T>(path: string, opts: LockOptions, fn: () => Promise<T>): Promise<T> {
  await acquire(path, opts);
  // Long extractions keep the lock fresh so nobody mistakes it for a crashed holder.
  const beat = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => {});
  }, Math.max(1000, opts.staleMs / 3));
  beat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(beat);
    await rm(path, { force: true });
  }
}

async function acquire(path: string, opts: LockOptions): Promise<void> {
  const deadline = Date.now() + opts.waitMs;
  const me = JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now() });
  for (;;) {
    try {
      const fh = await open(path, 'wx', 0o644);
      try {
        await fh.writeFile(me);
      } finally {
        await fh.close();
      }
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (await isStale(path, opts.staleMs)) {
      // A small window remains where two waiters both judge one stale lock; the holder's
      // own re-check of the cache entry after locking keeps that harmless.
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new WeftError('WEFT_E_CACHE_BUSY', `${opts.what} is locked by another weft process (${path})`, {
        hint: 'Wait for the other weft to finish; if none is running, delete the lock file.',
      });
    }
    await sleep(25 + Math.random() * 75, opts.signal);
  }
}

async function isStale(path: string, staleMs: number): Promise<boolean> {
  try {
    const [st, text] = await Promise.all([stat(path), readFile(path, 'utf8')]);
    if (Date.now() - st.mtimeMs > staleMs) return true;
    const owner = JSON.parse(text) as { pid?: number; host?: string };
    if (owner.host === hostname() && typeof owner.pid === 'number') return !alive(owner.pid);
    return false;
  } catch {
    // Vanished (released) or half-written by a holder that is writing it right now.
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
