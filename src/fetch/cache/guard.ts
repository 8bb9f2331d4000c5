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

function alive(path: string, staleMs: number): LockOwner | undefined {
  const owner = readOwner(path);
  if (!owner) return undefined;
  if (owner.host === hostname()) return pidAlive(owner.pid) ? owner : undefined;
  // Another host's process cannot be asked; trust it for as long as a lock would be.
  try {
    return Date.now() - statSync(path).mtimeMs < staleMs ? owner : undefined;
  } catch {
    return undefined;
  }
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
    const holder = existsSync(m) ? alive(m, opts.staleMs) : undefined;
    if (!holder) return { release };
    // Step aside while waiting, or maintenance would wait on us in turn.
    release();
    if (Date.now() >= deadline) {
      throw new WeftError('WEFT_E_CACHE_BUSY', `the cache ${cacheDir} is being maintained by "${holder.purpose ?? 'weft cache'}" (pid ${holder.pid})`, {
        hint: 'try again when it has finished',
      });
    }
    if (!told) opts.onWait?.(`waiting for "${holder.purpose ?? 'weft cache'}" (pid ${holder.pid}) to finish with the cache`);
    told = true;
    opts.signal?.throwIfAborted();
    await sleep(100);
  }
}

/** The live `weft up`s registered in the cache (dead ones' files are removed on the way). */
export function cacheUsers(cacheDir: string, staleMs: number): LockOwner[] {
  let names: string[];
  try {
    names = readdirSync(usersDir(cacheDir));
  } catch {
    return [];
  }
  const live: LockOwner[] = [];
  for (const name of names) {
    const p = join(usersDir(cacheDir), name);
    const owner = alive(p, staleMs);
    if (owner) live.push(owner);
    else if (readOwner(p)) rmSync(p, { force: true });
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
    const pids = users.map((u) => u.pid).join(', ');
    if (Date.now() >= deadline) {
      lock.release();
      throw new WeftError('WEFT_E_CACHE_BUSY', `weft up is using the cache ${cacheDir} (pid ${pids})`, { hint: 'try again when it has finished' });
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
