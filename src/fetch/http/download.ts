// Streams one URL (http, https or file) to a file while hashing it, with a size cap, a
// stall timeout, hand-followed redirects and jittered retries. The caller verifies the
// digest before anything reads the bytes.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { open, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { request, type Dispatcher } from 'undici';
import { WeftError, isWeftError } from '../../errors.js';
import { batchedWriter } from './batched-writer.js';
import { REDIRECT_STATUSES, firstHop, nextHop, type Hop } from './redirect.js';
import { MAX_RETRY_AFTER_MS, backoffMs, retryAfterMs, sleep } from './retry.js';

export interface DownloadLimits {
  maxBytes: number;
  stallTimeoutMs: number;
  maxRedirects: number;
  retries: number;
  retryBaseMs: number;
}

export interface DownloadOptions {
  url: string;
  dest: string;
  algo: 'sha256' | 'sha512';
  dispatcher: Dispatcher;
  limits: DownloadLimits;
  signal?: AbortSignal;
  onProgress?: (bytes: number, totalBytes?: number) => void;
  /**
   * fsync the file before returning (default true). Off only for a scratch file that is
   * read back and deleted within the run, whose being on disk protects nothing.
   */
  durable?: boolean;
}

export interface DownloadResult {
  digest: Buffer;
  bytes: number;
}

/** A failure worth another attempt (reset, 5xx, stall); carries what to show if none is left. */
class Transient extends Error {
  constructor(
    readonly error: WeftError,
    /** The least wait before the next attempt, as the server's Retry-After asked. */
    readonly delayMs = 0,
  ) {
    super(error.message);
  }
}

export async function download(opts: DownloadOptions): Promise<DownloadResult> {
  if (opts.url.startsWith('file:')) return copyFile(opts);
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptOnce(opts);
    } catch (err) {
      if (opts.signal?.aborted) throw cancelled(opts.url);
      if (!(err instanceof Transient)) throw err;
      if (attempt >= opts.limits.retries) throw err.error;
      await sleep(Math.max(err.delayMs, backoffMs(attempt, opts.limits.retryBaseMs)), opts.signal).catch(() => {
        throw cancelled(opts.url);
      });
    }
  }
}

function cancelled(url: string): WeftError {
  return new WeftError('WEFT_E_CANCELLED', `download of ${url} was cancelled`, { hint: 'run the command again' });
}

async function attemptOnce(opts: DownloadOptions): Promise<DownloadResult> {
  const { limits } = opts;
  const stall = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stall.signal]) : stall.signal;
  const stalled = (): Transient =>
    new Transient(
      new WeftError('WEFT_E_DOWNLOAD_STALLED', `${opts.url}: no data for ${limits.stallTimeoutMs} ms`, {
        hint: 'the server or the network stopped sending; try again later or use a mirror',
      }),
    );
  const timer = setTimeout(() => stall.abort(), limits.stallTimeoutMs);
  try {
    let hop: Hop = firstHop(opts.url);
    for (let redirects = 0; ; redirects++) {
      let res: Dispatcher.ResponseData;
      try {
        res = await request(hop.url, { dispatcher: opts.dispatcher, method: 'GET', headers: hop.headers, signal });
      } catch (err) {
        if (stall.signal.aborted) throw stalled();
        throw networkError(opts.url, err);
      }
      timer.refresh();
      if (REDIRECT_STATUSES.has(res.statusCode)) {
        res.body.resume();
        if (redirects >= limits.maxRedirects) {
          throw new WeftError('WEFT_E_DOWNLOAD_REDIRECT', `${opts.url}: more than ${limits.maxRedirects} redirects`, {
            hint: 'the server is redirecting in a loop or through too many hops; use the final URL',
          });
        }
        hop = nextHop(hop, header(res.headers.location), opts.url);
        continue;
      }
      if (res.statusCode !== 200) {
        res.body.resume();
        throw statusError(opts.url, res.statusCode, retryAfterMs(header(res.headers['retry-after'])));
      }
      const declared = Number(header(res.headers['content-length']));
      if (Number.isFinite(declared) && declared > limits.maxBytes) {
        res.body.destroy();
        throw tooLarge(opts.url, limits.maxBytes, declared);
      }
      const total = Number.isFinite(declared) ? declared : undefined;
      try {
        return await writeStream(res.body, opts, total, () => timer.refresh());
      } catch (err) {
        res.body.destroy();
        if (stall.signal.aborted) throw stalled();
        if (isWeftError(err) || err instanceof Transient) throw err;
        throw networkError(opts.url, err);
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

async function copyFile(opts: DownloadOptions): Promise<DownloadResult> {
  let path: string;
  try {
    path = fileURLToPath(opts.url);
    const st = await stat(path);
    if (st.size > opts.limits.maxBytes) throw tooLarge(opts.url, opts.limits.maxBytes, st.size);
  } catch (err) {
    if (isWeftError(err)) throw err;
    throw new WeftError('WEFT_E_DOWNLOAD', `cannot read ${opts.url}: ${(err as Error).message}`, {
      hint: 'check that the file exists and is readable',
    });
  }
  return writeStream(createReadStream(path, { highWaterMark: 1 << 20 }), opts, undefined, () => {});
}

async function writeStream(
  body: Readable,
  opts: DownloadOptions,
  total: number | undefined,
  onChunk: () => void,
): Promise<DownloadResult> {
  const hash: Hash = createHash(opts.algo);
  const fh = await open(opts.dest, 'w', 0o600);
  const out = batchedWriter(fh);
  let bytes = 0;
  let reported = 0;
  try {
    // 'data' events rather than `for await`: the async iterator's promise per 64 KiB
    // chunk made reading a 200 MB body about twice as slow.
    await new Promise<void>((resolve, reject) => {
      const fail = (err: unknown): void => {
        body.off('data', onData);
        body.destroy();
        reject(err);
      };
      const onData = (chunk: Buffer): void => {
        try {
          onChunk();
          bytes += chunk.length;
          if (bytes > opts.limits.maxBytes) throw tooLarge(opts.url, opts.limits.maxBytes);
          hash.update(chunk);
          if (out.push(chunk)) {
            body.pause();
            out.drained().then(() => body.resume(), fail);
          }
          if (opts.onProgress && bytes - reported >= 1 << 20) {
            reported = bytes;
            opts.onProgress(bytes, total);
          }
        } catch (err) {
          fail(err);
        }
      };
      // The connection dropped mid-body: said with how far it got, not as undici's "other side closed".
      const onError = (err: NodeJS.ErrnoException): void => fail(bytes > 0 || total !== undefined ? cutShort(opts.url, bytes, total, err) : err);
      // It may have dropped while the file was being opened: that 'error' went by unheard,
      // and no event comes any more (the download waited for ever, past its stall timeout).
      if (body.errored) return onError(body.errored as NodeJS.ErrnoException);
      if (body.destroyed) return onError(Object.assign(new Error('the body was closed before it was read'), { code: 'ECONNRESET' }));
      body.on('data', onData);
      body.once('end', resolve);
      body.once('error', onError);
    });
    await out.flush();
    if (total !== undefined && bytes !== total) throw cutShort(opts.url, bytes, total);
    if (opts.durable !== false) await fh.sync();
  } finally {
    await out.settle();
    await fh.close();
  }
  opts.onProgress?.(bytes, total ?? bytes);
  return { digest: hash.digest(), bytes };
}

/** A body that ended before its Content-Length (or with an error) after `bytes`: worth another try. */
function cutShort(url: string, bytes: number, total: number | undefined, err?: NodeJS.ErrnoException): Transient {
  const got = total === undefined ? `${bytes} bytes` : `${bytes} of ${total} bytes`;
  const why = err ? ` (${err.code ? `${err.code}: ` : ''}${err.message})` : '';
  return new Transient(
    new WeftError('WEFT_E_DOWNLOAD', `${url}: connection closed after ${got}${why}`, {
      hint: 'the transfer was cut short; try again',
      ...(err ? { cause: err } : {}),
    }),
  );
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function tooLarge(url: string, max: number, size?: number): WeftError {
  const what = size === undefined ? `more than ${max} bytes` : `${size} bytes, over the limit of ${max}`;
  return new WeftError('WEFT_E_DOWNLOAD_TOO_LARGE', `${url}: archive is ${what}`, {
    hint: `check the URL points at the archive you meant; ${max} bytes is a built-in limit of weft (no setting raises it)`,
  });
}

function statusError(url: string, status: number, retryAfter?: number): WeftError | Transient {
  const transient = status >= 500 || status === 408 || status === 429;
  // A rate limit or an outage with a stated end: sooner than that is only another refusal,
  // and longer than weft waits is said at once rather than retried into the same answer.
  const asked = transient && retryAfter !== undefined ? ` and asks to retry after ${Math.ceil(retryAfter / 1000)} s` : '';
  const tooLong = retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER_MS;
  const err = new WeftError('WEFT_E_DOWNLOAD_HTTP', `${url}: server answered HTTP ${status}${asked}`, {
    hint:
      status === 401 || status === 403
        ? 'The server wants credentials or refuses them; check access to the URL.'
        : status === 404
          ? 'Nothing at that URL; check the manifest entry.'
          : asked && tooLong
            ? `weft waits at most ${MAX_RETRY_AFTER_MS / 1000} s for a server; run the command again once that time has passed, or use a mirror.`
            : status === 429
              ? 'The server is limiting requests; try again later or use a mirror.'
              : 'The server failed; try again later or use a mirror.',
  });
  if (!transient || (asked && tooLong)) return err;
  return new Transient(err, retryAfter ?? 0);
}

function networkError(url: string, err: unknown): Transient {
  const e = err as NodeJS.ErrnoException;
  const detail = e.code ? `${e.code}: ${e.message}` : String(e?.message ?? err);
  return new Transient(
    new WeftError('WEFT_E_DOWNLOAD', `${url}: ${detail}`, {
      hint: 'a network error; check the connection and any proxy settings (HTTPS_PROXY, NO_PROXY)',
      cause: err,
    }),
  );
}
