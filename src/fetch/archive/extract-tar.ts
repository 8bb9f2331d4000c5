// tar, tar.gz via node-tar; tar.xz and tar.bz2 through the system `xz`/`bzip2` (node-tar
// has no codec for them) spawned without a shell and killed if extraction stops.
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { Unpack, type ReadEntry } from 'tar';
import { WeftError, isWeftError } from '../../errors.js';
import { ratioError, type EntryKind, type EntryPolicy } from './entry-policy.js';
import type { ArchiveFormat } from './format.js';

export interface ExtractOptions {
  file: string;
  dest: string;
  url: string;
  format: Exclude<ArchiveFormat, 'zip'>;
  policy: EntryPolicy;
  maxDepth: number;
  maxRatio: number;
  signal?: AbortSignal;
}

/** Below this many expanded bytes the ratio is not judged: tar padding alone is ~100×. */
const RATIO_FLOOR_BYTES = 1 << 20;

function kindOf(type: string): EntryKind {
  switch (type) {
    case 'File':
    case 'OldFile':
    case 'ContiguousFile':
      return 'file';
    case 'Directory':
      return 'dir';
    case 'SymbolicLink':
      return 'symlink';
    case 'Link':
      return 'hardlink';
    case 'CharacterDevice':
    case 'BlockDevice':
      return 'device';
    case 'FIFO':
      return 'fifo';
    default:
      return `other:${type}`;
  }
}

export async function extractTar(opts: ExtractOptions): Promise<void> {
  const compressed = (await stat(opts.file)).size;
  let fatal: WeftError | undefined;
  const unpack = new Unpack({
    cwd: opts.dest,
    strict: true,
    preservePaths: false,
    preserveOwner: false,
    maxDepth: opts.maxDepth,
    maxDecompressionRatio: opts.maxRatio,
    filter: (path, entry) => {
      if (fatal) return false;
      const e = entry as ReadEntry;
      try {
        return opts.policy.admit(String(path), kindOf(e.type), e.size ?? 0) !== undefined;
      } catch (err) {
        if (!isWeftError(err)) throw err;
        fatal = err;
        unpack.abort(err);
        return false;
      }
    },
  });

  let child: ChildProcess | undefined;
  let input: Readable;
  if (opts.format === 'tar.xz' || opts.format === 'tar.bz2') {
    const tool = opts.format === 'tar.xz' ? 'xz' : 'bzip2';
    child = spawn(tool, ['-dc', '--', opts.file], { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    let expanded = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        expanded += chunk.length;
        if (expanded > RATIO_FLOOR_BYTES && expanded > compressed * opts.maxRatio) {
          cb(ratioError(opts.url, opts.maxRatio));
        } else cb(null, chunk);
      },
    });
    input = child.stdout!.pipe(counter);
    child.stdout!.on('error', (err) => counter.destroy(err));
  } else {
    input = createReadStream(opts.file, { highWaterMark: 1 << 20 });
  }

  const stderr: Buffer[] = [];
  child?.stderr!.on('data', (d: Buffer) => stderr.length < 64 && stderr.push(d));
  const exited = child
    ? new Promise<number | null>((resolve) => {
        child!.on('error', () => resolve(-1));
        child!.on('close', (code) => resolve(code));
      })
    : Promise.resolve(0);

  const onAbort = (): void => {
    input.destroy(new WeftError('WEFT_E_CANCELLED', `extraction of ${opts.url} was cancelled`));
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      unpack.on('error', reject);
      unpack.on('close', () => resolve());
      input.on('error', (err) => {
        unpack.abort(err);
        reject(err);
      });
      input.pipe(unpack as unknown as NodeJS.WritableStream);
    });
  } catch (err) {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (fatal) throw fatal;
    if (isWeftError(err)) throw err;
    const msg = (err as Error).message ?? String(err);
    if (/decompression ratio/.test(msg)) throw ratioError(opts.url, opts.maxRatio);
    throw corrupt(opts.url, msg);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  if (fatal) throw fatal;
  const code = await exited;
  if (code !== 0) {
    throw corrupt(opts.url, `${child?.spawnfile} exited with ${code}: ${Buffer.concat(stderr).toString().trim()}`);
  }
}

function corrupt(url: string, detail: string): WeftError {
  return new WeftError('WEFT_E_ARCHIVE_CORRUPT', `${url}: cannot read the archive (${detail})`, {
    hint: 'The file is truncated or not the format it claims; its integrity matched, so the published archive itself is broken.',
  });
}
