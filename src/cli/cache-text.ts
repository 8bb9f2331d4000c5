// How `weft cache` shows entries to people.
import type { CacheEntry } from '../fetch/cache/index.js';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(0)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** "today", "1 day ago", "12 days ago". */
export function describeAge(ms: number, now: number): string {
  const days = Math.floor((now - ms) / (24 * 60 * 60 * 1000));
  return days <= 0 ? 'today' : `${days} day${days === 1 ? '' : 's'} ago`;
}

/** `git      12.3 MiB  used 3 days ago   https://example.org/x.git` */
export function entryLine(e: CacheEntry, now: number): string {
  const used = `${e.useRecorded ? 'used' : 'written'} ${describeAge(e.lastUsedMs, now)}`;
  return `${e.kind.padEnd(8)} ${formatBytes(e.sizeBytes).padStart(9)}  ${used.padEnd(20)} ${e.label}`;
}
