// git's index file (version 2), only as far as splitting one index into several: the
// entries under a directory become an index of their own, paths relative to it, with the
// matching part of the cache-tree (TREE) extension as its root. Stat data is kept as git
// recorded it, so the files it describes must not have moved within their directory.
// Format: gitformat-index(5).
import { createHash } from 'node:crypto';

const HEADER = 12;
const ENTRY_FIXED = 62;
const HASH = 20;
const NAME_MASK = 0x0fff;
const EXTENDED = 0x4000;

interface Entry {
  path: string;
  /** The entry's bytes from ctime up to (not including) the flags. */
  fixed: Buffer;
  flags: number;
}

/** A cache-tree node: entries below it, subtrees, its tree id (absent when invalidated). */
interface TreeNode {
  name: string;
  entries: number;
  subtrees: number;
  oid?: Buffer;
  children: TreeNode[];
}

export interface ParsedIndex {
  entries: Entry[];
  tree?: TreeNode;
}

/** Reads a version 2 index; undefined for anything else (v3/v4, a split index, a bad file). */
export function parseIndex(buf: Buffer): ParsedIndex | undefined {
  if (buf.length < HEADER + HASH || buf.toString('latin1', 0, 4) !== 'DIRC' || buf.readUInt32BE(4) !== 2) return undefined;
  const body = buf.subarray(0, buf.length - HASH);
  if (!createHash('sha1').update(body).digest().equals(buf.subarray(buf.length - HASH))) return undefined;
  const count = buf.readUInt32BE(8);
  const entries: Entry[] = [];
  let at = HEADER;
  for (let i = 0; i < count; i++) {
    if (at + ENTRY_FIXED > body.length) return undefined;
    const flags = buf.readUInt16BE(at + ENTRY_FIXED - 2);
    if (flags & EXTENDED) return undefined;
    const end = buf.indexOf(0, at + ENTRY_FIXED);
    if (end < 0 || end >= body.length) return undefined;
    entries.push({ path: buf.toString('utf8', at + ENTRY_FIXED, end), fixed: buf.subarray(at, at + ENTRY_FIXED - 2), flags });
    at += (ENTRY_FIXED + (end - at - ENTRY_FIXED) + 8) & ~7;
  }
  let tree: TreeNode | undefined;
  while (at + 8 <= body.length) {
    const sig = buf.toString('latin1', at, at + 4);
    const size = buf.readUInt32BE(at + 4);
    const data = body.subarray(at + 8, at + 8 + size);
    if (data.length !== size) return undefined;
    // Other extensions (resolve-undo, end-of-entries markers) describe the whole index.
    if (sig === 'TREE') tree = parseTree(data, { at: 0 });
    at += 8 + size;
  }
  return at === body.length ? { entries, tree } : undefined;
}

function parseTree(data: Buffer, pos: { at: number }): TreeNode | undefined {
  const nul = data.indexOf(0, pos.at);
  const nl = data.indexOf(0x0a, nul + 1);
  if (nul < 0 || nl < 0) return undefined;
  const name = data.toString('utf8', pos.at, nul);
  const m = /^(-?\d+) (\d+)$/.exec(data.toString('latin1', nul + 1, nl));
  if (!m) return undefined;
  const node: TreeNode = { name, entries: Number(m[1]), subtrees: Number(m[2]), children: [] };
  pos.at = nl + 1;
  if (node.entries >= 0) {
    node.oid = data.subarray(pos.at, pos.at + HASH);
    pos.at += HASH;
  }
  for (let i = 0; i < node.subtrees; i++) {
    const child = parseTree(data, pos);
    if (!child) return undefined;
    node.children.push(child);
  }
  return node;
}

function writeTree(node: TreeNode, name: string, out: Buffer[]): void {
  out.push(Buffer.from(`${name}\0${node.entries} ${node.subtrees}\n`, 'utf8'));
  if (node.oid) out.push(node.oid);
  for (const c of node.children) writeTree(c, c.name, out);
}

/**
 * The index of the directory `dir` (one path component) of `index`: its entries with
 * `dir/` taken off their paths, and its cache-tree node as the root. Empty when no entry
 * is under it (an empty tree).
 */
export function subIndex(index: ParsedIndex, dir: string): Buffer {
  const prefix = `${dir}/`;
  const parts: Buffer[] = [];
  let count = 0;
  for (const e of index.entries) {
    if (!e.path.startsWith(prefix)) continue;
    const path = Buffer.from(e.path.slice(prefix.length), 'utf8');
    const flags = Buffer.alloc(2);
    flags.writeUInt16BE((e.flags & ~NAME_MASK) | Math.min(path.length, NAME_MASK));
    const size = (ENTRY_FIXED + path.length + 8) & ~7;
    parts.push(e.fixed, flags, path, Buffer.alloc(size - ENTRY_FIXED - path.length));
    count++;
  }
  const node = index.tree?.children.find((c) => c.name === dir);
  if (node) {
    const tree: Buffer[] = [];
    writeTree(node, '', tree);
    const data = Buffer.concat(tree);
    const head = Buffer.alloc(8);
    head.write('TREE', 0, 'latin1');
    head.writeUInt32BE(data.length, 4);
    parts.push(head, data);
  }
  const header = Buffer.alloc(HEADER);
  header.write('DIRC', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(count, 8);
  const body = Buffer.concat([header, ...parts]);
  return Buffer.concat([body, createHash('sha1').update(body).digest()]);
}
