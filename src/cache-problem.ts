// The cache directory itself unusable (a file where it or a directory above it should be,
// a read-only place): one clear error naming the path and where it came from, from
// whichever command first writes there, instead of that write's internal error. A relative
// WEFT_CACHE_DIR is refused by every command that uses the cache, before it does anything.
import { resolve, sep } from 'node:path';
import { findCacheDir } from './cache-dir.cjs';
import { EXIT_USAGE, WeftError } from './errors.js';

/**
 * The cache directory (findCacheDir): `$WEFT_CACHE_DIR`, else `$XDG_CACHE_HOME/weft`, else
 * `~/.cache/weft`. Throws WEFT_E_CACHE_DIR (exit 2, a setting to fix) when WEFT_CACHE_DIR
 * is relative.
 */
export function cacheDirFrom(env: NodeJS.ProcessEnv): string {
  const dir = findCacheDir(env);
  if (dir !== undefined) return dir;
  throw new WeftError('WEFT_E_CACHE_DIR', `WEFT_CACHE_DIR is "${env.WEFT_CACHE_DIR}", not an absolute path: each directory weft runs in would get a cache of its own`, {
    hint: 'set it to an absolute path, e.g. WEFT_CACHE_DIR=$HOME/.cache/weft (~ is not expanded inside quotes), or unset it for the default ($XDG_CACHE_HOME/weft, else ~/.cache/weft)',
    exitCode: EXIT_USAGE,
  });
}

const CODES = new Set(['ENOTDIR', 'EEXIST', 'EACCES', 'EPERM', 'EROFS']);

function unusableCache(cacheDir: string, code: string): WeftError {
  const why = code === 'ENOTDIR' || code === 'EEXIST' ? 'it, or a directory above it, is a file' : `it cannot be written (${code})`;
  return new WeftError('WEFT_E_CACHE_DIR', `cannot use ${cacheDir} as weft's cache: ${why}`, {
    hint: 'point WEFT_CACHE_DIR at a directory you can write (weft makes it if it is missing); the cache is $WEFT_CACHE_DIR, else $XDG_CACHE_HOME/weft, else ~/.cache/weft',
  });
}

/**
 * The WeftError for `err` when it is a filesystem error at the cache's own path or inside
 * it that says the cache directory cannot be used (ENOTDIR: a file on the way; EEXIST from
 * making the cache directory itself; no permission); undefined for anything else.
 */
export function cacheDirError(err: unknown, env: NodeJS.ProcessEnv): WeftError | undefined {
  const e = err as NodeJS.ErrnoException;
  if (!(err instanceof Error) || typeof e.path !== 'string' || !e.code || !CODES.has(e.code)) return undefined;
  const cacheDir = findCacheDir(env);
  if (cacheDir === undefined) return undefined;
  const path = resolve(e.path);
  if (e.code === 'EEXIST' ? path !== cacheDir : path !== cacheDir && !path.startsWith(cacheDir + sep)) return undefined;
  return unusableCache(cacheDir, e.code);
}
