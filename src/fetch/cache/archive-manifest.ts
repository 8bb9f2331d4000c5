// The archive store keeps the extracted tree, not the download, so the recorded integrity
// cannot be checked again. The first `weft cache verify` that finds a tree whole records
// the sha256 of each of its files; every later one compares against that record, which
// catches files edited, lost or added in the cache since (not before that first check).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../atomic.cjs';
import type { EntryRef } from './layout.js';

export function manifestPath(cacheDir: string, e: EntryRef): string {
  return join(cacheDir, 'manifests', `${e.kind}-${e.key}.json`);
}

function hashTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const stack = [''];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    for (const d of readdirSync(rel ? join(root, rel) : root, { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) stack.push(childRel);
      else out.set(childRel, createHash('sha256').update(readFileSync(join(root, childRel))).digest('hex'));
    }
  }
  return out;
}

export interface TreeCheck {
  problems: string[];
  /** No record existed: one was written now. */
  recorded: boolean;
}

/** Compares the tree with its record, or records it when there is none. */
export function checkAgainstManifest(cacheDir: string, e: EntryRef, root: string): TreeCheck {
  const now = hashTree(root);
  let was: Record<string, string> | undefined;
  try {
    was = (JSON.parse(readFileSync(manifestPath(cacheDir, e), 'utf8')) as { files: Record<string, string> }).files;
  } catch {
    was = undefined;
  }
  if (!was) {
    mkdirSync(join(cacheDir, 'manifests'), { recursive: true });
    writeFileAtomic(manifestPath(cacheDir, e), JSON.stringify({ files: Object.fromEntries([...now].sort()) }) + '\n');
    return { problems: [], recorded: true };
  }
  const problems: string[] = [];
  for (const [rel, hash] of Object.entries(was)) {
    if (!now.has(rel)) problems.push(`${rel}: missing`);
    else if (now.get(rel) !== hash) problems.push(`${rel}: content changed`);
  }
  for (const rel of now.keys()) if (!(rel in was)) problems.push(`${rel}: not in the archive`);
  return { problems: problems.slice(0, 10), recorded: false };
}

export function dropManifest(cacheDir: string, e: EntryRef): void {
  rmSync(manifestPath(cacheDir, e), { force: true });
}
