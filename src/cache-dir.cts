// CommonJS: bin/weft.js needs it before the CLI loads, to find the code cache (cli/load.cts).
// Shared by the layers: the fetch layer keeps sources there, `weft up` its plan store.
// A relative WEFT_CACHE_DIR names no one place: resolved against the directory each command
// runs in, it made a new cache in every checkout a command ran from (and a quoted "~/c"
// became ./~/c). Commands that use the cache refuse it (cache-problem.ts cacheDirFrom);
// what only looks for a cache, as the code cache does, finds none.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * `$WEFT_CACHE_DIR`, else `$XDG_CACHE_HOME/weft`, else `~/.cache/weft` (always absolute);
 * undefined when WEFT_CACHE_DIR is set but relative.
 */
export function findCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.WEFT_CACHE_DIR) return isAbsolute(env.WEFT_CACHE_DIR) ? resolve(env.WEFT_CACHE_DIR) : undefined;
  // The XDG spec says relative values are invalid and must be ignored.
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'weft');
  return join(env.HOME || homedir(), '.cache', 'weft');
}
