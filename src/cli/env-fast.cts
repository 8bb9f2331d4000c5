// `weft env` when nothing changed since `weft up`: the pre-rendered file, printed before any
// ES module (or the CLI) loads. CommonJS on purpose, and only .cts imports: bin/weft.js
// requires this first, which keeps `weft env` near bare Node startup.
import { detectShell } from '../shell/detect.cjs';
import { isDynamicShell } from '../shell/renderers/names.cjs';
import { freshEnvFile } from '../shell/stamp-read.cjs';

/** The shell named by the only forms taken here: none, `S`, `--shell S`, `-s S`, `--shell=S`. */
function shellArg(args: readonly string[]): string | null | undefined {
  if (args.length === 0) return undefined;
  if (args.length === 1 && args[0]!.startsWith('--shell=')) return args[0]!.slice('--shell='.length);
  if (args.length === 1 && !args[0]!.startsWith('-')) return args[0]!;
  if (args.length === 2 && (args[0] === '--shell' || args[0] === '-s')) return args[1]!;
  return null;
}

/**
 * The text `weft env ARGS` prints, when the pre-rendered file may be printed as it is;
 * undefined for everything else (other options, a stale stamp, no workspace), which the
 * full CLI then handles, errors included.
 */
export function fastEnv(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  const named = shellArg(args);
  if (named === null) return undefined;
  const shell = named ?? detectShell(env);
  if (!isDynamicShell(shell)) return undefined;
  return freshEnvFile(cwd, undefined, shell, {}, env);
}
