// Builds archives byte by byte, including shapes no honest tool writes: traversal names,
// links, devices, PAX overrides, lying zip headers. Only tests use it.
import { spawnSync } from 'node:child_process';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';

export type TarType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

export interface TarEntrySpec {
  name: string;
  type?: TarType;
  data?: string | Buffer;
  mode?: number;
  linkname?: string;
  /** PAX extended header records written before this entry (e.g. { path: '1234' }). */
  pax?: Record<string, string>;
  /** Declared size when it should differ from the data (for lying headers). */
  size?: number;
}

const TYPEFLAG: Record<TarType, string> = { file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' };

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** One 512-byte ustar header with a valid checksum; `name` may be up to 100 bytes. */
export function tarHeader(h: { name: string; typeflag: string; size: number; mode: number; linkname?: string }): Buffer {
  const b = Buffer.alloc(512);
  const name = Buffer.from(h.name);
  if (name.length > 100) throw new Error(`tar name too long for a plain header: ${h.name}`);
  name.copy(b, 0);
  b.write(octal(h.mode, 8), 100, 'latin1');
  b.write(octal(0, 8), 108, 'latin1');
  b.write(octal(0, 8), 116, 'latin1');
  b.write(octal(h.size, 12), 124, 'latin1');
  b.write(octal(1_700_000_000, 12), 136, 'latin1');
  b.write('        ', 148, 'latin1');
  b.write(h.typeflag, 156, 'latin1');
  if (h.linkname) Buffer.from(h.linkname).copy(b, 157);
  b.write('ustar\0', 257, 'latin1');
  b.write('00', 263, 'latin1');
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(octal(sum, 7) + ' ', 148, 'latin1');
  return b;
}

function pad(data: Buffer): Buffer {
  const rest = data.length % 512;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(512 - rest)]);
}

function paxRecords(fields: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    const body = ` ${k}=${v}\n`;
    let len = Buffer.byteLength(body) + 1;
    while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
    parts.push(Buffer.from(`${len}${body}`));
  }
  return Buffer.concat(parts);
}

export function buildTar(entries: TarEntrySpec[]): Buffer {
  const out: Buffer[] = [];
  for (const e of entries) {
    if (e.pax) {
      const body = paxRecords(e.pax);
      out.push(tarHeader({ name: 'PaxHeader', typeflag: 'x', size: body.length, mode: 0o644 }), pad(body));
    }
    const type = e.type ?? 'file';
    const data = e.data === undefined ? Buffer.alloc(0) : Buffer.from(e.data);
    const mode = e.mode ?? (type === 'dir' ? 0o755 : 0o644);
    const size = e.size ?? (type === 'file' ? data.length : 0);
    out.push(tarHeader({ name: e.name, typeflag: TYPEFLAG[type], size, mode, linkname: e.linkname }));
    if (type === 'file' && data.length > 0) out.push(pad(data));
  }
  out.push(Buffer.alloc(1024));
  return Buffer.concat(out);
}

export function gzip(data: Buffer): Buffer {
  return gzipSync(data);
}

function viaTool(tool: string, data: Buffer): Buffer {
  const r = spawnSync(tool, ['-c'], { input: data, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${tool} failed: ${r.stderr}`);
  return r.stdout;
}

export const xz = (data: Buffer): Buffer => viaTool('xz', data);
export const bzip2 = (data: Buffer): Buffer => viaTool('bzip2', data);

export interface ZipEntrySpec {
  name: string;
  data?: string | Buffer;
  /** 0 stored, 8 deflate (default). */
  method?: 0 | 8;
  /** Unix mode including the type bits (e.g. 0o120777 for a symlink); sets "made by Unix". */
  unixMode?: number;
  /** Declared uncompressed size when it should lie. */
  size?: number;
}

/** A plain (non-zip64) zip with a central directory that matches the local headers. */
export function buildZip(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = e.data === undefined ? Buffer.alloc(0) : Buffer.from(e.data);
    const method = e.method ?? 8;
    const body = method === 8 ? deflateRawSync(data) : data;
    const name = Buffer.from(e.name);
    const crc = crc32(data);
    const size = e.size ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(e.unixMode === undefined ? 20 : (3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(e.unixMode === undefined ? 0 : (e.unixMode << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
