import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { WeftError } from '../errors.js';
import { acquireLock, LockBusy, type HeldLock, type LockOwner } from './lockfile.js';

export interface WorkspaceLockOptions {
  waitMs: number;
  staleMs: number;
  signal?: AbortSignal;
  onWait?: (holder: LockOwner | undefined) => void;
}

/** What a command says while it waits for the weft holding the workspace. */
export function waitingForWorkspace(holder: LockOwner | undefined): string {
  return `waiting for weft process ${holder?.pid ?? '?'} to finish with this workspace`;
}

/** `<workspace>/.weft/lock`: one converging weft per workspace; others wait, then fail clearly. */
export async function lockWorkspace(workspace: string, opts: WorkspaceLockOptions): Promise<HeldLock> {
  const dir = join(workspace, '.weft');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'lock');
  try {
    return await acquireLock(path, { ...opts, purpose: 'weft up' });
  } catch (err) {
    if (!(err instanceof LockBusy)) throw err;
    const h = err.holder;
    const who = h ? `weft process ${h.pid} on ${h.host} (since ${h.since})` : 'another weft process';
    throw new WeftError('WEFT_E_LOCKED', `workspace ${workspace} is locked by ${who}; waited ${Math.round(opts.waitMs / 1000)}s`, {
      hint: `wait for it to finish; if no weft is running there, remove ${path}`,
    });
  }
}
