// The original bytes of archives, kept beside the extracted store as
// `<cacheDir>/archive-files/<algo>-<hex>`: a bundle must carry the file whose hash the
// manifest pins, and the extracted tree cannot be turned back into it. Content-addressed,
// so publishing is a plain rename and two writers can only agree.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WeftError } from '../../errors.js';
import { redact } from '../../redact.js';
import type { ArchiveSource } from '../../types.js';
import { bothForms, parseIntegrity, type Integrity } from '../archive/integrity.js';
import { createDispatcher } from '../http/dispatcher.js';
import { download } from '../http/download.js';
import type { BundleContext } from './context.js';

export function originalPath(cacheDir: string, integrity: Integrity): string {
  return join(cacheDir, 'archive-files', integrity.key);
}

export async function digestOf(file: string, algo: Integrity['algo']): Promise<Buffer> {
  const hash = createHash(algo);
  await pipeline(createReadStream(file), hash);
  return hash.digest();
}

/** Moves a verified file into the store (keeps the one already there). */
export async function keepOriginal(cacheDir: string, integrity: Integrity, file: string): Promise<string> {
  const final = originalPath(cacheDir, integrity);
  await mkdir(join(cacheDir, 'archive-files'), { recursive: true });
  if (await stat(final).then(() => true, () => false)) {
    await rm(file, { force: true });
    return final;
  }
  await rename(file, final);
  return final;
}

/** The archive's original bytes in the cache, downloading (and verifying) them if missing. */
export async function ensureOriginal(s: ArchiveSource, ctx: BundleContext, scratch: string): Promise<string> {
  const integrity = parseIntegrity(s.integrity);
  const final = originalPath(ctx.cacheDir, integrity);
  if (await stat(final).then(() => true, () => false)) {
    // A damaged store file must not travel: check it every time (bundling is rare).
    if ((await digestOf(final, integrity.algo)).equals(integrity.digest)) return final;
    await rm(final, { force: true });
  }
  ctx.progress('fetching', s.name, redact(s.url));
  const tmp = join(scratch, `${s.name}.download`);
  const dispatcher = createDispatcher(ctx.env, {});
  const d = ctx.defaults;
  let result;
  try {
    result = await download({
      url: s.url,
      dest: tmp,
      algo: integrity.algo,
      dispatcher,
      limits: { maxBytes: d.maxArchiveBytes, stallTimeoutMs: d.stallTimeoutMs, maxRedirects: d.maxRedirects, retries: d.retries, retryBaseMs: d.retryBaseMs },
      signal: ctx.signal,
    });
  } finally {
    await dispatcher.close().catch(() => {});
  }
  if (!result.digest.equals(integrity.digest)) {
    await rm(tmp, { force: true });
    throw new WeftError('WEFT_E_INTEGRITY', `source ${s.name}: ${redact(s.url)}: integrity mismatch: expected ${bothForms(integrity.algo, integrity.digest)}, got ${bothForms(integrity.algo, result.digest)}`, {
      hint: 'the bytes at the URL changed or were tampered with; nothing was bundled',
    });
  }
  return keepOriginal(ctx.cacheDir, integrity, tmp);
}
