// CommonJS: bin/weft.js needs it before the CLI loads, to find the code cache (cli/load.cts).
// Shared by the layers: the fetch layer keeps sources there, `weft up` its plan store.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** `$WEFT_CACHE_DIR`, else `$XDG_CACHE_HOME/weft`, else `~/.cache/weft` (always absolute). */
export function cacheDirFrom(env: NodeJS.ProcessEnv): string {
  if (env.WEFT_CACHE_DIR) return resolve(env.WEFT_CACHE_DIR);
  // The XDG spec says relative values are invalid and must be ignored.
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'weft');
  return join(env.HOME || homedir(), '.cache', 'weft');
}
