// Reads a zip's central directory: the one authoritative list of entries (local headers
// can disagree, and readers that trust them differ — a classic smuggling trick).
// Zip64 is refused rather than half-supported.
import type { FileHandle } from 'node:fs/promises';
import { WeftError } from '../../errors.js';
import type { EntryKind } from './entry-policy.js';

export interface ZipEntry {
  name: string;
  kind: EntryKind;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  executable: boolean;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  /** Where the central directory starts: no file data may reach past it. */
  dataEnd: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const MAX_EOCD_SEARCH = 22 + 0xffff;

export async function readZipDirectory(fh: FileHandle, fileSize: number, url: string): Promise<ZipDirectory> {
  const tailLen = Math.min(fileSize, MAX_EOCD_SEARCH);
  const tail = Buffer.alloc(tailLen);
  await fh.read(tail, 0, tailLen, fileSize - tailLen);
  let at = -1;
  for (let i = tailLen - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw corruptZip(url, 'no end-of-central-directory record');
  if (at >= 20 && tail.readUInt32LE(at - 20) === ZIP64_LOCATOR) throw zip64(url);
  const disk = tail.readUInt16LE(at + 4);
  const count = tail.readUInt16LE(at + 10);
  const cdSize = tail.readUInt32LE(at + 12);
  const cdOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw zip64(url);
  if (disk !== 0) throw unsupported(url, 'multi-disk (split) zip');
  const eocdPos = fileSize - tailLen + at;
  if (cdOffset + cdSize > eocdPos) throw corruptZip(url, 'central directory out of bounds');

  const cd = Buffer.alloc(cdSize);
  await fh.read(cd, 0, cdSize, cdOffset);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw corruptZip(url, `bad central directory entry ${i}`);
    const madeBy = cd.readUInt16LE(p + 4);
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const crc = cd.readUInt32LE(p + 16);
    const compressedSize = cd.readUInt32LE(p + 20);
    const size = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    const external = cd.readUInt32LE(p + 38);
    const localOffset = cd.readUInt32LE(p + 42);
    if (p + 46 + nameLen > cd.length) throw corruptZip(url, `central directory entry ${i} overruns`);
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) throw zip64(url);
    // Bit 11: the name is UTF-8; otherwise CP437, which matches latin1 for the ASCII names
    // that the safety checks care about.
    const name = cd.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
    const unixMode = madeBy >> 8 === 3 ? external >>> 16 : 0;
    entries.push({
      name,
      kind: kindOf(name, unixMode, external),
      method,
      flags,
      crc,
      compressedSize,
      size,
      localOffset,
      executable: (unixMode & 0o111) !== 0,
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { entries, dataEnd: cdOffset };
}

function kindOf(name: string, unixMode: number, external: number): EntryKind {
  switch (unixMode & 0o170000) {
    case 0o120000:
      return 'symlink';
    case 0o010000:
      return 'fifo';
    case 0o020000:
    case 0o060000:
      return 'device';
    case 0o140000:
      return 'other:socket';
    case 0o040000:
      return 'dir';
  }
  return name.endsWith('/') || (external & 0x10) !== 0 ? 'dir' : 'file';
}

export function corruptZip(url: string, detail: string): WeftError {
  return new WeftError('WEFT_E_ARCHIVE_CORRUPT', `${url}: cannot read the zip (${detail})`, {
    hint: 'the file is truncated or not a zip; its integrity matched, so the published archive itself is broken',
  });
}

export function unsupported(url: string, what: string): WeftError {
  return new WeftError('WEFT_E_ARCHIVE_UNSUPPORTED', `${url}: ${what} is not supported`, {
    hint: 'repack the archive as a plain zip (stored or deflate) or as a .tar.gz',
  });
}

function zip64(url: string): WeftError {
  return unsupported(url, 'zip64 (archives over 4 GiB or 65 535 entries)');
}
