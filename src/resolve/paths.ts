// Where checkouts go: each source's `path` stays inside the root, and no two sources share
// a directory or nest inside one another (fetching one would write into the other).
import { isAbsolute, normalize, sep } from 'node:path';
import type { Loc } from '../types.js';

export type PathCheck = { ok: true; path: string } | { ok: false; why: string; hint: string };

/** A checkout path relative to the root, normalised (`a/./b/` → `a/b`). */
export function checkCheckoutPath(raw: string): PathCheck {
  if (raw.trim() === '') return { ok: false, why: 'it is empty', hint: 'write a directory name relative to `root`, or remove `path` to use the source name' };
  if (isAbsolute(raw)) return { ok: false, why: 'it is absolute', hint: 'write it relative to `root`; use `local:` for a directory elsewhere' };
  const p = normalize(raw).replace(/[\\/]+$/, '');
  if (p === '.' || p === '') return { ok: false, why: 'it is the root directory itself', hint: 'give the source a directory of its own under `root`' };
  if (p === '..' || p.startsWith(`..${sep}`)) return { ok: false, why: 'it leads out of `root` with `..`', hint: 'keep checkouts under `root`; change `root` or use `local:` for a directory elsewhere' };
  return { ok: true, path: p };
}

export interface PlacedDir {
  name: string;
  dir: string;
  /** A local directory is used in place: other checkouts may sit inside it. */
  local: boolean;
  loc: Loc;
}

export interface DirClash {
  a: PlacedDir;
  b: PlacedDir;
  same: boolean;
}

/**
 * Clashing pairs in O(n log n): with a trailing separator added, a directory and anything
 * inside it sort next to each other, so comparing neighbours finds every nesting chain.
 */
export function findDirClashes(dirs: readonly PlacedDir[]): DirClash[] {
  const sorted = dirs.map((d) => ({ d, key: d.dir.endsWith(sep) ? d.dir : d.dir + sep })).sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const clashes: DirClash[] = [];
  // The nearest earlier non-local entry may be further back than one step when locals sit between.
  let lastManaged: { d: PlacedDir; key: string } | undefined;
  for (let i = 0; i < sorted.length; i++) {
    const cur = sorted[i]!;
    const prev = sorted[i - 1];
    if (prev && prev.key === cur.key && (!prev.d.local || !cur.d.local)) {
      clashes.push({ a: prev.d, b: cur.d, same: true });
    } else if (!cur.d.local && lastManaged && cur.key.startsWith(lastManaged.key) && lastManaged.key !== cur.key) {
      clashes.push({ a: lastManaged.d, b: cur.d, same: false });
    }
    if (!cur.d.local && (!lastManaged || !cur.key.startsWith(lastManaged.key))) lastManaged = cur;
  }
  return clashes;
}
