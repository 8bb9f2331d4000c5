// Reading objects from a repository's object store in node: pack files through their
// version-2 .idx (deltas resolved), and loose objects. Just enough for checkout-fs.ts to
// write a fresh work tree without starting git; anything it does not know (another idx
// version, a sha256 repository, a missing object) answers undefined and the caller lets
// git do the work.
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

export type ObjectType = 'commit' | 'tree' | 'blob' | 'tag';
export interface GitObject {
  type: ObjectType;
  data: Buffer;
}

const TYPES: Record<number, ObjectType> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };
const OFS_DELTA = 6;
const REF_DELTA = 7;

interface Pack {
  path: string;
  names: Buffer;
  count: number;
  fanout: Uint32Array;
  offsets: number[];
  /** Object offsets sorted, to know where each object's bytes end. */
  ends: Map<number, number>;
}

function readIdx(idxPath: string, packPath: string, packSize: number): Pack | undefined {
  const idx = readFileSync(idxPath);
  if (idx.readUInt32BE(0) !== 0xff744f63 || idx.readUInt32BE(4) !== 2) return undefined;
  const fanout = new Uint32Array(256);
  for (let i = 0; i < 256; i++) fanout[i] = idx.readUInt32BE(8 + i * 4);
  const count = fanout[255]!;
  const namesAt = 8 + 1024;
  const offsAt = namesAt + count * 20 + count * 4;
  const largeAt = offsAt + count * 4;
  const offsets: number[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const v = idx.readUInt32BE(offsAt + i * 4);
    if (v & 0x80000000) {
      const big = idx.readBigUInt64BE(largeAt + (v & 0x7fffffff) * 8);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
      offsets[i] = Number(big);
    } else {
      offsets[i] = v;
    }
  }
  const sorted = [...offsets].sort((a, b) => a - b);
  const ends = new Map<number, number>();
  // The pack ends with a 20-byte checksum.
  sorted.forEach((o, i) => ends.set(o, i + 1 < sorted.length ? sorted[i + 1]! : packSize - 20));
  return { path: packPath, names: idx.subarray(namesAt, namesAt + count * 20), count, fanout, offsets, ends };
}

function findIn(pack: Pack, sha: Buffer): number | undefined {
  let lo = sha[0]! === 0 ? 0 : pack.fanout[sha[0]! - 1]!;
  let hi = pack.fanout[sha[0]!]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = pack.names.compare(sha, 0, 20, mid * 20, mid * 20 + 20) * -1;
    if (c === 0) return pack.offsets[mid];
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return undefined;
}

/** Applies a git delta to `base`. */
function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let p = 0;
  const varint = (): number => {
    let v = 0;
    let shift = 0;
    let b: number;
    do {
      b = delta[p++]!;
      v += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return v;
  };
  if (varint() !== base.length) throw new Error('delta base size mismatch');
  const out = Buffer.allocUnsafe(varint());
  let o = 0;
  while (p < delta.length) {
    const op = delta[p++]!;
    if (op & 0x80) {
      let off = 0;
      let size = 0;
      for (let i = 0; i < 4; i++) if (op & (1 << i)) off += delta[p++]! * 2 ** (8 * i);
      for (let i = 0; i < 3; i++) if (op & (0x10 << i)) size += delta[p++]! * 2 ** (8 * i);
      if (size === 0) size = 0x10000;
      if (off + size > base.length || o + size > out.length) throw new Error('delta copy out of range');
      base.copy(out, o, off, off + size);
      o += size;
    } else if (op) {
      if (p + op > delta.length || o + op > out.length) throw new Error('delta insert out of range');
      delta.copy(out, o, p, p + op);
      p += op;
      o += op;
    } else {
      throw new Error('delta opcode 0');
    }
  }
  if (o !== out.length) throw new Error('delta result size mismatch');
  return out;
}

export interface ObjectStore {
  /** The object, or undefined when it is not here (or not readable by this reader). */
  read(sha: string): GitObject | undefined;
  close(): void;
}

/** Opens `<gitDir>/objects` for reading; undefined when a pack is not one this reader knows. */
export function openObjectStore(gitDir: string): ObjectStore | undefined {
  const objects = join(gitDir, 'objects');
  const packs: Pack[] = [];
  const fds = new Map<string, number>();
  for (const f of readdirSync(join(objects, 'pack'))) {
    if (!f.endsWith('.idx') || f.startsWith('tmp_')) continue;
    const packPath = join(objects, 'pack', f.replace(/\.idx$/, '.pack'));
    let fd: number;
    try {
      fd = openSync(packPath, 'r');
    } catch {
      continue;
    }
    fds.set(packPath, fd);
    const size = fstatSync(fd).size;
    const pack = size > 0 ? readIdx(join(objects, 'pack', f), packPath, size) : undefined;
    if (!pack) {
      for (const d of fds.values()) closeSync(d);
      return undefined;
    }
    packs.push(pack);
  }
  const byOffset = new Map<string, GitObject>();

  const readPacked = (pack: Pack, offset: number, depth: number): GitObject => {
    const key = `${pack.path}:${offset}`;
    const hit = byOffset.get(key);
    if (hit) return hit;
    if (depth > 64) throw new Error('delta chain too deep');
    const end = pack.ends.get(offset)!;
    const raw = Buffer.allocUnsafe(end - offset);
    readSync(fds.get(pack.path)!, raw, 0, raw.length, offset);
    let p = 0;
    let b = raw[p++]!;
    const type = (b >> 4) & 7;
    while (b & 0x80) b = raw[p++]!;
    let obj: GitObject;
    if (type === OFS_DELTA) {
      b = raw[p++]!;
      let rel = b & 0x7f;
      while (b & 0x80) {
        b = raw[p++]!;
        rel = (rel + 1) * 128 + (b & 0x7f);
      }
      const base = readPacked(pack, offset - rel, depth + 1);
      obj = { type: base.type, data: applyDelta(base.data, inflateSync(raw.subarray(p))) };
    } else if (type === REF_DELTA) {
      const base = read(raw.subarray(p, p + 20).toString('hex'), depth + 1);
      if (!base) throw new Error('delta base missing');
      obj = { type: base.type, data: applyDelta(base.data, inflateSync(raw.subarray(p + 20))) };
    } else {
      const t = TYPES[type];
      if (!t) throw new Error(`unknown object type ${type}`);
      obj = { type: t, data: inflateSync(raw.subarray(p)) };
    }
    // Delta bases and trees are asked for again; the store lives for one small checkout.
    byOffset.set(key, obj);
    return obj;
  };

  const readLoose = (sha: string): GitObject | undefined => {
    let raw: Buffer;
    try {
      raw = inflateSync(readFileSync(join(objects, sha.slice(0, 2), sha.slice(2))));
    } catch {
      return undefined;
    }
    const nul = raw.indexOf(0);
    const [type, size] = raw.subarray(0, nul).toString('latin1').split(' ');
    const data = raw.subarray(nul + 1);
    if (!['commit', 'tree', 'blob', 'tag'].includes(type!) || Number(size) !== data.length) return undefined;
    return { type: type as ObjectType, data };
  };

  const read = (sha: string, depth = 0): GitObject | undefined => {
    if (!/^[0-9a-f]{40}$/.test(sha)) return undefined;
    const bin = Buffer.from(sha, 'hex');
    for (const pack of packs) {
      const at = findIn(pack, bin);
      if (at !== undefined) return readPacked(pack, at, depth);
    }
    return readLoose(sha);
  };

  return {
    read: (sha) => read(sha),
    close: () => {
      for (const fd of fds.values()) closeSync(fd);
    },
  };
}
