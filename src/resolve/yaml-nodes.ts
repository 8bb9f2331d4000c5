// Typed access to YAML nodes that keeps every value's file:line:col, so each problem can
// point at the key or value that caused it.
import type { Document, LineCounter, Node, Scalar } from 'yaml';
import { isAlias, isMap, isScalar, isSeq } from './yaml-api.js';
import type { Loc } from '../types.js';
import type { Problems } from './problems.js';
import { suggestHint } from './suggest.js';

export type FileKind = 'manifest' | 'include' | 'local' | 'config';

/** One parsed manifest file. */
export interface FileCtx {
  file: string;
  dir: string;
  kind: FileKind;
  text: string;
  lc: LineCounter;
  doc: Document.Parsed;
  /** Merge-key entries still allowed to expand: nested `<<: [*a, *a, …]` grows exponentially. */
  mergeBudget: { left: number };
}

export const MAX_MERGED_ENTRIES = 10_000;

/** A value read from a file, with where it was written. */
export interface Leaf<T> {
  value: T;
  /** Where the value starts. */
  loc: Loc;
  /** Where its key starts, when it is a map value. */
  keyLoc?: Loc;
  ctx: FileCtx;
  /** The scalar it came from, to point inside it (e.g. at one `${…}`). */
  node?: Scalar;
}

export interface Entry {
  key: string;
  keyLoc: Loc;
  value: Node | null;
  /** Where the value starts (the key's position when the value is empty). */
  loc: Loc;
  ctx: FileCtx;
}

export function locAt(ctx: FileCtx, offset: number): Loc {
  const { line, col } = ctx.lc.linePos(offset);
  return { file: ctx.file, line, col };
}

export function nodeLoc(ctx: FileCtx, node: Node | null | undefined, fallback?: Loc): Loc {
  if (node?.range) return locAt(ctx, node.range[0]);
  return fallback ?? { file: ctx.file, line: 1, col: 1 };
}

/** The node an alias points at (the yaml library has already checked it exists). */
export function deref(ctx: FileCtx, node: unknown): Node | null {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return (node.resolve(ctx.doc) as Node | undefined) ?? null;
  return node as Node;
}

/** What a node is, for "expected X, got Y" messages. */
export function describe(ctx: FileCtx, raw: unknown): string {
  const node = deref(ctx, raw);
  if (node === null) return 'an empty value';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return 'an empty value';
    if (typeof v === 'boolean') return `a boolean (${String(v)})`;
    if (typeof v === 'number' || typeof v === 'bigint') return `a number (${String(v)})`;
    if (typeof v === 'string') return 'a string';
    return 'a value of another type';
  }
  return 'something else';
}

export interface Reader {
  ctx: FileCtx;
  problems: Problems;
}

/**
 * The entries of a map in order, merge keys (`<<: *base`) expanded with explicit keys
 * winning. Reports and returns undefined when the node is not a map.
 */
export function mapEntries(r: Reader, raw: unknown, loc: Loc, what: string): Entry[] | undefined {
  const node = deref(r.ctx, raw);
  if (!isMap(node)) {
    expect(r, what, 'a map', raw, loc, 'write it as indented `key: value` lines');
    return undefined;
  }
  const own: Entry[] = [];
  const merged: Entry[] = [];
  const firstAt = new Map<string, Loc>();
  for (const pair of node.items) {
    const keyNode = deref(r.ctx, pair.key);
    const keyLoc = nodeLoc(r.ctx, keyNode, loc);
    if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
      const bases = mergeSources(r, pair.value);
      r.ctx.mergeBudget.left -= bases.length;
      if (r.ctx.mergeBudget.left < 0) {
        if (r.ctx.mergeBudget.left + bases.length >= 0) {
          r.problems.add({
            code: 'WEFT_E_MANIFEST_ALIASES',
            message: `merge keys (\`<<\`) in this file expand to more than ${MAX_MERGED_ENTRIES} maps`,
            loc: keyLoc,
            hint: 'write the shared fields out, or merge fewer nested anchors',
          });
        }
        continue;
      }
      for (const base of bases) {
        for (const e of mapEntries(r, base, keyLoc, what) ?? []) merged.push(e);
      }
      continue;
    }
    if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
      r.problems.add({
        code: 'WEFT_E_MANIFEST_TYPE',
        message: `${what}: a key must be a plain name, got ${describe(r.ctx, keyNode)}`,
        loc: keyLoc,
        hint: 'write keys as plain names, e.g. `name: value`',
      });
      continue;
    }
    const value = deref(r.ctx, pair.value);
    const key = scalarText(keyNode);
    const first = firstAt.get(key);
    if (first) {
      r.problems.add({
        code: 'WEFT_E_MANIFEST_DUPLICATE_KEY',
        message: `${what}: key \`${key}\` appears twice (first at line ${first.line})`,
        loc: keyLoc,
        hint: 'each key may appear once per map; merge the two entries or rename one',
      });
      continue;
    }
    firstAt.set(key, keyLoc);
    // `key:` with nothing after it: point at the key, not at the invisible empty scalar.
    const blank = isScalar(value) && value.value === null && (!value.range || value.range[0] === value.range[1]);
    own.push({ key, keyLoc, value: blank ? null : value, loc: blank ? keyLoc : nodeLoc(r.ctx, value, keyLoc), ctx: r.ctx });
  }
  if (merged.length === 0) return own;
  const ownKeys = new Set(own.map((e) => e.key));
  const out: Entry[] = [];
  const seen = new Set<string>();
  for (const e of merged) {
    if (ownKeys.has(e.key) || seen.has(e.key)) continue;
    seen.add(e.key);
    out.push(e);
  }
  return [...out, ...own];
}

function mergeSources(r: Reader, raw: unknown): unknown[] {
  const node = deref(r.ctx, raw);
  return isSeq(node) ? node.items : [node];
}

/**
 * The text of a scalar as written for plain numbers and booleans, so `ref: 1.10` stays
 * "1.10" instead of becoming the number 1.1.
 */
export function scalarText(node: Scalar): string {
  const v = node.value;
  if (typeof v === 'string') return v;
  if (node.type === 'PLAIN' && typeof node.source === 'string') return node.source;
  return String(v);
}

export function expect(r: Reader, what: string, expected: string, node: unknown, loc: Loc, hint: string): void {
  r.problems.add({
    code: 'WEFT_E_MANIFEST_TYPE',
    message: `${what}: expected ${expected}, got ${describe(r.ctx, node)}`,
    loc,
    hint,
  });
}

/** A string value; plain numbers and booleans are taken as written. Empty → problem. */
export function readString(r: Reader, e: Entry, what = `\`${e.key}\``): Leaf<string> | undefined {
  const node = e.value;
  if (isScalar(node) && node.value !== null && node.value !== undefined && typeof node.value !== 'object') {
    return { value: scalarText(node), loc: e.loc, keyLoc: e.keyLoc, ctx: r.ctx, node };
  }
  expect(r, what, 'a string', node, e.loc, node === null ? `give \`${e.key}\` a value, or remove the key` : `write \`${e.key}\` as a single string`);
  return undefined;
}

/** A string or a list of strings (a lone string is a one-item list). */
export function readStringList(r: Reader, e: Entry, what = `\`${e.key}\``): Leaf<Leaf<string>[]> | undefined {
  const node = e.value;
  if (isScalar(node) && node.value !== null && typeof node.value !== 'object') {
    const one = readString(r, e, what);
    return one && { value: [one], loc: e.loc, keyLoc: e.keyLoc, ctx: r.ctx };
  }
  if (!isSeq(node)) {
    expect(r, what, 'a string or a list of strings', node, e.loc, `write \`${e.key}: [a, b]\` or one \`- item\` per line`);
    return undefined;
  }
  const items: Leaf<string>[] = [];
  for (const raw of node.items) {
    const item = deref(r.ctx, raw);
    const loc = nodeLoc(r.ctx, item, e.loc);
    const leaf = readString(r, { key: e.key, keyLoc: loc, value: item, loc, ctx: r.ctx }, `an item of ${what}`);
    if (leaf) items.push(leaf);
  }
  return { value: items, loc: e.loc, keyLoc: e.keyLoc, ctx: r.ctx };
}

/** A list of values (a lone scalar or map counts as a one-item list). */
export function readList(r: Reader, e: Entry, what = `\`${e.key}\``): Entry[] | undefined {
  const node = e.value;
  if (node === null) {
    expect(r, what, 'a list', node, e.loc, `give \`${e.key}\` a value, or remove the key`);
    return undefined;
  }
  const items = isSeq(node) ? node.items.map((i) => deref(r.ctx, i)) : [node];
  return items.map((item) => {
    const loc = nodeLoc(r.ctx, item, e.loc);
    return { key: e.key, keyLoc: loc, value: item, loc, ctx: r.ctx };
  });
}

export function readBool(r: Reader, e: Entry, what = `\`${e.key}\``): Leaf<boolean> | undefined {
  const node = e.value;
  if (isScalar(node) && typeof node.value === 'boolean') return { value: node.value, loc: e.loc, keyLoc: e.keyLoc, ctx: r.ctx, node };
  expect(r, what, 'true or false', node, e.loc, `write \`${e.key}: true\` or \`${e.key}: false\``);
  return undefined;
}

/**
 * A non-negative (or positive) integer; a string holding `${…}` is kept to be checked
 * after interpolation.
 */
export function readInt(r: Reader, e: Entry, min: number, what = `\`${e.key}\``): Leaf<number | string> | undefined {
  const node = e.value;
  const hint = `write a whole number${min > 0 ? ` of at least ${min}` : ' (0 or more)'}, e.g. \`${e.key}: ${Math.max(min, 1)}\``;
  if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
    return { value: node.value, loc: e.loc, keyLoc: e.keyLoc, ctx: r.ctx, node };
  }
  if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value)) {
    if (node.value >= min) return { value: node.value, loc: e.loc, keyLoc: e.keyLoc, ctx: r.ctx, node };
    r.problems.add({ code: 'WEFT_E_MANIFEST_VALUE', message: `${what} must be at least ${min}, got ${node.value}`, loc: e.loc, hint });
    return undefined;
  }
  expect(r, what, 'a whole number', node, e.loc, hint);
  return undefined;
}

/** Reports keys not in `allowed`, with a did-you-mean or the list of valid keys. */
export function checkKeys(
  r: Reader,
  entries: Entry[],
  allowed: readonly string[],
  where: string,
): boolean {
  let ok = true;
  for (const e of entries) {
    if (allowed.includes(e.key)) continue;
    ok = false;
    r.problems.add({
      code: 'WEFT_E_MANIFEST_UNKNOWN_KEY',
      message: `unknown key \`${e.key}\` in ${where}`,
      loc: e.keyLoc,
      hint: suggestHint(e.key, allowed, `keys in ${where}`),
    });
  }
  return ok;
}
