// The tar bytes of a verified archive, as a stream for node-tar. gzip is inflated by
// node's zlib on a libuv thread, so inflating and node-tar's parsing and writing use two
// cores (node-tar's own inflate runs on the main thread, in line with the writes); xz
// and bzip2 come from the system tools, spawned without a shell. Either way the stream
// arrives in 1 MiB chunks: node-tar issues one write per chunk it is given, and 64 KiB
// chunks made extraction 2–3× slower. A bomb is stopped by the expanded/compressed ratio.
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { Transform, pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { WeftError } from '../../errors.js';
import { ratioError } from './entry-policy.js';
import type { ArchiveFormat } from './format.js';

/** Chunk size handed to node-tar (and read from disk / inflated at a time). */
const CHUNK_BYTES = 1 << 20;

/** Below this many expanded bytes the ratio is not judged: tar padding alone is ~100×. */
const RATIO_FLOOR_BYTES = 1 << 20;

export type ExternalTool = 'xz' | 'bzip2';

export interface TarStreamOptions {
  file: string;
  /** Size of `file`: what the ratio is judged against when a tool reads the file itself. */
  compressedBytes: number;
  url: string;
  format: Exclude<ArchiveFormat, 'zip'>;
  maxRatio: number;
  /** Command to run for each external codec (default: its name, looked up in PATH). */
  tools?: Partial<Record<ExternalTool, string>>;
}

export interface TarStream {
  stream: Readable;
  /** Resolves once the codec has finished cleanly; rejects with a WeftError if it failed. */
  finished(): Promise<void>;
  /** Stops the codec (extraction gave up). */
  stop(): void;
}

export function openTarStream(opts: TarStreamOptions): TarStream {
  const read = (): Readable => createReadStream(opts.file, { highWaterMark: CHUNK_BYTES });
  if (opts.format === 'tar') {
    const stream = read();
    return { stream, finished: async () => {}, stop: () => stream.destroy() };
  }
  if (opts.format === 'tar.gz') {
    const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
    // bytesWritten is what went into the inflater so far: the ratio is judged as it goes.
    const guard = ratioGuard(opts, () => gunzip.bytesWritten);
    const stream = pipeline(read(), gunzip, guard, () => {});
    return { stream, finished: async () => {}, stop: () => stream.destroy() };
  }
  return external(opts, opts.format === 'tar.xz' ? 'xz' : 'bzip2');
}

function external(opts: TarStreamOptions, tool: ExternalTool): TarStream {
  const command = opts.tools?.[tool] ?? tool;
  const child: ChildProcess = spawn(command, ['-dc', '--', opts.file], { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
  const guard = ratioGuard(opts, () => opts.compressedBytes);
  const stream = pipeline(child.stdout!, guard, () => {});
  const stderr: Buffer[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.length < 64 && stderr.push(d));
  const exited = new Promise<WeftError | undefined>((resolve) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      // No close event follows a failed spawn: without the tool there is no stream.
      const failure = toolError(opts.url, tool, command, err);
      stream.destroy(failure);
      resolve(failure);
    });
    child.once('close', (code, signal) => {
      if (code === 0) resolve(undefined);
      else {
        const why = signal ? `was killed by ${signal}` : `exited with ${code}`;
        resolve(corrupt(opts.url, `${command} ${why}: ${Buffer.concat(stderr).toString().trim()}`));
      }
    });
  });
  return {
    stream,
    finished: async () => {
      const failure = await exited;
      if (failure) throw failure;
    },
    stop: () => {
      stream.destroy();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/**
 * Passes the expanded bytes on in chunks of about CHUNK_BYTES, failing once they exceed
 * `maxRatio` times the compressed bytes consumed so far.
 */
function ratioGuard(opts: TarStreamOptions, compressedSoFar: () => number): Transform {
  let expanded = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flushPending = (t: Transform): void => {
    if (pendingBytes === 0) return;
    t.push(pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes));
    pending = [];
    pendingBytes = 0;
  };
  return new Transform({
    readableHighWaterMark: CHUNK_BYTES * 2,
    writableHighWaterMark: CHUNK_BYTES * 2,
    transform(chunk: Buffer, _enc, cb) {
      // node-tar sniffs gzip on what it is given: a gzip inside the gzip (or xz, bzip2)
      // would be inflated a second time. Not a tar, so not extracted.
      if (expanded < 2 && expanded + chunk.length >= 2) {
        const head = expanded === 0 ? chunk : Buffer.concat([pending[0]!, chunk]);
        if (head[0] === 0x1f && head[1] === 0x8b) {
          cb(corrupt(opts.url, `it holds another gzip stream, not a tar`));
          return;
        }
      }
      expanded += chunk.length;
      if (expanded > RATIO_FLOOR_BYTES && expanded > Math.max(1, compressedSoFar()) * opts.maxRatio) {
        cb(ratioError(opts.url, opts.maxRatio));
        return;
      }
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= CHUNK_BYTES) flushPending(this);
      cb();
    },
    flush(cb) {
      flushPending(this);
      cb();
    },
  });
}

function toolError(url: string, tool: ExternalTool, command: string, err: NodeJS.ErrnoException): WeftError {
  const missing = err.code === 'ENOENT';
  return new WeftError(
    'WEFT_E_ARCHIVE_TOOL',
    `${url}: cannot run ${JSON.stringify(command)} to decompress it (${missing ? 'not found' : (err.code ?? err.message)})`,
    { hint: missing ? `install ${tool === 'xz' ? 'xz (xz-utils)' : 'bzip2'}: weft uses the system tool for this format` : `check that ${command} can be run` },
  );
}

export function corrupt(url: string, detail: string): WeftError {
  return new WeftError('WEFT_E_ARCHIVE_CORRUPT', `${url}: cannot read the archive (${detail})`, {
    hint: 'the file is truncated or not the format it claims; its integrity matched, so the published archive itself is broken',
  });
}
