// A lock file shared by weft processes: created with O_EXCL, holding who owns it, kept
// fresh by a heartbeat, and broken when its owner is gone (a crash or kill -9 must not
// wedge the cache or a workspace forever).
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
  /** What holds it, for messages (e.g. "weft up"). */
  purpose?: string;
  /** Tells two locks of one process apart. */
  nonce?: string;
}

export interface HeldLock {
  path: string;
  owner: LockOwner;
  release(): void;
}

export interface LockOptions {
  /** A lock whose file was not refreshed for this long is considered abandoned. */
  staleMs: number;
  /** How long to wait for a live holder before giving up. */
  waitMs: number;
  purpose?: string;
  signal?: AbortSignal;
  /** Called once when the lock is found held and waiting starts. */
  onWait?: (holder: LockOwner | undefined) => void;
}

export class LockBusy extends Error {
  constructor(
    readonly path: string,
    readonly holder: LockOwner | undefined,
  ) {
    super(`lock ${path} is held by ${holder ? `pid ${holder.pid} on ${holder.host}` : 'another process'}`);
  }
}

/** "weft process 123", with the host when it is another machine's (a cache on a shared filesystem). */
export function holderName(holder: LockOwner | undefined): string {
  return `weft process ${holder?.pid ?? '?'}${holder && holder.host !== hostname() ? ` on ${holder.host}` : ''}`;
}

/** What a wait for another weft's cache entry says: who holds it and what to remove if it is gone. */
export function waitingForEntry(holder: LockOwner | undefined, doing: string, path: string): string {
  return `${holderName(holder)} ${doing}; if no weft is running, remove ${path}`;
}

export function readOwner(path: string): LockOwner | undefined {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof data.pid === 'number' && typeof data.host === 'string') return data as LockOwner;
  } catch {
    /* missing, or half-written by a process that died between create and write */
  }
  return undefined;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(path: string, staleMs: number): boolean {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    return false;
  }
  const owner = readOwner(path);
  if (owner && owner.host === hostname() && !pidAlive(owner.pid)) return true;
  // Heartbeats refresh the mtime; an old one means the owner (maybe on another host) is gone.
  return Date.now() - mtimeMs > staleMs;
}

/**
 * Breaks an abandoned lock without racing another breaker: the stale file is moved aside
 * first; if what we moved turns out to be a fresh lock someone just took, it is put back.
 */
function breakStale(path: string, staleMs: number): void {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch {
    return;
  }
  if (!isStale(aside, staleMs)) {
    try {
      linkSync(aside, path);
    } catch {
      /* someone took the lock meanwhile; theirs stands */
    }
  }
  rmSync(aside, { force: true });
}

function tryCreate(path: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, JSON.stringify(owner));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Takes the lock at `path`, waiting for a live holder up to `waitMs`; throws LockBusy. */
export async function acquireLock(path: string, opts: LockOptions): Promise<HeldLock> {
  const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose: opts.purpose, nonce: randomBytes(6).toString('hex') };
  const deadline = Date.now() + opts.waitMs;
  let delay = 20;
  let told = false;
  for (;;) {
    if (tryCreate(path, owner)) break;
    if (isStale(path, opts.staleMs)) {
      breakStale(path, opts.staleMs);
      continue;
    }
    if (Date.now() >= deadline) throw new LockBusy(path, readOwner(path));
    if (!told) {
      told = true;
      opts.onWait?.(readOwner(path));
    }
    opts.signal?.throwIfAborted();
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
    delay = Math.min(delay * 2, 500);
  }
  const beat = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(path, now, now);
    } catch {
      /* released or broken meanwhile */
    }
  }, Math.max(50, Math.floor(opts.staleMs / 4)));
  beat.unref();
  let released = false;
  return {
    path,
    owner,
    release() {
      if (released) return;
      released = true;
      clearInterval(beat);
      // Only remove the file if it is still ours (a stale-breaker may have replaced it).
      const now = readOwner(path);
      if (now && now.pid === owner.pid && now.host === owner.host && now.nonce === owner.nonce) rmSync(path, { force: true });
    },
  };
}
