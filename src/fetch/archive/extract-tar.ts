// tar, tar.gz, tar.xz and tar.bz2 through node-tar, fed by decompress.ts. node-tar keeps
// its own safety options; every entry also passes the shared EntryPolicy.
import { stat } from 'node:fs/promises';
import { Unpack, type ReadEntry } from 'tar';
import { WeftError, isWeftError } from '../../errors.js';
import { corrupt, openTarStream, type ExternalTool } from './decompress.js';
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
  tools?: Partial<Record<ExternalTool, string>>;
}

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
  // A signal already aborted fires no event: without this the whole tree would be written.
  if (opts.signal?.aborted) throw cancelled(opts.url);
  const compressed = (await stat(opts.file)).size;
  let fatal: WeftError | undefined;
  const unpack = new Unpack({
    cwd: opts.dest,
    strict: true,
    preservePaths: false,
    preserveOwner: false,
    maxDepth: opts.maxDepth,
    maxDecompressionRatio: opts.maxRatio,
    // The stream is already decompressed: node-tar must not guess at brotli or zstd (its
    // gzip sniffing cannot be turned off; decompress.ts refuses a gzip inside a gzip).
    brotli: false,
    zstd: false,
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
  const codec = openTarStream({
    file: opts.file,
    compressedBytes: compressed,
    url: opts.url,
    format: opts.format,
    maxRatio: opts.maxRatio,
    tools: opts.tools,
  });
  const input = codec.stream;
  const onAbort = (): void => {
    input.destroy(cancelled(opts.url));
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
    codec.stop();
    if (fatal) throw fatal;
    if (isWeftError(err)) throw err;
    const msg = (err as Error).message ?? String(err);
    if (/decompression ratio/.test(msg)) throw ratioError(opts.url, opts.maxRatio);
    throw corrupt(opts.url, msg);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  if (fatal) throw fatal;
  await codec.finished();
}

function cancelled(url: string): WeftError {
  return new WeftError('WEFT_E_CANCELLED', `extraction of ${url} was cancelled`, { hint: 'run the command again' });
}
