// weft.lock rendering: sorted names, fixed key order, one fixed YAML style, so a run that
// changes nothing writes the same bytes and a moved ref shows as a one-line diff.
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { Plan, Source } from '../types.js';
import { writeFileAtomic } from '../atomic.cjs';
import { withoutSecrets } from '../redact.js';
import { LOCK_VERSION, lockPath, type Lock, type LockEntry } from './lock.js';
import { renderLockFast } from './lock-fast-write.js';
import { yamlLib } from './yaml-lib.js';

const HEADER = '# weft.lock: the exact revision of every source. Written by weft up/update/lock; commit it.\n';
const KEY_ORDER: (keyof LockEntry)[] = ['type', 'url', 'ref', 'commit', 'revision', 'integrity', 'defined'];

export function renderLock(lock: Lock): string {
  const fast = renderLockFast(lock, LOCK_VERSION, KEY_ORDER);
  if (fast !== undefined) return HEADER + fast;
  const sources: Record<string, Record<string, string>> = {};
  for (const name of Object.keys(lock.sources).sort()) {
    const e = lock.sources[name]!;
    const out: Record<string, string> = {};
    for (const k of KEY_ORDER) if (e[k] !== undefined) out[k] = e[k]!;
    sources[name] = out;
  }
  const body = yamlLib().stringify({ version: LOCK_VERSION, sources }, { lineWidth: 0, indent: 2, sortMapEntries: false });
  return HEADER + body;
}

/** Writes the lock atomically; returns false (and writes nothing) when the bytes would not change. */
export async function writeLock(workspace: string, lock: Lock): Promise<boolean> {
  const text = renderLock(lock);
  const file = lockPath(workspace);
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current === text) return false;
  await writeFileAtomic(file, text);
  return true;
}

/**
 * The URL a lock entry records for `s`: the manifest's own (not a configured mirror's), a
 * relative path as written, without passwords or tokens. The lock is committed and handed
 * round: an absolute path, or a token that differs per person, would make it stale (and
 * rewritten) on every other machine.
 */
export function lockUrl(s: Exclude<Source, { type: 'local' }>): string {
  return s.writtenUrl ?? withoutSecrets(s.canonicalUrl ?? s.url);
}

/** The lock entry for a source at a revision (git commit, svn revision, hg changeset); archives carry their integrity. */
export function entryFor(plan: Plan, s: Source, revision?: string): LockEntry {
  // The file alone: a line number would change with every comment above it.
  const defined = relative(plan.workspace, s.loc.file) || s.loc.file;
  switch (s.type) {
    case 'local':
      return { type: 'local', defined };
    case 'archive':
      return { type: 'archive', url: lockUrl(s), integrity: s.integrity, defined };
    case 'git':
      return { type: 'git', url: lockUrl(s), ref: s.ref, commit: revision, defined };
    case 'svn':
    case 'hg':
      return { type: s.type, url: lockUrl(s), ref: s.ref, revision, defined };
  }
}
