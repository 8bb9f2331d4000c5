// `.weft-archive` in an extracted checkout: which archive it came from and what weft wrote
// (path, size, mtime of every file), so a later run can tell "untouched, safe to replace"
// from "the user changed something here".
import { lstat, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const MARKER = '.weft-archive';

export interface Marker {
  /** Cache key `<algo>-<hex>`: compares sha256:hex and SRI spellings as equal. */
  key: string;
  integrity: string;
  strip: number;
  /** Relative path → [size, mtimeMs] for every file weft wrote. */
  files: Record<string, [number, number]>;
}

export async function readMarker(dir: string): Promise<Marker | undefined> {
  try {
    const m = JSON.parse(await readFile(join(dir, MARKER), 'utf8')) as Partial<Marker>;
    if (typeof m.key !== 'string' || typeof m.strip !== 'number' || typeof m.files !== 'object' || !m.files) return undefined;
    return m as Marker;
  } catch {
    return undefined;
  }
}

export async function writeMarker(dir: string, marker: Marker): Promise<void> {
  await writeFile(join(dir, MARKER), JSON.stringify(marker) + '\n', { mode: 0o644 });
}

/** What differs between `dir` and what weft wrote there (empty when untouched). */
export async function changesSince(dir: string, marker: Marker, limit = 5): Promise<string[]> {
  const changes: string[] = [];
  const seen = new Set<string>();
  const stack = [''];
  while (stack.length > 0 && changes.length < limit) {
    const rel = stack.pop()!;
    for (const name of await readdir(rel ? join(dir, rel) : dir)) {
      const childRel = rel ? `${rel}/${name}` : name;
      if (childRel === MARKER) continue;
      const st = await lstat(join(dir, childRel));
      if (st.isDirectory()) {
        stack.push(childRel);
        continue;
      }
      const was = marker.files[childRel];
      seen.add(childRel);
      if (!was || !st.isFile()) changes.push(`added ${childRel}`);
      else if (was[0] !== st.size || was[1] !== st.mtimeMs) changes.push(`modified ${childRel}`);
    }
  }
  for (const rel of Object.keys(marker.files)) {
    if (changes.length >= limit) break;
    if (!seen.has(rel)) changes.push(`deleted ${rel}`);
  }
  return changes;
}
