// The tree a commit names, read from a repository's object store in node: one positioned
// read of a pack and one small inflate, where asking git costs a process. Only the plain
// case: a SHA-1 store, the commit loose or stored whole in a pack whose index is small
// enough to read at once. A delta, a large index or anything unexpected answers
// undefined and the caller asks git. The object read is hashed and must be the commit
// asked for, so a wrong answer cannot come out of here, only none.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

const MAX_INDEX = 8 * 1024 * 1024;
const OBJ_COMMIT = 1;

/** `commit`'s tree id, from `objects` (a .git/objects directory); undefined when not found this way. */
export function treeOfCommit(objects: string, commit: string): string | undefined {
  if (!/^[0-9a-f]{40}$/.test(commit)) return undefined;
  try {
    const loose = join(objects, commit.slice(0, 2), commit.slice(2));
    if (existsSync(loose)) return treeLine(commit, inflateSync(readFileSync(loose)));
    const name = Buffer.from(commit, 'hex');
    for (const file of readdirSync(join(objects, 'pack'))) {
      if (!file.endsWith('.idx') || file.startsWith('tmp_')) continue;
      const at = offsetIn(join(objects, 'pack', file), name);
      if (at !== undefined) return fromPack(join(objects, 'pack', `${file.slice(0, -4)}.pack`), at, commit);
    }
  } catch {
    /* unreadable, cut short, not zlib: git will say */
  }
  return undefined;
}

/** The object's offset in the pack of version 2 index `idx`; undefined when not there (or not readable here). */
function offsetIn(idx: string, name: Buffer): number | undefined {
  if (statSync(idx).size > MAX_INDEX) return undefined;
  const buf = readFileSync(idx);
  if (buf.readUInt32BE(0) !== 0xff744f63 || buf.readUInt32BE(4) !== 2) return undefined;
  const fanout = (i: number): number => (i < 0 ? 0 : buf.readUInt32BE(8 + 4 * i));
  const count = fanout(255);
  const names = 8 + 256 * 4;
  let lo = fanout(name[0]! - 1);
  let hi = fanout(name[0]!);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const cmp = buf.compare(name, 0, 20, names + mid * 20, names + mid * 20 + 20);
    if (cmp === 0) {
      const offsets = names + count * 20 + count * 4;
      const small = buf.readUInt32BE(offsets + mid * 4);
      if (!(small & 0x80000000)) return small;
      const large = buf.readBigUInt64BE(offsets + count * 4 + (small & 0x7fffffff) * 8);
      return large <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(large) : undefined;
    }
    if (cmp > 0) hi = mid;
    else lo = mid + 1;
  }
  return undefined;
}

function fromPack(pack: string, at: number, commit: string): string | undefined {
  const fd = openSync(pack, 'r');
  try {
    let head = Buffer.alloc(4096);
    const got = readSync(fd, head, 0, head.length, at);
    let c = head[0]!;
    if (((c >> 4) & 7) !== OBJ_COMMIT) return undefined; // a delta: git resolves those
    let size = c & 15;
    let shift = 4;
    let i = 1;
    while (c & 0x80) {
      c = head[i++]!;
      size += (c & 0x7f) * 2 ** shift;
      shift += 7;
    }
    // zlib never makes a stream much larger than its input: read enough for the whole of it.
    const need = i + size + 1024;
    if (need > got) {
      head = Buffer.alloc(need);
      readSync(fd, head, 0, need, at);
    }
    const body = inflateSync(head.subarray(i));
    if (body.length !== size) return undefined;
    return treeLine(commit, Buffer.concat([Buffer.from(`commit ${size}\0`), body]));
  } finally {
    closeSync(fd);
  }
}

/** The tree id of loose-object bytes (`commit <size>\0…`) that hash to `commit`. */
function treeLine(commit: string, object: Buffer): string | undefined {
  if (createHash('sha1').update(object).digest('hex') !== commit) return undefined;
  const nul = object.indexOf(0);
  if (nul < 0 || !object.subarray(0, nul).toString('latin1').startsWith('commit ')) return undefined;
  return /^tree ([0-9a-f]{40})\n/.exec(object.toString('latin1', nul + 1, nul + 47))?.[1];
}
