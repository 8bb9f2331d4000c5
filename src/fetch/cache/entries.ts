// What the cache holds: every git mirror and extracted archive, with its size, where it
// came from (mirrors, redacted) and when a `weft up` last used it.
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../../redact.js';
import { ARCHIVE_NAME, entryPath, MIRROR_NAME, sriOfKey, type EntryRef } from './layout.js';
import { lastUsedMs } from './usage.js';

export interface CacheEntry extends EntryRef {
  path: string;
  /** Mirrors: the URL it fetches from (credentials redacted). Archives: the SRI integrity. */
  label: string;
  sizeBytes: number;
  /** Last use recorded by `weft up`; else when the entry was last written. */
  lastUsedMs: number;
  /** False when weft never recorded a use (the entry predates the stamps, or no run finished). */
  useRecorded: boolean;
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** Bytes of every file under `path`, links not followed. */
export function treeBytes(path: string): number {
  let total = 0;
  const stack = [path];
  while (stack.length > 0) {
    const p = stack.pop()!;
    let st;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) for (const name of list(p)) stack.push(join(p, name));
    else total += st.size;
  }
  return total;
}

/** remote.origin.url from a bare mirror's config, without running git. */
function mirrorUrl(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(path, 'config'), 'utf8');
  } catch {
    return undefined;
  }
  let inOrigin = false;
  for (const line of text.split('\n')) {
    const section = /^\s*\[\s*remote\s+"([^"]*)"\s*\]/.exec(line);
    if (section) inOrigin = section[1] === 'origin';
    else if (/^\s*\[/.test(line)) inOrigin = false;
    else if (inOrigin) {
      const m = /^\s*url\s*=\s*(.*?)\s*$/.exec(line);
      if (m) return unquote(m[1]!);
    }
  }
  return undefined;
}

/** A git config value as git reads it: `"…"` parts lose their quotes, `\\"` and `\\\\` their backslash. */
function unquote(raw: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '"') quoted = !quoted;
    else if (c === '\\' && i + 1 < raw.length) out += raw[++i];
    else if (!quoted && (c === '#' || c === ';')) break;
    else out += c;
  }
  return quoted ? raw : out.trimEnd();
}

function writtenMs(path: string, stamp?: string): number {
  for (const p of stamp ? [join(path, stamp), path] : [path]) {
    try {
      return statSync(p).mtimeMs;
    } catch {
      /* next */
    }
  }
  return 0;
}

/** The entries whose names are weft's (locks, tmp and anything else are left out). */
export function entryRefs(cacheDir: string): EntryRef[] {
  const refs: EntryRef[] = [];
  for (const name of list(join(cacheDir, 'git'))) {
    const m = MIRROR_NAME.exec(name);
    if (m) refs.push({ kind: 'git', key: m[1]! });
  }
  for (const name of list(join(cacheDir, 'archives'))) {
    if (ARCHIVE_NAME.test(name)) refs.push({ kind: 'archive', key: name });
  }
  return refs;
}

export function describeEntry(cacheDir: string, ref: EntryRef): CacheEntry {
  const path = entryPath(cacheDir, ref);
  const used = lastUsedMs(cacheDir, ref);
  const url = ref.kind === 'git' ? mirrorUrl(path) : undefined;
  return {
    ...ref,
    path,
    label: ref.kind === 'git' ? (url ? redact(url) : '(no origin URL)') : sriOfKey(ref.key),
    sizeBytes: treeBytes(path),
    lastUsedMs: used ?? writtenMs(path, ref.kind === 'git' ? 'weft-fetched' : undefined),
    useRecorded: used !== undefined,
  };
}

export function listEntries(cacheDir: string): CacheEntry[] {
  return entryRefs(cacheDir).map((r) => describeEntry(cacheDir, r));
}
