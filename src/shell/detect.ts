import { basename } from 'node:path';
import type { ShellName } from './renderers.js';

/**
 * The user's shell from $SHELL's basename. Everything else (dash, ksh, mksh, ash, or an
 * unknown shell) gets the POSIX rendering, which any sh runs.
 */
export function detectShell(env: NodeJS.ProcessEnv): ShellName {
  const name = basename(env.SHELL ?? '');
  return name === 'bash' || name === 'zsh' || name === 'fish' ? name : 'sh';
}
