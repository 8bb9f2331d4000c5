// Extracts a zip with the same entry rules as tar: every entry is judged from the central
// directory before one byte is written, then data is inflated with node:zlib and checked
// against the declared size and CRC-32.
import { createWriteStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createInflateRaw } from 'node:zlib';
import { isWeftError } from '../../errors.js';
import { ratioError, type EntryPolicy } from './entry-policy.js';
import { corruptZip, readZipDirectory, unsupported, type ZipEntry } from './zip-directory.js';

export interface ZipExtractOptions {
  file: string;
  dest: string;
  url: string;
  policy: EntryPolicy;
  maxRatio: number;
  signal?: AbortSignal;
}

const LOCAL = 0x04034b50;
const RATIO_FLOOR_BYTES = 1 << 20;

export async function extractZip(opts: ZipExtractOptions): Promise<void> {
  const fh = await open(opts.file, 'r');
  try {
    const size = (await fh.stat()).size;
    const dir = await readZipDirectory(fh, size, opts.url);
    const plan: Array<{ entry: ZipEntry; path: string }> = [];
    for (const entry of dir.entries) {
      if (entry.flags & 0x1) throw unsupported(opts.url, `encrypted entry ${JSON.stringify(entry.name)}`);
      if (entry.kind === 'file' && entry.method !== 0 && entry.method !== 8) {
        throw unsupported(opts.url, `compression method ${entry.method} (entry ${JSON.stringify(entry.name)})`);
      }
      // Two entries with one name (or a file and a directory): the policy refuses them.
      const path = opts.policy.admit(entry.name, entry.kind, entry.size);
      if (path === undefined) continue;
      plan.push({ entry, path });
    }
    opts.policy.finish();
    if (opts.policy.totalBytes > RATIO_FLOOR_BYTES && opts.policy.totalBytes > size * opts.maxRatio) {
      throw ratioError(opts.url, opts.maxRatio);
    }
    for (const { entry, path } of plan) {
      opts.signal?.throwIfAborted();
      const target = join(opts.dest, path);
      if (entry.kind === 'dir') {
        await mkdir(target, { recursive: true });
        continue;
      }
      await mkdir(dirname(target), { recursive: true });
      await extractEntry(fh, entry, target, dir.dataEnd, opts);
    }
  } catch (err) {
    if (isWeftError(err)) throw err;
    throw corruptZip(opts.url, (err as Error).message);
  } finally {
    await fh.close();
  }
}

async function extractEntry(
  fh: FileHandle,
  entry: ZipEntry,
  target: string,
  dataEnd: number,
  opts: ZipExtractOptions,
): Promise<void> {
  const local = Buffer.alloc(30);
  await fh.read(local, 0, 30, entry.localOffset);
  if (local.readUInt32LE(0) !== LOCAL) throw corruptZip(opts.url, `bad local header for ${JSON.stringify(entry.name)}`);
  const start = entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (start + entry.compressedSize > dataEnd) {
    throw corruptZip(opts.url, `data of ${JSON.stringify(entry.name)} overlaps the central directory`);
  }
  if (entry.method === 0 && entry.compressedSize !== entry.size) {
    throw corruptZip(opts.url, `stored entry ${JSON.stringify(entry.name)} has mismatched sizes`);
  }
  let written = 0;
  let crc = 0;
  const check = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      written += chunk.length;
      // The declared size was what the caps judged; a liar is cut off right here.
      if (written > entry.size) return cb(corruptZip(opts.url, `${JSON.stringify(entry.name)} is larger than declared`));
      crc = crc32(chunk, crc);
      cb(null, chunk);
    },
  });
  const input =
    entry.compressedSize === 0
      ? [Buffer.alloc(0)]
      : fh.createReadStream({ autoClose: false, start, end: start + entry.compressedSize - 1 });
  const out = createWriteStream(target, { flags: 'wx', mode: entry.executable ? 0o700 : 0o600 });
  const signal = opts.signal ? { signal: opts.signal } : {};
  if (entry.method === 8) await pipeline(input, createInflateRaw(), check, out, signal);
  else await pipeline(input, check, out, signal);
  if (written !== entry.size) throw corruptZip(opts.url, `${JSON.stringify(entry.name)} is shorter than declared`);
  if ((crc >>> 0) !== entry.crc) throw corruptZip(opts.url, `CRC mismatch in ${JSON.stringify(entry.name)}`);
}
