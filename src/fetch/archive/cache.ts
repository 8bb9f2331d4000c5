// The archive store: `<cacheDir>/archives/<algo>-<hex>/` holds one verified, extracted,
// audited tree (before `strip`, so sources differing only in strip share it). An entry
// appears only complete: built under tmp/, renamed into place last, under a lock.
import { mkdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dispatcher } from 'undici';
import type { Defaults } from '../../defaults.js';
import { WeftError } from '../../errors.js';
import { download } from '../http/download.js';
import { auditTree } from './audit.js';
import type { ExternalTool } from './decompress.js';
import { EntryPolicy } from './entry-policy.js';
import { extractTar } from './extract-tar.js';
import { extractZip } from './extract-zip.js';
import { detectFormat, type ArchiveFormat } from './format.js';
import { bothForms, type Integrity } from './integrity.js';
import { withLock } from './lock.js';
import { syncDir, syncTree } from './sync-tree.js';
import { waitingForEntry, type LockOwner } from '../lockfile.js';
import { scratchName } from '../tmp.js';

export interface CacheRequest {
  url: string;
  integrity: Integrity;
  format?: ArchiveFormat;
  cacheDir: string;
  offline: boolean;
  defaults: Defaults;
  maxRatio: number;
  tools?: Partial<Record<ExternalTool, string>>;
  dispatcher: () => Dispatcher;
  signal?: AbortSignal;
  onProgress: (phase: 'fetching' | 'extracting', bytes?: number, totalBytes?: number) => void;
  /** Another weft is putting this archive in the cache: says who, and which lock file. */
  onWait?: (message: string) => void;
}

export function cacheEntryPath(cacheDir: string, integrity: Integrity): string {
  return join(cacheDir, 'archives', integrity.key);
}

/** The cache entry's directory, downloading and extracting it first if it is missing. */
export async function ensureCached(req: CacheRequest): Promise<string> {
  const final = cacheEntryPath(req.cacheDir, req.integrity);
  if (await exists(final)) return final;
  if (req.offline && !req.url.startsWith('file:')) {
    throw new WeftError('WEFT_E_OFFLINE', `${req.url} is not in the cache and offline mode forbids downloading it`, {
      hint: 'run once without --offline to fill the cache',
    });
  }
  const tmpRoot = join(req.cacheDir, 'tmp');
  const lockDir = join(req.cacheDir, 'locks');
  await Promise.all([mkdir(tmpRoot, { recursive: true }), mkdir(lockDir, { recursive: true }), mkdir(join(req.cacheDir, 'archives'), { recursive: true })]);
  const lockPath = join(lockDir, `archive-${req.integrity.key}.lock`);
  const lockOpts = {
    staleMs: req.defaults.staleLockMs,
    waitMs: req.defaults.fetchTimeoutMs,
    what: `cache entry ${req.integrity.key}`,
    signal: req.signal,
    onWait: (h: LockOwner | undefined) => req.onWait?.(waitingForEntry(h, 'is putting this archive in the cache', lockPath)),
  };
  return withLock(lockPath, lockOpts, async () => {
    // Another process may have published it while we waited for the lock.
    if (await exists(final)) return final;
    // Named as every cache scratch is (host and pid): a run killed mid-download leaves it
    // for the next weft up (or cache prune) to sweep.
    const work = join(tmpRoot, `archive-${scratchName()}`);
    await mkdir(work);
    try {
      const file = join(work, 'download');
      await fetchVerified(req, file);
      const format = await detectFormat(file, req.url, req.format);
      req.onProgress('extracting');
      const tree = join(work, 'tree');
      await mkdir(tree);
      const d = req.defaults;
      const policy = new EntryPolicy(req.url, {
        maxEntries: d.maxArchiveEntries,
        maxEntryBytes: d.maxEntryBytes,
        maxTotalBytes: d.maxExtractedBytes,
        maxDepth: d.maxPathDepth,
      });
      const common = { file, dest: tree, url: req.url, policy, maxRatio: req.maxRatio, signal: req.signal };
      if (format === 'zip') await extractZip(common);
      else await extractTar({ ...common, format, maxDepth: d.maxPathDepth, tools: req.tools });
      policy.finish();
      await auditTree(tree, req.url);
      // Durable before it is published: the rename must never reach the disk ahead of the data.
      await syncTree(tree);
      await rename(tree, final);
      await syncDir(join(req.cacheDir, 'archives'));
      return final;
    } finally {
      // An aborted node-tar may still have a mkdir or open in flight: rm retries on the
      // ENOTEMPTY that causes, and once the tree is gone nothing can recreate it.
      await rm(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
    }
  });
}

/** Downloads and checks the digest; a mismatch earns exactly one fresh attempt. */
async function fetchVerified(req: CacheRequest, file: string): Promise<void> {
  const d = req.defaults;
  const attempts = req.url.startsWith('file:') ? 1 : 2;
  for (let attempt = 1; ; attempt++) {
    // Said as the download starts: the byte counts come only every MiB.
    req.onProgress('fetching');
    const dispatcher = req.dispatcher();
    let result;
    try {
      result = await download({
        url: req.url,
        dest: file,
        algo: req.integrity.algo,
        dispatcher,
        limits: {
          maxBytes: d.maxArchiveBytes,
          stallTimeoutMs: d.stallTimeoutMs,
          maxRedirects: d.maxRedirects,
          retries: d.retries,
          retryBaseMs: d.retryBaseMs,
        },
        signal: req.signal,
        // The download is scratch: extracted from the page cache and deleted in this run
        // (a crash leaves tmp/ to be swept, never an entry). Syncing it cost ~0.1-0.2 s
        // and 200 MB of disk writes per 200 MB archive, and made nothing published safer.
        durable: false,
        onProgress: (bytes, total) => req.onProgress('fetching', bytes, total),
      });
    } finally {
      await dispatcher.close().catch(() => {});
    }
    if (result.digest.equals(req.integrity.digest)) return;
    await unlink(file);
    if (attempt < attempts) continue;
    throw new WeftError(
      'WEFT_E_INTEGRITY',
      `${req.url}: integrity mismatch: expected ${bothForms(req.integrity.algo, req.integrity.digest)}, got ${bothForms(req.integrity.algo, result.digest)}`,
      { hint: 'the bytes at the URL changed or were tampered with; if the new archive is legitimate, update `integrity` in the manifest' },
    );
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
