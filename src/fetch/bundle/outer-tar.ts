// The one file a bundle is: a plain tar whose first entry is the index. Reading it is the
// first line of defence, so it takes nothing on faith: regular files only, names weft
// itself would write, no duplicates, each written to a fresh file in a private scratch
// directory with its sha256 taken on the way.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { create, Parser, type ReadEntry } from 'tar';
import { WeftError } from '../../errors.js';
import { badBundle, INDEX_NAME, safeEntryName, type EntrySum } from './format.js';

/** Packs `names` (relative to `staging`, the index first) into `file`. */
export async function writeOuterTar(staging: string, names: string[], file: string): Promise<void> {
  await create({ file, cwd: staging, portable: true, noDirRecurse: true, strict: true }, names);
}

export interface ReadTar {
  /** Entry name → what was read, in tar order. */
  sums: Map<string, EntrySum>;
  first: string | undefined;
}

/**
 * Writes every entry of `file` under `into` (which must be empty and private) and returns
 * their checksums. Throws WEFT_E_BUNDLE_DAMAGED naming the first offending entry.
 */
export async function readOuterTar(file: string, into: string): Promise<ReadTar> {
  const sums = new Map<string, EntrySum>();
  let first: string | undefined;
  let refused: WeftError | undefined;
  const refuse = (err: WeftError): void => {
    refused ??= err;
  };
  const parser = new Parser({
    strict: true,
    onReadEntry(entry: ReadEntry) {
      const name = entry.path;
      first ??= name;
      if (refused) return entry.resume();
      if (entry.type !== 'File' && entry.type !== 'OldFile') {
        refuse(badBundle(file, JSON.stringify(name), `is a ${entry.type}, a bundle holds only regular files`));
        return entry.resume();
      }
      if (!safeEntryName(name)) {
        refuse(badBundle(file, JSON.stringify(name), 'has an unsafe name (absolute, "..", or characters weft never writes)'));
        return entry.resume();
      }
      if (sums.has(name)) {
        refuse(badBundle(file, name, 'appears twice'));
        return entry.resume();
      }
      const target = join(into, name);
      mkdirSync(dirname(target), { recursive: true });
      // 'wx': a name that is a directory prefix of another entry fails here instead of merging.
      let fd: number;
      try {
        fd = openSync(target, 'wx', 0o600);
      } catch {
        refuse(badBundle(file, name, 'clashes with another entry'));
        return entry.resume();
      }
      const hash = createHash('sha256');
      let size = 0;
      sums.set(name, { size: -1, sha256: '' });
      entry.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
        writeSync(fd, chunk);
      });
      entry.on('end', () => {
        closeSync(fd);
        sums.set(name, { size, sha256: hash.digest('hex') });
      });
    },
  });
  let parseError: Error | undefined;
  parser.on('error', (err: Error) => (parseError ??= err));
  parser.on('warn', (_code: string, message: string | Error) => (parseError ??= new Error(String(message))));
  try {
    await pipeline(createReadStream(file), parser);
  } catch (err) {
    parseError ??= err as Error;
  }
  if (refused) throw refused;
  if (parseError) throw badBundle(file, first ?? INDEX_NAME, `the tar cannot be read: ${parseError.message}`);
  for (const [name, sum] of sums) if (sum.size < 0) throw badBundle(file, name, 'is truncated');
  return { sums, first };
}

/** Whether `file` starts like a weft bundle (a tar whose first entry is the index). */
export async function looksLikeBundle(file: string): Promise<boolean> {
  const { open } = await import('node:fs/promises');
  let fh;
  try {
    fh = await open(file, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await fh.read(head, 0, 512, 0);
    if (bytesRead < 512) return false;
    const name = head.subarray(0, 100).toString('latin1').replace(/\0.*$/s, '');
    return name === INDEX_NAME && head.subarray(257, 262).toString('latin1') === 'ustar';
  } finally {
    await fh.close();
  }
}
