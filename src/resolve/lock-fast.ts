// A fast path for the common case: a weft.lock exactly as renderLock writes it. Building
// a YAML document with positions for 1 000 entries costs more than resolving the manifest;
// this reads the fixed layout line by line and gives up (returns undefined) at the first
// thing it is not sure of — quotes, comments after values, duplicates, values YAML would
// read as numbers, booleans or null — so the full parser handles it and reports problems
// with their positions.
import { hasControlChar } from './control-chars.js';
import type { Lock, LockEntry } from './lock.js';

const KEYS = new Set(['type', 'url', 'ref', 'commit', 'revision', 'integrity', 'defined']);
const TYPES = new Set(['git', 'archive', 'local', 'svn', 'hg']);
const NAME_LINE = /^ {2}([A-Za-z0-9][A-Za-z0-9._-]*):$/;
const FIELD_LINE = /^ {4}([a-z]+): ([A-Za-z0-9_./~+=$()@%-][^\s#'"]*)$/;
// Plain scalars the YAML core schema turns into something other than the same string.
const TYPED = /^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|true|True|TRUE|false|False|FALSE|null|Null|NULL|~|[yY]|[nN])$/;
const FULL_COMMIT = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

export function parseLockFast(text: string, version: number): Lock | undefined {
  // The full parser refuses control characters, with their positions.
  if (hasControlChar(text)) return undefined;
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && lines[i]!.startsWith('#')) i++;
  if (lines[i++] !== `version: ${version}`) return undefined;
  const lock: Lock = { version, sources: {} };
  const head = lines[i++];
  if (head === 'sources: {}') return rest(lines, i) ? lock : undefined;
  if (head !== 'sources:') return undefined;
  let entry: Record<string, string> | undefined;
  let name = '';
  const close = (): boolean => {
    if (!entry) return true;
    if (!TYPES.has(entry.type ?? '')) return false;
    if (entry.commit !== undefined && !FULL_COMMIT.test(entry.commit)) return false;
    lock.sources[name] = entry as unknown as LockEntry;
    return true;
  };
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') return close() && rest(lines, i) ? lock : undefined;
    const f = FIELD_LINE.exec(line);
    if (f) {
      const [, key, value] = f as unknown as [string, string, string];
      if (!entry || !KEYS.has(key) || key in entry || TYPED.test(value) || value.endsWith(':') || value.includes(': ')) return undefined;
      entry[key] = value;
      continue;
    }
    const n = NAME_LINE.exec(line);
    if (!n || TYPED.test(n[1]!) || !close() || Object.hasOwn(lock.sources, n[1]!)) return undefined;
    name = n[1]!;
    entry = {};
  }
  return close() ? lock : undefined;
}

/** Only empty lines may follow the end. */
function rest(lines: string[], from: number): boolean {
  for (let i = from; i < lines.length; i++) if (lines[i] !== '') return false;
  return true;
}
