// Where an imported manifest is on disk; apart from imports.ts so the plan cache can ask
// the same question without loading the import resolver.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { Source } from '../types.js';

export type Located =
  /** The source is not checked out yet: the import waits for `weft up`. */
  | { state: 'pending' }
  | { state: 'missing'; file: string }
  | { state: 'escapes'; file: string }
  | { state: 'found'; file: string };

/** Reads imported manifests from the checkouts on disk. */
export function locateOnDisk(source: Source, file: string): Located {
  if (!existsSync(source.dir)) return { state: 'pending' };
  const target = join(source.dir, file);
  let real: string;
  try {
    real = realpathSync(target);
    if (!statSync(real).isFile()) return { state: 'missing', file: target };
  } catch {
    return { state: 'missing', file: target };
  }
  // A symlink in a fetched repository must not make us read a file outside it.
  const base = realpathSync(source.dir);
  if (real !== base && !real.startsWith(base + sep)) return { state: 'escapes', file: target };
  return { state: 'found', file: target };
}
