// An archive, received: its bytes must hash to the integrity the lock pins before anything
// reads them; then the original goes to the store and the extracted tree to the cache
// through the archive fetcher's own (hardened) path, so later `weft up` finds it there.
import { pathToFileURL } from 'node:url';
import { redact } from '../../redact.js';
import { ensureCached } from '../archive/cache.js';
import { describeDigest, parseIntegrity } from '../archive/integrity.js';
import { createDispatcher } from '../http/dispatcher.js';
import { digestOf, keepOriginal } from './archive-bytes.js';
import type { BundleContext } from './context.js';
import { badBundle, type BundledSource } from './format.js';

type ArchiveBundled = Extract<BundledSource, { type: 'archive' }>;

export interface ReceivedArchive {
  source: ArchiveBundled;
  path: string;
}

/** gzip tops out near 1 030:1 on zeros; anything beyond is a bomb (as the archive fetcher says). */
const MAX_RATIO = 1000;

export async function receiveArchive(s: ArchiveBundled, file: string, entryPath: string, ctx: BundleContext): Promise<ReceivedArchive> {
  ctx.progress('checking', s.name, 'archive');
  const integrity = parseIntegrity(s.integrity);
  const got = await digestOf(entryPath, integrity.algo);
  if (!got.equals(integrity.digest)) {
    throw badBundle(file, s.entry, `integrity mismatch: the lock says ${integrity.sri}, the entry is ${describeDigest(integrity.algo, got)}`);
  }
  return { source: s, path: entryPath };
}

export async function publishArchive(r: ReceivedArchive, format: Parameters<typeof ensureCached>[0]['format'], ctx: BundleContext): Promise<void> {
  const integrity = parseIntegrity(r.source.integrity);
  const kept = await keepOriginal(ctx.cacheDir, integrity, r.path);
  await ensureCached({
    // A file: URL: ensureCached reads it even offline, and verifies it once more.
    url: pathToFileURL(kept).href,
    integrity,
    format,
    cacheDir: ctx.cacheDir,
    offline: true,
    defaults: ctx.defaults,
    maxRatio: MAX_RATIO,
    dispatcher: () => createDispatcher(ctx.env, {}),
    signal: ctx.signal,
    onProgress: (phase) => {
      if (phase === 'extracting') ctx.progress('extracting', r.source.name, redact(r.source.url));
    },
  });
}
