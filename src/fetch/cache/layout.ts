// Where things live in the cache, for the commands that manage it. The fetchers own the
// entries themselves (git/mirror.ts, archive/cache.ts); this only names them.
import { join } from 'node:path';

export type EntryKind = 'git' | 'archive';

export interface EntryRef {
  kind: EntryKind;
  /** Mirror key (32 hex digits) or archive key (`<algo>-<hex>`). */
  key: string;
}

export const MIRROR_NAME = /^([0-9a-f]{32})\.git$/;
export const ARCHIVE_NAME = /^(sha256|sha512)-([0-9a-f]+)$/;

export function entryPath(cacheDir: string, e: EntryRef): string {
  return e.kind === 'git' ? join(cacheDir, 'git', `${e.key}.git`) : join(cacheDir, 'archives', e.key);
}

/** The lock the fetcher takes to write this entry; removing it under the same lock cannot cut a fetch in half. */
export function entryLockPath(cacheDir: string, e: EntryRef): string {
  return e.kind === 'git' ? `${entryPath(cacheDir, e)}.lock` : join(cacheDir, 'locks', `archive-${e.key}.lock`);
}

/** Last-used stamps: one empty file per entry, its mtime the last run that used it. */
export function usedStampPath(cacheDir: string, e: EntryRef): string {
  return join(cacheDir, 'used', `${e.kind}-${e.key}`);
}

/** `sha256-<hex>` → `sha256-<base64>`, as manifests spell it. */
export function sriOfKey(key: string): string {
  const m = ARCHIVE_NAME.exec(key);
  return m ? `${m[1]}-${Buffer.from(m[2]!, 'hex').toString('base64')}` : key;
}
