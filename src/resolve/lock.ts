// weft.lock: read and validate. Every problem points at file:line:col, because users
// commit the lock and resolve merge conflicts in it by hand.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Node, YAMLMap } from 'yaml';
import { WeftError } from '../errors.js';
import { controlCharErrors } from './control-chars.js';
import { parseLockFast } from './lock-fast.js';
import { yamlLib } from './yaml-lib.js';
import type { Loc, SourceType } from '../types.js';

export const LOCK_NAME = 'weft.lock';
export const LOCK_VERSION = 1;

/** One source as the lock records it; the revision field depends on the type. */
export interface LockEntry {
  type: SourceType;
  url?: string;
  ref?: string;
  /** git: full commit id. */
  commit?: string;
  /** svn revision or hg changeset. */
  revision?: string;
  /** archive: SRI integrity. */
  integrity?: string;
  /** The manifest file holding the entry, relative to the workspace (no line: see definedFile). */
  defined?: string;
}

export interface Lock {
  version: number;
  sources: Record<string, LockEntry>;
}

const TYPES: readonly SourceType[] = ['git', 'archive', 'local', 'svn', 'hg'];
const ENTRY_KEYS = ['type', 'url', 'ref', 'commit', 'revision', 'integrity', 'defined'] as const;

export function lockPath(workspace: string): string {
  return join(workspace, LOCK_NAME);
}

/** The workspace's lock, or undefined when there is none. */
export async function readLock(workspace: string): Promise<Lock | undefined> {
  const file = lockPath(workspace);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new WeftError('WEFT_E_LOCK_READ', `cannot read ${file}: ${(err as Error).message}`, {
      hint: 'check the file permissions, or delete it and run "weft lock" to write it again',
    });
  }
  return parseLock(text, file);
}

const HINT = 'fix the entry by hand, or delete weft.lock and run "weft lock" (or "weft up") to write it again';

/** Parses and validates lock text; throws one WeftError listing every problem. */
export function parseLock(text: string, file: string): Lock {
  return withDefinedFiles(parseLockSyntax(text, file));
}

/**
 * Older locks wrote `defined: FILE:LINE` (or FILE:LINE:COL). Read as the file alone, so
 * such a lock is as current as one written now; the next write drops the position.
 */
export function definedFile(defined: string): string {
  return defined.replace(/:\d+(?::\d+)?$/, '');
}

function withDefinedFiles(lock: Lock): Lock {
  for (const e of Object.values(lock.sources)) if (e.defined !== undefined) e.defined = definedFile(e.defined);
  return lock;
}

function parseLockSyntax(text: string, file: string): Lock {
  const fast = parseLockFast(text, LOCK_VERSION);
  if (fast) return fast;
  const { LineCounter, parseDocument } = yamlLib();
  const lc = new LineCounter();
  // uniqueKeys is quadratic in a map's size; readSources finds duplicates with a Set.
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  const at = (offset: number | undefined): Loc => {
    const { line, col } = lc.linePos(offset ?? 0);
    return { file, line, col };
  };
  const problems: WeftError[] = [];
  const bad: Bad = (code, message, offset, hint = HINT) => {
    problems.push(new WeftError(code, message, { loc: at(offset), hint }));
  };
  for (const e of doc.errors) bad('WEFT_E_LOCK_SYNTAX', `weft.lock is not valid YAML: ${e.message.split('\n')[0]}`, e.pos[0]);
  if (problems.length === 0) problems.push(...controlCharErrors(file, doc, lc, { code: 'WEFT_E_LOCK_VALUE', hint: HINT }));
  const lock: Lock = { version: LOCK_VERSION, sources: {} };
  if (problems.length === 0) readTop(doc.contents as Node | null, lock, bad);
  if (problems.length) throw new WeftError(problems[0]!.code, problems[0]!.message, { loc: problems[0]!.loc, hint: problems[0]!.hint, more: problems.slice(1) });
  return lock;
}

type Bad = (code: string, message: string, offset: number | undefined, hint?: string) => void;

/** A map's pairs as [key, key offset, value], a repeated key reported (`where` names the map) and skipped. */
function* uniquePairs(map: YAMLMap, bad: Bad, where = ''): Generator<[string, number | undefined, Node | null]> {
  const { isScalar } = yamlLib();
  const seen = new Set<string>();
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const keyAt = (pair.key as Node | null)?.range?.[0];
    if (seen.has(key)) {
      bad('WEFT_E_LOCK_SYNTAX', `weft.lock is not valid YAML: Map keys must be unique ("${key}" appears twice${where})`, keyAt);
      continue;
    }
    seen.add(key);
    yield [key, keyAt, pair.value as Node | null];
  }
}

function readTop(root: Node | null, lock: Lock, bad: Bad): void {
  const { isMap, isScalar } = yamlLib();
  if (!isMap(root)) {
    bad('WEFT_E_LOCK_SHAPE', 'weft.lock must be a mapping with "version" and "sources"', root?.range?.[0]);
    return;
  }
  let sawVersion = false;
  for (const [key, keyAt, value] of uniquePairs(root, bad)) {
    if (key === 'version') {
      sawVersion = true;
      const v = isScalar(value) ? value.value : undefined;
      if (v !== LOCK_VERSION) {
        // A newer weft wrote it: its pins are the team's, so the way out is a newer weft, not a new lock.
        const newer = typeof v === 'number' && Number.isInteger(v) && v > LOCK_VERSION;
        bad('WEFT_E_LOCK_VERSION', `weft.lock version ${String(v)} is not supported (this weft reads version ${LOCK_VERSION})`, value?.range?.[0] ?? keyAt,
          newer ? `a newer weft wrote it: upgrade weft (weft --version says which you have); deleting the lock would drop the revisions it pins for everyone` : HINT);
      }
    } else if (key === 'sources') {
      readSources(value, lock, bad, keyAt);
    } else {
      bad('WEFT_E_LOCK_KEY', `unknown key "${key}" in weft.lock (expected version, sources)`, keyAt);
    }
  }
  if (!sawVersion) bad('WEFT_E_LOCK_VERSION', 'weft.lock has no "version"', root.range?.[0]);
}

function readSources(node: Node | null, lock: Lock, bad: Bad, keyAt: number | undefined): void {
  const { isMap, isScalar } = yamlLib();
  if (node === null || (isScalar(node) && node.value === null)) return;
  if (!isMap(node)) {
    bad('WEFT_E_LOCK_SHAPE', '"sources" in weft.lock must be a mapping of source name to entry', node.range?.[0] ?? keyAt);
    return;
  }
  for (const [name, nameAt, value] of uniquePairs(node, bad)) {
    if (!isMap(value)) {
      bad('WEFT_E_LOCK_SHAPE', `lock entry "${name}" must be a mapping (type, url, ref, commit, …)`, value?.range?.[0] ?? nameAt);
      continue;
    }
    const entry: Partial<LockEntry> = {};
    const valueAt: Record<string, number | undefined> = {};
    for (const [k, kAt, v] of uniquePairs(value, bad, ` in "${name}"`)) {
      if (!(ENTRY_KEYS as readonly string[]).includes(k)) {
        bad('WEFT_E_LOCK_KEY', `unknown key "${k}" in lock entry "${name}" (expected ${ENTRY_KEYS.join(', ')})`, kAt);
        continue;
      }
      if (!isScalar(v) || v.value === null || typeof v.value === 'object') {
        bad('WEFT_E_LOCK_VALUE', `"${k}" of lock entry "${name}" must be a single value`, v?.range?.[0] ?? kAt);
        continue;
      }
      // A plain scalar as written: YAML reads an all-digit commit id (or one like 1e5…) as a number.
      (entry as Record<string, string>)[k] = typeof v.value !== 'string' && v.source !== undefined ? v.source : String(v.value);
      valueAt[k] = v.range?.[0] ?? kAt;
    }
    if (entry.type === undefined) {
      bad('WEFT_E_LOCK_VALUE', `lock entry "${name}" has no "type"`, nameAt);
      continue;
    }
    if (!TYPES.includes(entry.type)) {
      bad('WEFT_E_LOCK_VALUE', `lock entry "${name}" has unknown type "${entry.type}" (expected ${TYPES.join(', ')})`, valueAt['type'] ?? nameAt);
      continue;
    }
    if (entry.commit !== undefined && !/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(entry.commit)) {
      bad('WEFT_E_LOCK_VALUE', `commit of lock entry "${name}" is not a full commit id: "${entry.commit}"`, valueAt['commit'] ?? nameAt);
      continue;
    }
    lock.sources[name] = entry as LockEntry;
  }
}
