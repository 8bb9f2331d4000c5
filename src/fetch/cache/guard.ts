// Keeps `weft cache prune`/`verify --repair` and running `weft up`s apart. A run registers
// itself in `users/` for as long as it works; maintenance takes `maintenance.lock` and
// then waits until no live run is registered. Each side writes its own file first and
// looks for the other's second, so at least one of two racing processes sees the other.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WeftError } from '../../errors.js';
import { acquireLock, LockBusy, pidAlive, readOwner, type HeldLock, type LockOwner } from '../lockfile.js';

export interface GuardOptions {
  waitMs: number;
  staleMs: number;
  signal?: AbortSignal;
  onWait?: (why: string) => void;
}

export interface Registration {
  release(): void;
}

const usersDir = (cacheDir: string) => join(cacheDir, 'users');
const maintenancePath = (cacheDir: string) => join(cacheDir, 'maintenance.lock');

function fresh(path: string, staleMs: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < staleMs;
  } catch {
    return false;
  }
}

/**
 * The owner of `path` if it still runs. Another host's process cannot be asked: trusted for
 * as long as a lock would be. `heartbeat`: the file is kept fresh while held (the
 * maintenance lock), so an old one is abandoned even when its pid is alive, as it is once
 * the pid of a killed prune goes to another process; a registration has no heartbeat.
 */
function alive(path: string, staleMs: number, heartbeat = false): LockOwner | undefined {
  const owner = readOwner(path);
  if (!owner) return undefined;
  if (owner.host !== hostname() || heartbeat) {
    if (!fresh(path, staleMs)) return undefined;
    if (owner.host !== hostname()) return owner;
  }
  return pidAlive(owner.pid) ? owner : undefined;
}

/** Registers a `weft up` as a user of the cache; waits while maintenance runs. */
export async function enterCache(cacheDir: string, opts: GuardOptions): Promise<Registration> {
  mkdirSync(usersDir(cacheDir), { recursive: true });
  const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose: 'weft up', nonce: randomBytes(6).toString('hex') };
  const mine = join(usersDir(cacheDir), `${owner.pid}-${owner.nonce}`);
  const release = () => rmSync(mine, { force: true });
  const deadline = Date.now() + opts.waitMs;
  let told = false;
  for (;;) {
    writeFileSync(mine, JSON.stringify(owner));
    const m = maintenancePath(cacheDir);
    const holder = existsSync(m) ? alive(m, opts.staleMs, true) : undefined;
    if (!holder) return { release };
    // Step aside while waiting, or maintenance would wait on us in turn.
    release();
    if (Date.now() >= deadline) {
      throw new WeftError('WEFT_E_CACHE_BUSY', `the cache ${cacheDir} is being maintained by "${holder.purpose ?? 'weft cache'}" (pid ${holder.pid})`, {
        hint: `try again when it has finished; if no "${holder.purpose ?? 'weft cache'}" is running, remove ${m}`,
      });
    }
    if (!told) opts.onWait?.(`waiting for "${holder.purpose ?? 'weft cache'}" (pid ${holder.pid}) to finish with the cache`);
    told = true;
    opts.signal?.throwIfAborted();
    await sleep(100);
  }
}

/** The live `weft up`s registered in the cache, with their files (dead ones' files are removed on the way). */
export function cacheUsers(cacheDir: string, staleMs: number): { owner: LockOwner; path: string }[] {
  let names: string[];
  try {
    names = readdirSync(usersDir(cacheDir));
  } catch {
    return [];
  }
  const live: { owner: LockOwner; path: string }[] = [];
  for (const name of names) {
    const path = join(usersDir(cacheDir), name);
    const owner = alive(path, staleMs);
    if (owner) live.push({ owner, path });
    else if (readOwner(path)) rmSync(path, { force: true });
  }
  return live;
}

/** Takes the maintenance lock and waits until no `weft up` is using the cache. */
export async function lockForMaintenance(cacheDir: string, purpose: string, opts: GuardOptions): Promise<HeldLock> {
  mkdirSync(cacheDir, { recursive: true });
  let lock: HeldLock;
  try {
    lock = await acquireLock(maintenancePath(cacheDir), { staleMs: opts.staleMs, waitMs: opts.waitMs, purpose, signal: opts.signal });
  } catch (err) {
    if (!(err instanceof LockBusy)) throw err;
    throw new WeftError('WEFT_E_CACHE_BUSY', `another "${err.holder?.purpose ?? 'weft cache'}" (pid ${err.holder?.pid ?? '?'}) is maintaining the cache ${cacheDir}`, {
      hint: 'try again when it has finished',
    });
  }
  const deadline = Date.now() + opts.waitMs;
  let told = false;
  for (;;) {
    const users = cacheUsers(cacheDir, opts.staleMs);
    if (users.length === 0) return lock;
    const pids = users.map((u) => u.owner.pid).join(', ');
    if (Date.now() >= deadline) {
      lock.release();
      throw new WeftError('WEFT_E_CACHE_BUSY', `weft up is using the cache ${cacheDir} (pid ${pids})`, {
        hint: `try again when it has finished; if no weft up is running, remove ${users.map((u) => u.path).join(' ')}`,
      });
    }
    if (!told) opts.onWait?.(`waiting for weft up (pid ${pids}) to finish with the cache`);
    told = true;
    try {
      opts.signal?.throwIfAborted();
    } catch (err) {
      lock.release();
      throw err;
    }
    await sleep(100);
  }
}
